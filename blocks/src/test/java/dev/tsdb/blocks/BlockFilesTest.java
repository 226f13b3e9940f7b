package dev.tsdb.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockFilesTest {
  @TempDir
  Path dir;

  @Test
  void ulidsAreSortableMonotonicAndRoundTrip() {
    Ulid a = Ulid.generate(1_700_000_000_000L);
    Ulid b = Ulid.generate(1_700_000_000_000L);
    Ulid c = Ulid.generate(1_700_000_000_001L);
    assertTrue(a.compareTo(b) < 0);
    assertTrue(b.compareTo(c) < 0);
    assertTrue(a.toString().compareTo(b.toString()) < 0);
    assertEquals(26, a.toString().length());
    assertEquals(a, Ulid.parse(a.toString()));
    assertEquals(1_700_000_000_000L, a.timestamp());
    // Known vector from the ULID spec: time 1469918176385 encodes as 01ARYZ6S41.
    assertTrue(Ulid.generate(1469918176385L).toString().startsWith("01ARYZ6S41"));
    assertEquals("01ARZ3NDEKTSV4RRFFQ69G5FAV", Ulid.parse("01arz3ndektsv4rrffq69g5fav").toString());
    assertFalse(Ulid.isValid("8ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
    assertFalse(Ulid.isValid("01ARZ3NDEKTSV4RRFFQ69G5FA"));
    assertFalse(Ulid.isValid("01ARZ3NDEKTSV4RRFFQ69G5FAU"));
  }

  @Test
  void metaJsonRoundTripsAndReadsPrometheusOutput() throws IOException {
    BlockMeta m = BlockMeta.fresh("01ARZ3NDEKTSV4RRFFQ69G5FAV", 1000, 7201000,
        new BlockMeta.Stats(10, 2, 3));
    m.write(dir);
    String json = Files.readString(dir.resolve("meta.json"));
    assertTrue(json.contains("\"numSamples\":10"), json);
    assertFalse(json.contains("numTombstones"), json);
    assertFalse(json.contains("parents"), json);
    assertEquals(m, BlockMeta.read(dir));

    String prom = "{\n\t\"ulid\": \"01H0000000000000000000000A\",\n\t\"minTime\": 1,\n"
        + "\t\"maxTime\": 2,\n\t\"stats\": {\n\t\t\"numSamples\": 5,\n\t\t\"numSeries\": 1,\n"
        + "\t\t\"numChunks\": 1\n\t},\n\t\"compaction\": {\n\t\t\"level\": 2,\n"
        + "\t\t\"sources\": [\"01H0000000000000000000000A\"],\n\t\t\"parents\": [{\"ulid\": "
        + "\"01H0000000000000000000000B\", \"minTime\": 1, \"maxTime\": 2}]\n\t},\n"
        + "\t\"version\": 1, \"future\": true\n}";
    BlockMeta p = BlockMeta.fromJson(prom.getBytes(StandardCharsets.UTF_8));
    assertEquals(2, p.compaction().level());
    assertEquals(1, p.compaction().parents().size());
    assertEquals(5, p.stats().numSamples());
    assertThrows(IOException.class, () -> BlockMeta.fromJson("{}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void intervalsMerge() {
    Intervals iv = Intervals.of(10, 20).add(30, 40).add(21, 25);
    assertEquals("[[10,25] [30,40]]", iv.toString());
    assertEquals("[[10,40]]", iv.add(26, 29).toString());
    assertEquals("[[0,5] [10,25] [30,40]]", iv.add(0, 5).toString());
    assertEquals("[[10,25] [30,40] [50,60]]", iv.add(50, 60).toString());
    assertEquals("[[" + Long.MIN_VALUE + "," + Long.MAX_VALUE + "]]",
        iv.add(Long.MIN_VALUE, Long.MAX_VALUE).toString());
    assertTrue(iv.contains(25));
    assertFalse(iv.contains(26));
    assertTrue(iv.covers(31, 39));
    assertFalse(iv.covers(20, 31));
  }

  @Test
  void tombstonesRoundTripAndDetectCorruption() throws IOException {
    assertTrue(Tombstones.read(dir).isEmpty());
    Tombstones t = Tombstones.EMPTY.with(16, 100, 200).with(16, -50, -10).with(3, 0, Long.MAX_VALUE);
    t.write(dir);
    Tombstones r = Tombstones.read(dir);
    assertEquals(t.asMap(), r.asMap());
    assertEquals(3, r.total());
    assertEquals(Map.of(3L, Intervals.of(0, Long.MAX_VALUE),
        16L, Intervals.of(-50, -10).add(100, 200)), r.asMap());
    byte[] b = Files.readAllBytes(dir.resolve("tombstones"));
    b[7] ^= 1;
    Files.write(dir.resolve("tombstones"), b);
    assertThrows(IOException.class, () -> Tombstones.read(dir));
    Files.write(dir.resolve("tombstones"), List.of("x"));
    assertThrows(IOException.class, () -> Tombstones.read(dir));
  }
}
