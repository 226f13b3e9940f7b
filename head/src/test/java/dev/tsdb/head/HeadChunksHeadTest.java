package dev.tsdb.head;

import static dev.tsdb.head.HeadTestUtil.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.head.HeadTestUtil.Sample;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkSeriesSet;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.head.chunkenc.XorIterator;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full head chunks in chunks_head/: off the heap, read through the mapping, loaded at open. */
class HeadChunksHeadTest {
  static final long T0 = 1_700_000_000_000L;
  static final int SERIES = 40;
  static final int STEPS = 700; // about 6 chunks of 120 samples per series

  @TempDir
  Path dir;

  private static HeadOptions opts() {
    return new HeadOptions().clock(() -> Long.MAX_VALUE / 2);
  }

  private static void fill(Head h, int from, int to) throws Exception {
    Appender a = h.appender();
    for (int k = from; k < to; k++) {
      for (int i = 0; i < SERIES; i++) {
        a.append(0, Labels.of("__name__", "m", "i", "" + i), T0 + k * 15_000L, i * 1000 + k);
      }
      a.commit();
    }
  }

  private static Map<Labels, List<Sample>> all(Head h) {
    return read(h, Long.MIN_VALUE, Long.MAX_VALUE,
        dev.tsdb.index.labels.Matcher.eq("__name__", "m"));
  }

  private static void assertComplete(Map<Labels, List<Sample>> got, int steps) {
    assertEquals(SERIES, got.size());
    for (Map.Entry<Labels, List<Sample>> e : got.entrySet()) {
      int i = Integer.parseInt(e.getKey().get("i"));
      List<Sample> s = e.getValue();
      assertEquals(steps, s.size(), e.getKey().toString());
      for (int k = 0; k < steps; k++) {
        assertEquals(new Sample(T0 + k * 15_000L, i * 1000 + k), s.get(k));
      }
    }
  }

  private static long summaryValue(Head h, String key) {
    Matcher m = Pattern.compile(key + "=(\\d+)").matcher(h.replaySummary());
    assertTrue(m.find(), h.replaySummary());
    return Long.parseLong(m.group(1));
  }

  /** Sealed chunks of every series that are stubs, and all sealed chunks. */
  private static int[] stubs(Head h) {
    int[] n = new int[2];
    h.forEachSeries((ls, id) -> {
      MemSeries s = h.byRef(id);
      synchronized (s) {
        for (int i = 0; i < s.nSealed; i++) {
          n[0] += SealedChunk.isMapped(s.sealed[i]) ? 1 : 0;
          n[1]++;
        }
      }
    });
    return n;
  }

  @Test
  void fullChunksLeaveTheHeapAndAreReadThroughTheMapping() throws Exception {
    try (Head h = Head.open(dir, opts())) {
      fill(h, 0, STEPS);
      h.flushChunks();
      int[] n = stubs(h);
      assertTrue(n[1] >= SERIES * 5, "sealed chunks: " + n[1]);
      assertEquals(n[1], n[0], "every sealed chunk is a stub once written");
      assertTrue(Files.size(dir.resolve("chunks_head").resolve("000001")) > 0);
      assertComplete(all(h), STEPS);
      // Chunk reads (remote read, head cut to blocks) hand out the mapped bytes as they are.
      try (ChunkQuerier q = h.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        ChunkSeriesSet ss = q.select(true, null, dev.tsdb.index.labels.Matcher.eq("i", "3"));
        assertTrue(ss.next());
        List<Long> ts = new ArrayList<>();
        for (var c : ss.at().chunks()) {
          XorIterator it = new XorIterator().reset(c.data(), 0, c.data().remaining());
          while (it.next() == ValueType.FLOAT) {
            ts.add(it.t());
            assertEquals(3000 + (it.t() - T0) / 15_000, it.v());
          }
          assertNull(it.error());
        }
        assertEquals(STEPS, ts.size());
        assertFalse(ss.next());
        assertNull(ss.error());
      }
    }
  }

  @Test
  void reopenLoadsTheMappedChunksAndReplaysOnlyNewerSamples() throws Exception {
    try (Head h = Head.open(dir, opts())) {
      fill(h, 0, STEPS);
    }
    try (Head h = Head.open(dir, opts())) {
      assertTrue(summaryValue(h, "mmappedChunks") >= SERIES * 5, h.replaySummary());
      long skipped = summaryValue(h, "samplesInMmappedChunks");
      assertEquals((long) SERIES * STEPS, skipped + h.stats().samplesAppended.sum());
      assertComplete(all(h), STEPS);
      fill(h, STEPS, STEPS + 300); // appends continue after the loaded chunks
      assertComplete(all(h), STEPS + 300);
    }
    try (Head h = Head.open(dir, opts())) {
      assertComplete(all(h), STEPS + 300);
    }
  }

  @Test
  void tornSegmentIsCutAndTheWalRestoresTheRest() throws Exception {
    try (Head h = Head.open(dir, opts())) {
      fill(h, 0, STEPS);
    }
    Path seg = dir.resolve("chunks_head").resolve("000001");
    long size = Files.size(seg);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(size / 2 + 3); // mid-record
    }
    try (Head h = Head.open(dir, opts())) {
      long loaded = summaryValue(h, "mmappedChunks");
      assertTrue(loaded > 0 && loaded < SERIES * 5, h.replaySummary());
      assertComplete(all(h), STEPS);
    }
    try (Head h = Head.open(dir, opts())) {
      assertComplete(all(h), STEPS);
    }
  }

  @Test
  void corruptRecordInTheMiddleIsCutAndTheWalRestoresTheRest() throws Exception {
    try (Head h = Head.open(dir, opts())) {
      fill(h, 0, STEPS);
    }
    Path seg = dir.resolve("chunks_head").resolve("000001");
    byte[] b = Files.readAllBytes(seg);
    b[b.length / 3] ^= 0x10;
    Files.write(seg, b);
    try (Head h = Head.open(dir, opts())) {
      assertComplete(all(h), STEPS);
    }
  }

  @Test
  void deletedChunksHeadMeansAFullWalReplay() throws Exception {
    try (Head h = Head.open(dir, opts())) {
      fill(h, 0, STEPS);
    }
    try (Stream<Path> s = Files.walk(dir.resolve("chunks_head"))) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    try (Head h = Head.open(dir, opts())) {
      assertEquals(0, summaryValue(h, "mmappedChunks"));
      assertEquals((long) SERIES * STEPS, h.stats().samplesAppended.sum());
      assertComplete(all(h), STEPS);
    }
  }

  @Test
  void outOfOrderSamplesInsideMappedChunksComeBackFromTheWal() throws Exception {
    HeadOptions o = opts().outOfOrderTimeWindowMs(3_600_000_000L);
    try (Head h = Head.open(dir, o)) {
      fill(h, 0, STEPS);
      Appender a = h.appender();
      for (int i = 0; i < SERIES; i++) {
        // Between in-order samples already in sealed (soon mapped) chunks.
        a.append(0, Labels.of("__name__", "m", "i", "" + i), T0 + 10 * 15_000L + 7, -1);
      }
      a.commit();
      fill(h, STEPS, STEPS + 10);
    }
    try (Head h = Head.open(dir, o)) {
      assertTrue(summaryValue(h, "mmappedChunks") > 0, h.replaySummary());
      for (Map.Entry<Labels, List<Sample>> e : all(h).entrySet()) {
        List<Sample> s = e.getValue();
        assertEquals(STEPS + 10 + 1, s.size(), e.getKey().toString());
        assertEquals(new Sample(T0 + 10 * 15_000L + 7, -1), s.get(11));
      }
    }
  }

  @Test
  void truncationDropsOldSegmentsAndTheirChunksStayGone() throws Exception {
    long cut = T0 + 500 * 15_000L;
    try (Head h = Head.open(dir, opts())) {
      fill(h, 0, STEPS);
      h.flushChunks();
      h.truncateBefore(cut);
      Map<Labels, List<Sample>> got = all(h);
      for (List<Sample> s : got.values()) {
        assertTrue(s.get(0).t() > T0, "old chunks dropped");
      }
    }
    try (Head h = Head.open(dir, opts())) {
      for (List<Sample> s : all(h).values()) {
        assertTrue(s.get(s.size() - 1).t() == T0 + (STEPS - 1) * 15_000L);
        assertTrue(s.get(0).t() >= cut - 120 * 15_000L, "nothing below the truncated chunks: "
            + s.get(0));
      }
    }
  }

  @Test
  void skippingSamplesInMappedChunksGivesTheSameHeadAsAFullWalReplay() throws Exception {
    HeadOptions o = opts().outOfOrderTimeWindowMs(3_600_000_000L);
    try (Head h = Head.open(dir, o)) {
      fill(h, 0, 300);
      Appender a = h.appender();
      for (int i = 0; i < SERIES; i++) {
        Labels ls = Labels.of("__name__", "m", "i", "" + i);
        a.append(0, ls, T0 + (i % 290) * 15_000L + 3, -i); // out of order, inside mapped chunks
        a.append(0, ls, T0 + 299 * 15_000L, i * 1000 + 299); // duplicate of the newest
      }
      a.commit();
      fill(h, 300, STEPS);
      h.flushChunks();
    }
    Path full = dir.resolveSibling(dir.getFileName() + "-full");
    Files.createDirectories(full.resolve("wal"));
    try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.copy(p, full.resolve("wal").resolve(p.getFileName()));
      }
    }
    Map<Labels, List<Sample>> skipping;
    long skipped;
    long appended;
    try (Head h = Head.open(dir, o)) {
      skipping = all(h);
      skipped = summaryValue(h, "samplesInMmappedChunks");
      appended = h.stats().samplesAppended.sum();
      assertTrue(skipped > 0, h.replaySummary());
    }
    try (Head h = Head.open(full, o)) {
      assertEquals(0, summaryValue(h, "mmappedChunks"));
      assertEquals(all(h), skipping);
      assertEquals(h.stats().samplesAppended.sum(), skipped + appended);
    }
  }
}
