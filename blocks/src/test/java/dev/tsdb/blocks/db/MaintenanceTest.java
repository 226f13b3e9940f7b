package dev.tsdb.blocks.db;

import static dev.tsdb.blocks.db.DbTestUtil.H;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.blocks.BlockMeta;
import dev.tsdb.blocks.db.DbTestUtil.Data;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceTest {
  static final long T0 = DatabaseTest.T0;

  @TempDir
  Path dir;

  static List<String> names(Path p) throws IOException {
    try (Stream<Path> s = Files.list(p)) {
      return s.map(x -> x.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void cutsOldestHeadRangeIntoBlockAndTruncatesHead() throws Exception {
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      Data d = DbTestUtil.generate(20, T0 + 10 * 60_000, T0 + 5 * H, 60_000, t -> t % 1000);
      DbTestUtil.append(db, d);
      assertTrue(db.headCuttable());
      db.compact();
      assertEquals(1, db.headCutsTotal());
      List<BlockMeta> blocks = db.blocks();
      assertEquals(1, blocks.size());
      BlockMeta m = blocks.get(0);
      assertEquals(T0 + 10 * 60_000, m.minTime()); // starts at the head's first sample
      assertEquals(T0 + 2 * H, m.maxTime()); // ends on the block range boundary
      assertEquals(1, m.compaction().level());
      assertEquals(20, m.stats().numSeries());
      assertEquals(d.range(Long.MIN_VALUE, T0 + 2 * H - 1).samples(), m.stats().numSamples());
      assertEquals(T0 + 2 * H, db.headFloor());
      assertTrue(db.head().minTime() >= T0 + 2 * H);
      assertFalse(db.headCuttable());
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings());
      // Appends below the floor are refused now.
      Appender a = db.appender();
      assertThrows(SampleRejectedException.class,
          () -> a.append(0, DbTestUtil.series(0), T0 + H, 1));
      a.rollback();
    }
    // Blocks persist; the head (no WAL yet) does not.
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      assertEquals(1, db.blocks().size());
      assertEquals(T0 + 2 * H, db.headFloor());
    }
  }

  @Test
  void queriesSeeEverySampleExactlyOnceWhileHeadIsCut() throws Exception {
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      Data all = new Data();
      long step = 30_000;
      Data first = DbTestUtil.generate(30, T0, T0 + 3 * H, step, t -> t / 7.0);
      DbTestUtil.append(db, first);
      all.putAll(first);
      AtomicReference<Data> stable = new AtomicReference<>(first);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicLong checks = new AtomicLong();
      Thread reader = new Thread(() -> {
        try {
          while (!stop.get()) {
            Data want = stable.get();
            try (Querier q = db.querier(T0, T0 + 3 * H - 1)) {
              Data got = DbTestUtil.read(q);
              if (!got.asStrings().equals(want.range(T0, T0 + 3 * H - 1).asStrings())) {
                throw new AssertionError("query during head cut saw " + got.samples()
                    + " samples, want " + want.range(T0, T0 + 3 * H - 1).samples());
              }
            }
            checks.incrementAndGet();
          }
        } catch (Throwable t) {
          failure.set(t);
        }
      });
      reader.start();
      try {
        // Keep ingesting newer data and cutting: 5 cuts while the reader checks.
        for (long from = T0 + 3 * H; from < T0 + 13 * H; from += 2 * H) {
          Data more = DbTestUtil.generate(30, from, from + 2 * H, step, t -> t / 7.0);
          DbTestUtil.append(db, more);
          all.putAll(more);
          db.compact();
        }
      } finally {
        stop.set(true);
        reader.join();
      }
      if (failure.get() != null) {
        throw new AssertionError(failure.get());
      }
      assertTrue(checks.get() > 0);
      assertTrue(db.headCutsTotal() >= 5, "cuts: " + db.headCutsTotal());
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
  }

  @Test
  void querierKeepsItsViewAcrossACut() throws Exception {
    DbOptions o = DbTestUtil.testOptions();
    try (Database db = Database.open(dir, o)) {
      Data d = DbTestUtil.generate(5, T0, T0 + 4 * H, 60_000, t -> 1);
      DbTestUtil.append(db, d);
      Querier q = db.querier(T0, T0 + 4 * H);
      Thread cutter = new Thread(() -> {
        try {
          db.compact();
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      cutter.start();
      // The cut publishes its block, then waits for this querier before truncating the head.
      long deadline = System.currentTimeMillis() + 10_000;
      while (db.blocks().isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(1, db.blocks().size());
      assertTrue(cutter.isAlive(), "cut must wait for the open querier");
      assertEquals(d.asStrings(), DbTestUtil.read(q).asStrings());
      q.close();
      cutter.join(10_000);
      assertFalse(cutter.isAlive());
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
  }

  /** Four 2h level-1 blocks from T0 (a 6h boundary) with known data. */
  private Data fourBlocks(Path target) throws IOException {
    Data all = new Data();
    for (int i = 0; i < 4; i++) {
      Data d = DbTestUtil.generate(8, T0 + i * 2 * H, T0 + (i + 1) * 2 * H, 90_000, t -> t % 97);
      DbTestUtil.writeBlock(target, d, T0 + i * 2 * H, T0 + (i + 1) * 2 * H);
      all.putAll(d);
    }
    return all;
  }

  @Test
  void compactsLevelsAndDeletesSources() throws Exception {
    Data all = fourBlocks(dir);
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      db.compact();
      List<BlockMeta> blocks = db.blocks();
      assertEquals(2, blocks.size(), blocks.toString());
      assertEquals(T0, blocks.get(0).minTime());
      assertEquals(T0 + 6 * H, blocks.get(0).maxTime());
      assertEquals(2, blocks.get(0).compaction().level());
      assertEquals(3, blocks.get(0).compaction().sources().size());
      assertEquals(3, blocks.get(0).compaction().parents().size());
      assertEquals(1, db.compactionsTotal());
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
      List<String> onDisk = names(dir).stream().filter(n -> n.length() == 26).toList();
      assertEquals(2, onDisk.size(), onDisk.toString());
    }
  }

  @Test
  void overlappingBlocksAreMergedVertically() throws Exception {
    Data a = DbTestUtil.generate(4, T0, T0 + 2 * H, 60_000, t -> 1);
    Data b = DbTestUtil.generate(6, T0 + H, T0 + 2 * H, 20_000, t -> 2);
    DbTestUtil.writeBlock(dir, a, T0, T0 + 2 * H);
    DbTestUtil.writeBlock(dir, b, T0 + H, T0 + 2 * H);
    Data want = new Data();
    want.putAll(b);
    want.putAll(a);
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      Data before = DbTestUtil.readAll(db);
      assertEquals(want.asStrings(), before.asStrings());
      db.compact();
      assertEquals(1, db.blocks().size());
      assertEquals(want.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
  }

  /**
   * Runs compaction with a crash injected at the n-th durable step, reopens, and checks that
   * nothing is lost or duplicated, no temporary directory remains, and finishing the work gives
   * the same blocks as an uninterrupted run.
   */
  @Test
  void crashAtEveryCompactionStepLosesAndDuplicatesNothing() throws Exception {
    // A clean run first, recording the steps.
    Path clean = dir.resolve("clean");
    Data all = fourBlocks(clean);
    List<String> steps = new ArrayList<>();
    try (Database db = Database.open(clean, DbTestUtil.testOptions().stepHook(steps::add))) {
      db.compact();
    }
    assertEquals(List.of("compact.written", "delete.renamed", "delete.done", "delete.renamed",
        "delete.done", "delete.renamed", "delete.done"), steps);
    List<long[]> cleanRanges = ranges(clean);

    for (int crashAt = 0; crashAt < steps.size(); crashAt++) {
      Path d = dir.resolve("crash" + crashAt);
      Data data = fourBlocks(d);
      int target = crashAt;
      int[] seen = {0};
      DbOptions o = DbTestUtil.testOptions().stepHook(step -> {
        if (seen[0]++ == target) {
          throw new IOException("injected crash at " + step);
        }
      });
      Database db = Database.open(d, o);
      IOException e = assertThrows(IOException.class, db::compact);
      assertTrue(e.getMessage().startsWith("injected crash"));
      db.close(); // releases files only; no maintenance runs at close
      try (Database re = Database.open(d, DbTestUtil.testOptions())) {
        assertEquals(data.asStrings(), DbTestUtil.readAll(re).asStrings(), "crash at " + crashAt);
        assertFalse(names(d).stream().anyMatch(n -> n.contains(".tmp")), names(d).toString());
        assertNoOverlaps(re.blocks());
        re.compact();
        assertEquals(data.asStrings(), DbTestUtil.readAll(re).asStrings());
      }
      assertEquals(toString(cleanRanges), toString(ranges(d)), "crash at " + crashAt);
    }
  }

  private static String toString(List<long[]> ranges) {
    StringBuilder sb = new StringBuilder();
    ranges.forEach(r -> sb.append('[').append(r[0]).append(',').append(r[1]).append(')'));
    return sb.toString();
  }

  private static List<long[]> ranges(Path d) throws IOException {
    List<long[]> out = new ArrayList<>();
    for (String n : names(d)) {
      if (n.length() == 26) {
        BlockMeta m = BlockMeta.read(d.resolve(n));
        out.add(new long[] {m.minTime(), m.maxTime()});
      }
    }
    out.sort((x, y) -> Long.compare(x[0], y[0]));
    return out;
  }

  private static void assertNoOverlaps(List<BlockMeta> blocks) {
    for (int i = 1; i < blocks.size(); i++) {
      assertTrue(blocks.get(i).minTime() >= blocks.get(i - 1).maxTime(),
          "overlap: " + blocks.get(i - 1).ulid() + " " + blocks.get(i).ulid());
    }
  }

  @Test
  void timeRetentionDeletesBlocksEndingBeforeNewestMinusRetention() throws Exception {
    fourBlocks(dir); // blocks end at T0+2h, +4h, +6h, +8h
    DbOptions o = DbTestUtil.testOptions().retentionTimeMs(4 * H + 1);
    o.maxBlockDurationMs = 2 * H; // no compaction, so only retention acts
    try (Database db = Database.open(dir, o)) {
      db.compact();
      // newest max T0+8h: T0+2h is 6h older (deleted), T0+4h is exactly 4h older (kept).
      List<BlockMeta> blocks = db.blocks();
      assertEquals(3, blocks.size());
      assertEquals(T0 + 2 * H, blocks.get(0).minTime());
      assertEquals(1, db.timeRetentionDeletionsTotal());
      assertEquals(0, DbTestUtil.readAll(db).range(T0, T0 + 2 * H - 1).samples());
    }
    assertEquals(3, names(dir).stream().filter(n -> n.length() == 26).count());
  }

  @Test
  void sizeRetentionDeletesOldestBlocksFirst() throws Exception {
    fourBlocks(dir);
    long total;
    DbOptions probe = DbTestUtil.testOptions();
    probe.maxBlockDurationMs = 2 * H;
    try (Database db = Database.open(dir, probe)) {
      total = db.sizeBytes();
    }
    List<String> blockDirs = names(dir).stream().filter(n -> n.length() == 26).toList();
    long[] sizes = new long[blockDirs.size()];
    for (int i = 0; i < sizes.length; i++) {
      try (Stream<Path> s = Files.walk(dir.resolve(blockDirs.get(i)))) {
        sizes[i] = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
      }
    }
    long newestTwo = sizes[2] + sizes[3];
    assertEquals(total, sizes[0] + sizes[1] + newestTwo);
    DbOptions o = DbTestUtil.testOptions().retentionSizeBytes(newestTwo + 10);
    o.maxBlockDurationMs = 2 * H;
    try (Database db = Database.open(dir, o)) {
      db.compact();
      List<BlockMeta> blocks = db.blocks();
      assertEquals(2, blocks.size());
      assertEquals(T0 + 4 * H, blocks.get(0).minTime());
      assertEquals(2, db.sizeRetentionDeletionsTotal());
      assertTrue(db.sizeBytes() <= newestTwo + 10);
    }
  }

  @Test
  void retentionSetAtRunTimeAppliesAtTheNextCompaction() throws Exception {
    fourBlocks(dir);
    DbOptions o = DbTestUtil.testOptions().retentionTimeMs(0);
    o.maxBlockDurationMs = 2 * H;
    o.fileSystemBytes = d -> 1_000_000_000L;
    try (Database db = Database.open(dir, o)) {
      db.compact();
      assertEquals(4, db.blocks().size());
      // As a reload with storage.tsdb.retention.time: 4h would.
      db.setRetention(4 * H + 1, 0, 0);
      db.compact();
      assertEquals(3, db.blocks().size());
      assertEquals(1, db.timeRetentionDeletionsTotal());
      // A percentage replaces the size: 0.0000001% of 1 GB is 1 byte, so every block goes.
      db.setRetention(0, Long.MAX_VALUE, 0.0000001);
      assertEquals(1, db.retentionLimits()[1]);
      db.compact();
      assertEquals(0, db.blocks().size());
      assertEquals(3, db.sizeRetentionDeletionsTotal());
    }
  }

  @Test
  void deleteHidesDataEverywhereAndCleanTombstonesRewritesBlocks() throws Exception {
    Data all = fourBlocks(dir);
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      Data h = DbTestUtil.generate(8, T0 + 8 * H, T0 + 9 * H, 60_000, t -> 5);
      DbTestUtil.append(db, h);
      all.putAll(h);
      Labels victim = DbTestUtil.series(3);
      long from = T0 + 3 * H;
      long to = T0 + 8 * H + 30 * 60_000; // through two blocks and into the head
      db.delete(from, to, Matcher.eq("instance", "host-3"));
      all.delete(victim, from, to);
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
      List<String> before = db.blocks().stream().map(BlockMeta::ulid).toList();
      db.cleanTombstones();
      List<BlockMeta> after = db.blocks();
      assertEquals(4, after.size());
      assertEquals(3, after.stream().filter(m -> !before.contains(m.ulid())).count(),
          "the three blocks with tombstones were rewritten");
      for (BlockMeta m : after) {
        assertEquals(0, m.stats().numTombstones());
      }
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      // Block deletions are on disk; head deletions come back from the WAL's tombstones.
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
      // Deleting again after the restart, then restarting once more, keeps both deletions.
      db.delete(T0 + 8 * H, T0 + 9 * H, Matcher.eq("instance", "host-5"));
      all.delete(DbTestUtil.series(5), T0 + 8 * H, T0 + 9 * H);
    }
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
  }

  @Test
  void snapshotLinksBlocksAndWritesHead() throws Exception {
    Data all = fourBlocks(dir.resolve("data"));
    Path snap = dir.resolve("data/snapshots/20240101T000000Z-0123456789abcdef");
    try (Database db = Database.open(dir.resolve("data"), DbTestUtil.testOptions())) {
      Data h = DbTestUtil.generate(8, T0 + 8 * H, T0 + 9 * H, 60_000, t -> 5);
      DbTestUtil.append(db, h);
      all.putAll(h);
      db.snapshot(snap, true);
      BlockMeta first = db.blocks().get(0);
      assertTrue(Files.isSameFile(dir.resolve("data").resolve(first.ulid()).resolve("index"),
          snap.resolve(first.ulid()).resolve("index")));
      db.snapshot(dir.resolve("nohead"), false);
    }
    assertEquals(5, names(snap).size());
    try (Database db = Database.open(snap, DbTestUtil.testOptions())) {
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
    try (Database db = Database.open(dir.resolve("nohead"), DbTestUtil.testOptions())) {
      assertEquals(all.range(T0, T0 + 8 * H - 1).asStrings(), DbTestUtil.readAll(db).asStrings());
    }
  }

  @Test
  void failedCompactionMarksBlocksAndIsNotRetried() throws Exception {
    Data all = fourBlocks(dir);
    // Damage a chunk in the middle of the second block (open checks only the first and last).
    BlockMeta second;
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      second = db.blocks().get(1);
    }
    Path seg = dir.resolve(second.ulid()).resolve("chunks").resolve("000001");
    byte[] b = Files.readAllBytes(seg);
    b[b.length / 2] ^= 0x55;
    Files.write(seg, b);
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      assertEquals(4, db.blocks().size());
      assertThrows(IOException.class, db::compact);
      assertEquals(1, db.compactionFailuresTotal());
      for (int i = 0; i < 3; i++) {
        assertTrue(db.blocks().get(i).compaction().failed());
      }
      db.compact(); // planned no more
      assertEquals(4, db.blocks().size());
      assertFalse(names(dir).stream().anyMatch(n -> n.contains(".tmp")));
    }
    assertTrue(BlockMeta.read(dir.resolve(second.ulid())).compaction().failed());
    assertEquals(8, all.series.size());
  }
}
