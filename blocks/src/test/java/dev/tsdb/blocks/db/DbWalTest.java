package dev.tsdb.blocks.db;

import static dev.tsdb.blocks.db.DbTestUtil.H;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.blocks.db.DbTestUtil.Data;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head's WAL under the database: restarts, head cuts interrupted at every step. */
class DbWalTest {
  static final long T0 = DatabaseTest.T0;

  @TempDir
  Path dir;

  @Test
  void headDataSurvivesRestart() throws Exception {
    Data d = DbTestUtil.generate(10, T0, T0 + H, 15_000, t -> t * 0.5);
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      DbTestUtil.append(db, d);
    }
    assertTrue(Files.isDirectory(dir.resolve("wal")));
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings());
      assertTrue(db.sizeBytes() > 0, "the WAL counts towards the size");
    }
  }

  @Test
  void headDeletionSurvivesRestartAndReportsReplay() throws Exception {
    Data d = DbTestUtil.generate(10, T0, T0 + H, 15_000, t -> t * 0.5);
    Labels victim = d.series.firstKey();
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      DbTestUtil.append(db, d);
      db.delete(T0 + 600_000, T0 + 1_200_000, Matcher.eq("instance", victim.get("instance")));
      d.delete(victim, T0 + 600_000, T0 + 1_200_000);
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings());
      assertTrue(db.headChunks() >= 10, "chunks " + db.headChunks());
      assertEquals(10L * 240, db.headStats().samplesAppended.sum());
    }
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings());
      assertEquals(1.0, db.replayProgress());
      assertEquals(db.walReplayStatus().max(), db.walReplayStatus().current());
    }
  }

  @Test
  void walMetricsCountWritesBlockWritesAndRepairedCorruption() throws Exception {
    Data d = DbTestUtil.generate(10, T0, T0 + 4 * H, 15_000, t -> t * 0.5);
    List<Long> blockWrites = new ArrayList<>();
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      db.observeCompactions(blockWrites::add);
      DbTestUtil.append(db, d);
      assertTrue(db.walMetrics().pageFlushes.sum() > 0);
      assertTrue(db.walMetrics().completedPages.sum() > 0);
      assertEquals(0, db.walMetrics().currentSegment());
      db.compact();
      assertEquals(1, db.headCutsTotal());
      assertEquals(1, blockWrites.size(), "the head cut is timed as a compaction");
      assertTrue(blockWrites.get(0) > 0);
      assertEquals(0, db.walMetrics().corruptions.sum());
    }
    // Damage a record in the middle of the WAL: the next start repairs it and counts it.
    Path seg = dir.resolve("wal").resolve("00000000");
    byte[] b = Files.readAllBytes(seg);
    b[b.length / 2] ^= 0x55;
    Files.write(seg, b);
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      assertEquals(1, db.walMetrics().corruptions.sum());
      assertEquals(1, db.walMetrics().currentSegment(), "a fresh segment after the repaired one");
    }
  }

  @Test
  void exemplarsAndMetadataSurviveRestart() throws Exception {
    Labels ls = Labels.of("__name__", "req_total", "job", "a");
    dev.tsdb.index.storage.Exemplar ex = new dev.tsdb.index.storage.Exemplar(
        Labels.of("trace_id", "abc"), 1, T0);
    dev.tsdb.index.storage.MetricMetadata md =
        new dev.tsdb.index.storage.MetricMetadata("counter", "Requests.", "");
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      dev.tsdb.index.storage.Appender app = db.appender();
      long ref = app.append(0, ls, T0, 1);
      app.appendExemplar(ref, ls, ex);
      app.updateMetadata(0, Labels.of("__name__", "req_total"), md);
      app.commit();
    }
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      var got = db.selectExemplars(T0 - 1, T0 + 1, List.of(List.of(Matcher.eq("job", "a"))));
      assertEquals(List.of(new dev.tsdb.index.storage.ExemplarSeries(ls, List.of(ex))), got);
      assertEquals(java.util.Map.of("req_total", List.of(md)), db.metricMetadata(null, 0, 0));
      assertEquals(1, db.exemplarStats()[0]);
    }
  }

  @Test
  void lateSamplesCommittedDuringCutsAreNeverLost() throws Exception {
    DbOptions o = DbTestUtil.testOptions().outOfOrderTimeWindowMs(3 * H);
    o.walSegmentSizeBytes = 32 * 1024; // checkpoints while late data sits below the floor
    java.util.concurrent.ConcurrentLinkedQueue<Object[]> acked =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.AtomicReference<Throwable> err =
        new java.util.concurrent.atomic.AtomicReference<>();
    try (Database db = Database.open(dir, o)) {
      Thread writer = new Thread(() -> {
        try {
          java.util.Random r = new java.util.Random(7);
          java.util.Set<String> used = new java.util.HashSet<>();
          dev.tsdb.index.storage.Appender a = db.appender();
          for (int k = 0; k < 800; k++) {
            long t = T0 + k * 60_000L;
            for (int i = 0; i < 5; i++) {
              a.append(0, DbTestUtil.series(i), t, k);
              acked.add(new Object[] {DbTestUtil.series(i), t, (double) k});
            }
            List<Object[]> recs = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
              Labels late = DbTestUtil.series((k + j) % 5);
              long lt = t - 2 * H + 7 - r.nextInt((int) H); // mostly below the latest cut
              if (used.add(late + "@" + lt)) {
                try {
                  a.append(0, late, lt, -k);
                  recs.add(new Object[] {late, lt, (double) -k});
                } catch (dev.tsdb.index.storage.SampleRejectedException e) {
                  // too old for the window: not acknowledged
                }
              }
            }
            a.commit();
            acked.addAll(recs);
            if (k % 10 == 0) {
              Thread.sleep(1);
            }
          }
        } catch (Throwable e) {
          err.set(e);
        }
      });
      writer.start();
      while (writer.isAlive()) {
        db.compact();
      }
      writer.join();
      db.compact();
      assertEquals(null, err.get());
      assertTrue(db.headCutsTotal() >= 3, "cuts " + db.headCutsTotal());
    }
    Data want = new Data();
    for (Object[] x : acked) {
      want.put((Labels) x[0], (Long) x[1], (Double) x[2]);
    }
    try (Database db = Database.open(dir, o)) {
      assertEquals(want.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
  }

  @Test
  void walIsCheckpointedAfterCutsAndRestartServesEverythingOnce() throws Exception {
    DbOptions o = DbTestUtil.testOptions();
    o.walSegmentSizeBytes = 64 * 1024; // many segments, so truncation checkpoints
    Data all = new Data();
    try (Database db = Database.open(dir, o)) {
      for (long from = T0; from < T0 + 12 * H; from += H) {
        Data d = DbTestUtil.generate(40, from, from + H, 30_000, t -> t % 1013);
        DbTestUtil.append(db, d);
        all.putAll(d);
        db.compact();
      }
      assertTrue(db.headCutsTotal() >= 4);
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
    try (var s = Files.list(dir.resolve("wal"))) {
      assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("checkpoint.")),
          "a checkpoint was written");
    }
    try (Database db = Database.open(dir, o)) {
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
  }

  @Test
  void crashAtEveryHeadCutStepLosesAndDuplicatesNothing() throws Exception {
    List<String> steps = new ArrayList<>();
    Path clean = dir.resolve("clean");
    Data data = DbTestUtil.generate(10, T0, T0 + 5 * H, 60_000, t -> t % 17);
    try (Database db = Database.open(clean, DbTestUtil.testOptions().stepHook(steps::add))) {
      DbTestUtil.append(db, data);
      db.compact();
    }
    assertEquals(List.of("cut.written", "cut.truncated"), steps);
    for (int crashAt = 0; crashAt < steps.size(); crashAt++) {
      Path d = dir.resolve("crash" + crashAt);
      int target = crashAt;
      int[] seen = {0};
      DbOptions o = DbTestUtil.testOptions().stepHook(step -> {
        if (seen[0]++ == target) {
          throw new IOException("injected crash at " + step);
        }
      });
      Database db = Database.open(d, o);
      DbTestUtil.append(db, data);
      assertThrows(IOException.class, db::compact);
      db.close();
      try (Database re = Database.open(d, DbTestUtil.testOptions())) {
        assertEquals(data.asStrings(), DbTestUtil.readAll(re).asStrings(), "crash at " + crashAt);
        assertEquals(1, re.blocks().size());
        assertEquals(T0 + 2 * H, re.headFloor());
        re.compact();
        assertFalse(re.headCuttable());
        assertEquals(data.asStrings(), DbTestUtil.readAll(re).asStrings());
      }
    }
  }

  @Test
  void lateOutOfOrderSamplesBelowTheFloorAreServedAndPersisted() throws Exception {
    DbOptions o = DbTestUtil.testOptions().outOfOrderTimeWindowMs(4 * H);
    Data all = DbTestUtil.generate(5, T0, T0 + 5 * H, 60_000, t -> 1);
    dev.tsdb.index.labels.Labels s0 = DbTestUtil.series(0);
    try (Database db = Database.open(dir, o)) {
      DbTestUtil.append(db, all);
      db.compact();
      assertEquals(T0 + 2 * H, db.headFloor());
      // Late samples below the floor (between existing ones), within the 4h window.
      dev.tsdb.index.storage.Appender a = db.appender();
      a.append(0, s0, T0 + H + 30_000, 42);
      a.append(0, s0, T0 + 2 * H + 30_000, 43);
      a.commit();
      all.put(s0, T0 + H + 30_000, 42);
      all.put(s0, T0 + 2 * H + 30_000, 43);
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
    // Restart (replays the late samples from the WAL), then cut again: persisted in blocks.
    try (Database db = Database.open(dir, o)) {
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
      Data more = DbTestUtil.generate(5, T0 + 5 * H, T0 + 7 * H, 60_000, t -> 2);
      DbTestUtil.append(db, more);
      all.putAll(more);
      db.compact();
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
      for (int i = 1; i < db.blocks().size(); i++) {
        assertTrue(db.blocks().get(i).minTime() >= db.blocks().get(i - 1).maxTime(),
            "vertical compaction leaves no overlap: " + db.blocks());
      }
      try (dev.tsdb.index.storage.Querier q = db.querier(T0, db.headFloor() - 1)) {
        assertEquals(all.range(T0, db.headFloor() - 1).asStrings(), DbTestUtil.read(q).asStrings());
      }
    }
  }
}
