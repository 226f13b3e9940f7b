package dev.tsdb.blocks.db;

import static dev.tsdb.blocks.db.DbTestUtil.H;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.blocks.BlockMeta;
import dev.tsdb.blocks.BlockWriter;
import dev.tsdb.blocks.db.DbTestUtil.Data;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkSeriesSet;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SelectHints;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  static final long T0 = 1_700_006_400_000L; // a multiple of 2h

  @TempDir
  Path dir;

  private static List<String> names(Path p) throws IOException {
    try (Stream<Path> s = Files.list(p)) {
      return s.map(x -> x.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void createsDirTakesLockAndRefusesSecondOpen() throws Exception {
    Path data = dir.resolve("data");
    try (Database db = Database.open(data, DbTestUtil.testOptions())) {
      assertTrue(db.isReady());
      assertEquals(1.0, db.replayProgress());
      assertTrue(Files.exists(data.resolve("lock")));
      IOException e = assertThrows(IOException.class,
          () -> Database.open(data, DbTestUtil.testOptions()));
      assertTrue(e.getMessage().contains("lock DB directory"), e.getMessage());
    }
    assertFalse(Files.exists(data.resolve("lock")));
    // A stale lock file (crashed process) is not an obstacle.
    Files.writeString(data.resolve("lock"), "");
    try (Database db = Database.open(data, DbTestUtil.testOptions())) {
      assertTrue(db.isReady());
    }
  }

  @Test
  void notReadyBeforeLoad() throws Exception {
    Database db = Database.create(dir, DbTestUtil.testOptions());
    assertFalse(db.isReady());
    assertEquals(0.0, db.replayProgress());
    assertThrows(IllegalStateException.class, () -> db.querier(0, 1));
    assertThrows(IllegalStateException.class, db::appender);
    db.load();
    assertTrue(db.isReady());
    db.close();
    assertFalse(db.isReady());
  }

  @Test
  void removesLeftoversAndMovesCorruptBlocksAside() throws Exception {
    Data a = DbTestUtil.generate(5, T0, T0 + 2 * H, 60_000, t -> t / 1000.0);
    Data b = DbTestUtil.generate(5, T0 + 2 * H, T0 + 4 * H, 60_000, t -> t / 1000.0);
    DbTestUtil.writeBlock(dir, a, T0, T0 + 2 * H);
    BlockMeta bad = DbTestUtil.writeBlock(dir, b, T0 + 2 * H, T0 + 4 * H);
    // Truncate the broken block's index.
    Path index = dir.resolve(bad.ulid()).resolve("index");
    try (FileChannel ch = FileChannel.open(index, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    // A block with unparsable meta.json.
    BlockMeta worse = DbTestUtil.writeBlock(dir, b, T0 + 4 * H, T0 + 6 * H);
    Files.writeString(dir.resolve(worse.ulid()).resolve("meta.json"), "{not json");
    Files.createDirectories(dir.resolve("01HZZZZZZZZZZZZZZZZZZZZZZZ" + BlockWriter.TMP_SUFFIX));
    Files.createDirectories(dir.resolve("01HZZZZZZZZZZZZZZZZZZZZZZY.tmp-for-deletion/chunks"));
    Files.createDirectories(dir.resolve("not-a-block")); // left alone

    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      assertEquals(2, db.corruptedBlocksTotal());
      assertEquals(1, db.blocks().size());
      assertEquals(a.asStrings(), DbTestUtil.readAll(db).asStrings());
      assertEquals(List.of(bad.ulid(), worse.ulid()).stream().sorted().toList(),
          names(dir.resolve("corrupted")));
      assertTrue(Files.exists(dir.resolve("corrupted").resolve(bad.ulid()).resolve("index")));
      assertFalse(names(dir).stream().anyMatch(n -> n.contains(".tmp")), names(dir).toString());
      assertTrue(Files.isDirectory(dir.resolve("not-a-block")));
    }
  }

  @Test
  void blocksAndHeadNarrowToTheSameHintRange() throws Exception {
    // One block [T0, T0+2h), the head above it. Every part of a merged select must read the same
    // range for the same hints; before one SelectRange, the head read hints without a time range
    // (0, 0) as [0, 0] (dropping its samples) and blocks read inverted hints as no hints at all.
    Data block = DbTestUtil.generate(3, T0, T0 + 2 * H, 60_000, t -> 1);
    DbTestUtil.writeBlock(dir, block, T0, T0 + 2 * H);
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      Data head = DbTestUtil.generate(3, T0 + 2 * H, T0 + 3 * H, 60_000, t -> 2);
      DbTestUtil.append(db, head);
      Data all = new Data();
      all.putAll(block);
      all.putAll(head);
      try (Querier q = db.querier(T0, T0 + 3 * H)) {
        SelectHints noRange = new SelectHints(0, 0, 0, 0, null, List.of(), false);
        assertEquals(all.asStrings(), DbTestUtil.read(q, noRange).asStrings());
        assertEquals(all.range(T0 + H, T0 + 2 * H + H / 2).asStrings(),
            DbTestUtil.read(q, SelectHints.range(T0 + H, T0 + 2 * H + H / 2)).asStrings());
        SelectHints inverted = SelectHints.range(T0 + 3 * H, T0);
        assertEquals(Map.of(), DbTestUtil.read(q, inverted).asStrings());
      }
      try (ChunkQuerier q = db.chunkQuerier(T0, T0 + 3 * H)) {
        ChunkSeriesSet set = q.select(true, SelectHints.range(T0 + 3 * H, T0),
            Matcher.eq("job", "test"));
        assertFalse(set.next());
        set = q.select(true, new SelectHints(0, 0, 0, 0, null, List.of(), false),
            Matcher.eq("job", "test"));
        long samples = 0;
        while (set.next()) {
          for (ChunkMeta m : set.at().chunks()) {
            samples += m.numSamples();
          }
        }
        assertEquals(all.samples(), samples);
      }
    }
  }

  @Test
  void mergesOverlappingBlocksAndHeadWithoutDuplicates() throws Exception {
    // Block 1 [T0, T0+2h), block 2 overlaps it [T0+1h, T0+3h) with some equal timestamps and
    // some values that differ: the earlier block wins, as compaction decides.
    Data b1 = DbTestUtil.generate(4, T0, T0 + 2 * H, 30_000, t -> 1);
    Data b2 = DbTestUtil.generate(6, T0 + H, T0 + 3 * H, 45_000, t -> 2);
    DbTestUtil.writeBlock(dir, b1, T0, T0 + 2 * H);
    DbTestUtil.writeBlock(dir, b2, T0 + H, T0 + 3 * H);
    Data want = new Data();
    want.putAll(b2);
    want.putAll(b1); // b1 overrides equal timestamps
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      Data h = DbTestUtil.generate(7, T0 + 3 * H, T0 + 4 * H, 15_000, t -> 3);
      DbTestUtil.append(db, h);
      want.putAll(h);
      assertEquals(want.asStrings(), DbTestUtil.readAll(db).asStrings());
      // Sub-ranges, including ones that cut through blocks and head.
      long[][] ranges = {{T0 + H / 2, T0 + H + 1}, {T0 + 2 * H - 1, T0 + 3 * H + 5}, {T0 - H, T0},
          {T0 + 3 * H, T0 + 10 * H}, {T0 + 5 * H, T0 + 6 * H}};
      for (long[] r : ranges) {
        try (Querier q = db.querier(r[0], r[1])) {
          assertEquals(want.range(r[0], r[1]).asStrings(), DbTestUtil.read(q).asStrings(),
              "range " + (r[0] - T0) + ".." + (r[1] - T0));
        }
      }
      try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        assertEquals(List.of("__name__", "instance", "job"), q.labelNames());
        assertEquals(7, q.labelValues("instance").size());
        assertEquals(List.of("metric_0", "metric_1", "metric_2"), q.labelValues("__name__"));
        assertEquals(List.of("host-0", "host-3", "host-6"),
            q.labelValues("instance", Matcher.eq("__name__", "metric_0")));
        // Only the head has host-6.
        assertEquals(1, DbTestUtil.read(q, Matcher.eq("instance", "host-6")).series.size());
      }
      assertEquals(T0, db.minTime());
      assertEquals(T0 + 4 * H - 15_000, db.maxTime());
    }
  }

  @Test
  void chunkQuerierMergesAndReencodesOverlaps() throws Exception {
    Data b1 = DbTestUtil.generate(3, T0, T0 + 2 * H, 30_000, t -> 1);
    Data b2 = DbTestUtil.generate(3, T0 + H, T0 + 3 * H, 45_000, t -> 2);
    DbTestUtil.writeBlock(dir, b1, T0, T0 + 2 * H);
    DbTestUtil.writeBlock(dir, b2, T0 + H, T0 + 3 * H);
    Data want = new Data();
    want.putAll(b2);
    want.putAll(b1);
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      Data h = DbTestUtil.generate(3, T0 + 3 * H, T0 + 4 * H, 15_000, t -> 3);
      DbTestUtil.append(db, h);
      want.putAll(h);
      Data got = new Data();
      try (ChunkQuerier q = db.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        ChunkSeriesSet set = q.select(true, null, Matcher.eq("job", "test"));
        while (set.next()) {
          long lastMax = Long.MIN_VALUE;
          for (ChunkMeta c : set.at().chunks()) {
            assertTrue(c.minTime() > lastMax, "chunks overlap");
            lastMax = c.maxTime();
            dev.tsdb.head.chunkenc.XorIterator it = new dev.tsdb.head.chunkenc.XorIterator()
                .reset(c.data(), c.data().position(), c.data().remaining());
            while (it.next() != dev.tsdb.index.storage.ValueType.NONE) {
              got.put(set.at().labels(), it.t(), it.v());
            }
          }
        }
        assertEquals(null, set.error());
      }
      assertEquals(want.asStrings(), got.asStrings());
    }
  }

  @Test
  void seekAcrossMergedSources() throws Exception {
    Data b1 = DbTestUtil.generate(1, T0, T0 + 2 * H, 60_000, t -> 1);
    Data b2 = DbTestUtil.generate(1, T0 + 30_000, T0 + 2 * H, 60_000, t -> 2);
    DbTestUtil.writeBlock(dir, b1, T0, T0 + 2 * H);
    DbTestUtil.writeBlock(dir, b2, T0, T0 + 2 * H);
    try (Database db = Database.open(dir, DbTestUtil.testOptions());
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      var set = q.select(false, null, Matcher.eq("job", "test"));
      assertTrue(set.next());
      var it = set.at().iterator(null);
      assertEquals(dev.tsdb.index.storage.ValueType.FLOAT, it.seek(T0 + 45_000));
      assertEquals(T0 + 60_000, it.t());
      assertEquals(dev.tsdb.index.storage.ValueType.FLOAT, it.next());
      assertEquals(T0 + 90_000, it.t());
      assertEquals(2.0, it.v());
      assertEquals(dev.tsdb.index.storage.ValueType.FLOAT, it.seek(T0 + 90_000)); // stays
      assertEquals(T0 + 90_000, it.t());
      assertEquals(dev.tsdb.index.storage.ValueType.NONE, it.seek(T0 + 3 * H));
      assertFalse(set.next());
    }
  }

  @Test
  void tsdbStatusCountsHeadCardinality() throws Exception {
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      // series(i): __name__=metric_(i%3), instance=host-i, job=test; 7 series.
      DbTestUtil.append(db, DbTestUtil.generate(7, T0, T0 + 60_000, 15_000, t -> 1));
      TsdbStatus st = db.tsdbStatus(2);
      assertEquals(7, st.headStats().numSeries());
      assertEquals(3 + 7 + 1, st.headStats().numLabelPairs());
      assertEquals(T0, st.headStats().minTime());
      assertEquals(T0 + 45_000, st.headStats().maxTime());
      assertEquals(List.of(new TsdbStatus.Stat("metric_0", 3), new TsdbStatus.Stat("metric_1", 2)),
          st.seriesCountByMetricName());
      assertEquals(List.of(new TsdbStatus.Stat("instance", 7), new TsdbStatus.Stat("__name__", 3)),
          st.labelValueCountByLabelName());
      // instance values "host-N" are 6 bytes, once per series; __name__ values 8 bytes x 7.
      assertEquals(List.of(new TsdbStatus.Stat("__name__", 56), new TsdbStatus.Stat("instance", 42)),
          st.memoryInBytesByLabelName());
      assertEquals(List.of(new TsdbStatus.Stat("job=test", 7),
          new TsdbStatus.Stat("__name__=metric_0", 3)), st.seriesCountByLabelValuePair());
    }
  }

  @Test
  void backgroundMaintenanceCutsWhileIngesting() throws Exception {
    DbOptions o = DbTestUtil.testOptions().compactionIntervalMs(50);
    try (Database db = Database.open(dir, o)) {
      Data all = new Data();
      for (long from = T0; from < T0 + 9 * H; from += 30 * 60_000) {
        Data d = DbTestUtil.generate(10, from, from + 30 * 60_000, 30_000, t -> t % 101);
        DbTestUtil.append(db, d); // the commit that makes the head cuttable wakes maintenance
        all.putAll(d);
        assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
      }
      long deadline = System.currentTimeMillis() + 10_000;
      while (db.headCuttable() && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertFalse(db.headCuttable());
      // The floor moves before a cut finishes truncating and counting; compact() takes the
      // maintenance lock, so it returns only after the background run in flight is complete.
      db.compact();
      assertTrue(db.headCutsTotal() >= 3, "cuts " + db.headCutsTotal());
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
  }

  @Test
  void snapshotNamesLookLikePrometheus() {
    String n = Database.newSnapshotName(java.time.Instant.parse("2024-03-05T06:07:08Z"));
    assertTrue(n.matches("20240305T060708Z-[0-9a-f]{16}"), n);
  }
}
