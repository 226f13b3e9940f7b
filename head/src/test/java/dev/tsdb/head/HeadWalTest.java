package dev.tsdb.head;

import static dev.tsdb.head.HeadTestUtil.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.head.HeadTestUtil.Sample;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.wal.WalOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadWalTest {
  static final long T0 = 1_700_000_000_000L;
  @TempDir
  Path dir;

  private HeadOptions opts() {
    return new HeadOptions().clock(() -> Long.MAX_VALUE / 2);
  }

  private static Map<Labels, List<Sample>> all(Head h) {
    return read(h, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.re("__name__", ".+"));
  }

  /** Fills a head with series of varied shapes over a few hours; returns it still open. */
  private static void fill(Head h, int seriesCount, int commits) throws Exception {
    Random r = new Random(5);
    Appender a = h.appender();
    long[] refs = new long[seriesCount];
    for (int k = 0; k < commits; k++) {
      long t = T0 + k * 15_000L;
      for (int i = 0; i < seriesCount; i++) {
        if (r.nextInt(10) == 0) {
          continue; // gaps
        }
        double v = i % 7 == 0 ? Double.NaN : (i % 3 == 0 ? k : r.nextGaussian());
        refs[i] = a.append(refs[i], Labels.of("__name__", "m" + (i % 5), "i", "" + i), t + i, v);
      }
      a.commit();
    }
  }

  @Test
  void reopenReplaysEverything() throws Exception {
    Map<Labels, List<Sample>> before;
    try (Head h = Head.open(dir, opts())) {
      fill(h, 300, 200);
      before = all(h);
    }
    for (int threads : new int[] {1, 3}) {
      try (Head h = Head.open(dir, opts().replayThreads(threads))) {
        Map<Labels, List<Sample>> after = all(h);
        assertEquals(before.keySet(), after.keySet());
        for (Labels ls : before.keySet()) {
          assertEquals(bits(before.get(ls)), bits(after.get(ls)), ls.toString());
        }
        assertTrue(h.replaySummary().contains("samples"), h.replaySummary());
      }
    }
  }

  @Test
  void refsSurviveRestartAndNewSeriesGetFreshIds() throws Exception {
    long ref;
    Labels a = Labels.of("__name__", "a");
    try (Head h = Head.open(dir, opts())) {
      Appender app = h.appender();
      ref = app.append(0, a, T0, 1);
      app.commit();
    }
    try (Head h = Head.open(dir, opts())) {
      Appender app = h.appender();
      assertEquals(ref, app.append(ref, a, T0 + 1000, 2));
      long other = app.append(0, Labels.of("__name__", "b"), T0 + 1000, 3);
      assertTrue(other > ref);
      app.commit();
    }
    try (Head h = Head.open(dir, opts())) {
      assertEquals(2, h.numSeries());
      assertEquals(List.of(new Sample(T0, 1), new Sample(T0 + 1000, 2)),
          read(h, T0, T0 + 1000, Matcher.eq("__name__", "a")).get(a));
    }
  }

  @Test
  void rolledBackAndRejectedSamplesAreNotReplayedAsData() throws Exception {
    Labels a = Labels.of("__name__", "a");
    try (Head h = Head.open(dir, opts())) {
      Appender app = h.appender();
      app.append(0, a, T0, 1);
      app.rollback();
      app.append(0, a, T0 + 10, 2);
      app.commit();
      try {
        app.append(0, a, T0 + 5, 3); // out of order
      } catch (dev.tsdb.index.storage.SampleRejectedException expected) {
        // not logged
      }
      app.commit();
    }
    try (Head h = Head.open(dir, opts())) {
      assertEquals(List.of(new Sample(T0 + 10, 2)), read(h, T0, T0 + 100, Matcher.eq("__name__", "a")).get(a));
    }
  }

  @Test
  void outOfOrderSamplesReplay() throws Exception {
    HeadOptions o = opts().outOfOrderTimeWindowMs(3_600_000);
    Map<Labels, List<Sample>> before;
    try (Head h = Head.open(dir, o)) {
      Appender app = h.appender();
      Labels a = Labels.of("__name__", "a");
      for (int i = 0; i < 100; i++) {
        app.append(0, a, T0 + i * 1000L, i);
      }
      app.commit();
      for (int i = 0; i < 100; i++) {
        app.append(0, a, T0 + i * 1000L + 500, -i);
      }
      app.commit();
      before = all(h);
      assertEquals(200, before.get(a).size());
    }
    try (Head h = Head.open(dir, o)) {
      assertEquals(before, all(h));
    }
  }

  @Test
  void truncationAndCheckpointThenReplay() throws Exception {
    HeadOptions o = opts().walOptions(WalOptions.DEFAULT.withSegmentSize(64 * 1024));
    Map<Labels, List<Sample>> before;
    long cut = T0 + 200 * 15_000L;
    try (Head h = Head.open(dir, o)) {
      Appender a = h.appender();
      a.append(0, Labels.of("__name__", "gone"), T0, 1); // only old data: removed by truncation
      a.commit();
      fill(h, 200, 400);
      h.truncateBefore(cut);
      int last = h.truncateWal(cut);
      assertTrue(last >= 1, "checkpointed up to " + last);
      assertTrue(Files.isDirectory(dir.resolve("wal").resolve(String.format("checkpoint.%08d", last))));
      before = all(h);
      assertFalse(before.containsKey(Labels.of("__name__", "gone")));
      fill(h, 0, 0);
    }
    try (Head h = Head.open(dir, o)) {
      Map<Labels, List<Sample>> after = read(h, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.re("__name__", ".+"));
      // The truncated head keeps whole chunks; the checkpoint keeps samples >= cut exactly, and
      // the chunks loaded from chunks_head/ bring back whole chunks as the head held them.
      assertEquals(before.keySet(), after.keySet());
      for (Labels ls : before.keySet()) {
        List<Sample> want = before.get(ls).stream().filter(s -> s.t() >= cut).toList();
        List<Sample> got = after.get(ls).stream().filter(s -> s.t() >= cut).toList();
        assertEquals(bits(want), bits(got), ls.toString());
        List<Sample> older = after.get(ls).stream().filter(s -> s.t() < cut).toList();
        assertTrue(bits(before.get(ls)).containsAll(bits(older)),
            ls + ": only what the truncated head still held");
      }
    }
  }

  @Test
  void tornTailIsCutAndEarlierDataSurvives() throws Exception {
    Labels a = Labels.of("__name__", "a");
    try (Head h = Head.open(dir, opts())) {
      Appender app = h.appender();
      for (int i = 0; i < 50; i++) {
        app.append(0, a, T0 + i, i);
        app.commit();
      }
    }
    // Damage the end of the newest segment: cut its last few bytes and append garbage.
    HeadTestUtil.corruptLastRecord(dir.resolve("wal")); // the last commit's record
    try (Head h = Head.open(dir, opts())) {
      assertTrue(h.replaySummary().contains("corruption="), h.replaySummary());
      List<Sample> got = read(h, T0, T0 + 100, Matcher.eq("__name__", "a")).get(a);
      assertEquals(49, got.size()); // the last commit's record was torn
      for (int i = 0; i < got.size(); i++) {
        assertEquals(new Sample(T0 + i, i), got.get(i));
      }
      // And it keeps working after the repair.
      Appender app = h.appender();
      app.append(0, a, T0 + 1000, 7);
      app.commit();
    }
    try (Head h = Head.open(dir, opts())) {
      assertEquals(50, read(h, T0, T0 + 1000, Matcher.eq("__name__", "a")).get(a).size());
    }
  }

  @Test
  void replayReportsSegmentProgress() throws Exception {
    HeadOptions o = opts().walOptions(WalOptions.DEFAULT.withSegmentSize(64 * 1024));
    try (Head h = Head.open(dir, o)) {
      fill(h, 200, 200);
    }
    int segments;
    try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
      segments = (int) s.filter(p -> p.getFileName().toString().matches("\\d{8}")).count();
    }
    assertTrue(segments >= 3, "segments " + segments);
    ReplayProgress p = new ReplayProgress();
    assertEquals(0.0, p.fraction());
    java.util.List<Double> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread watcher = new Thread(() -> {
      while (!p.done()) {
        seen.add(p.fraction());
        Thread.onSpinWait();
      }
    });
    watcher.start();
    try (Head h = Head.open(dir, opts().replayProgress(p))) {
      watcher.join();
      assertEquals(1.0, h.replayProgress().fraction());
      assertEquals(new ReplayProgress.Status(0, segments - 1, segments - 1), p.status());
    }
    for (int i = 1; i < seen.size(); i++) {
      assertTrue(seen.get(i) >= seen.get(i - 1), "progress never goes back");
    }
    assertEquals(1.0, new Head(opts()).replayProgress().fraction(), "nothing to replay");
  }

  @Test
  void syncPerCommitWorks() throws Exception {
    try (Head h = Head.open(dir, opts().walSyncPerCommit(true))) {
      fill(h, 10, 5);
    }
    try (Head h = Head.open(dir, opts())) {
      assertEquals(10, h.numSeries());
    }
  }

  private static List<String> bits(List<Sample> s) {
    return s.stream().map(x -> x.t() + ":" + Double.doubleToRawLongBits(x.v())).toList();
  }

  static void unused() throws IOException {}
}
