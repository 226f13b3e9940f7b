package dev.tsdb.head;

import static dev.tsdb.head.HeadTestUtil.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.head.HeadTestUtil.Sample;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.wal.WalOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadDeleteTest {
  static final Labels A = Labels.of("__name__", "m", "s", "a");
  static final Labels B = Labels.of("__name__", "m", "s", "b");
  @TempDir
  Path dir;

  private static HeadOptions opts() {
    return new HeadOptions().clock(() -> Long.MAX_VALUE / 2);
  }

  /** Samples at t = 0, 10, ..., 990 for A and B. */
  private static void fill(Head h, long from, long to) throws Exception {
    Appender app = h.appender();
    for (long t = from; t < to; t += 10) {
      app.append(0, A, t, t);
      app.append(0, B, t, -t);
    }
    app.commit();
  }

  private static List<Long> times(Head h, Labels ls) {
    List<Sample> s = read(h, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.eq("__name__", "m")).get(ls);
    return s == null ? null : s.stream().map(Sample::t).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.iterate(from, t -> t < to, t -> t + 10).boxed().toList();
  }

  @Test
  void deletedSamplesAreSkippedByNextAndSeek() throws Exception {
    Head h = new Head(opts());
    fill(h, 0, 1000);
    assertEquals(1, h.delete(100, 195, Matcher.eq("s", "a")));
    assertEquals(1, h.delete(500, 500, Matcher.eq("s", "a")));
    List<Long> want = new java.util.ArrayList<>(range(0, 100));
    want.addAll(range(200, 500));
    want.addAll(range(510, 1000));
    assertEquals(want, times(h, A));
    assertEquals(range(0, 1000), times(h, B));
    try (Querier q = h.querier(0, 2000)) {
      SeriesSet ss = q.select(true, null, Matcher.eq("s", "a"));
      assertTrue(ss.next());
      SampleIterator it = ss.at().iterator(null);
      assertEquals(ValueType.FLOAT, it.seek(150));
      assertEquals(200, it.t());
      assertEquals(ValueType.FLOAT, it.seek(500));
      assertEquals(510, it.t());
      assertEquals(ValueType.FLOAT, it.next());
      assertEquals(520, it.t());
    }
  }

  @Test
  void fullyDeletedSeriesIsNotSelectedAndLaterSamplesStay() throws Exception {
    Head h = new Head(opts());
    fill(h, 0, 1000);
    // Clamped to the data held now (Prometheus): samples appended later are not deleted.
    assertEquals(2, h.delete(Long.MIN_VALUE, Long.MAX_VALUE, Matcher.eq("__name__", "m")));
    assertEquals(Map.of(), read(h, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.eq("__name__", "m")));
    fill(h, 1000, 1100);
    assertEquals(range(1000, 1100), times(h, A));
    assertEquals(0, h.delete(5000, 6000, Matcher.eq("s", "a")), "no data there");
  }

  @Test
  void tombstonesSurviveRestart() throws Exception {
    try (Head h = Head.open(dir, opts())) {
      fill(h, 0, 1000);
      h.delete(100, 195, Matcher.eq("s", "a"));
      h.delete(0, 2000, Matcher.eq("s", "b"));
    }
    try (Head h = Head.open(dir, opts())) {
      List<Long> want = new java.util.ArrayList<>(range(0, 100));
      want.addAll(range(200, 1000));
      assertEquals(want, times(h, A));
      assertEquals(null, times(h, B));
      assertTrue(h.replaySummary().contains("tombstones=2"), h.replaySummary());
    }
  }

  @Test
  void checkpointKeepsTombstonesOfLiveSeries() throws Exception {
    HeadOptions o = opts().walOptions(WalOptions.DEFAULT.withSegmentSize(64 * 1024))
        .chunkRangeMs(1_000_000);
    Labels gone = Labels.of("__name__", "m", "s", "gone");
    long step = 10;
    long end;
    try (Head h = Head.open(dir, o)) {
      Appender app = h.appender();
      app.append(0, gone, 0, 1);
      app.commit();
      h.delete(0, 0, Matcher.eq("s", "gone"));
      // Enough data for several segments.
      long t = 0;
      for (int k = 0; k < 400; k++) {
        for (int i = 0; i < 50; i++, t += step) {
          app.append(0, A, t, t);
          app.append(0, B, t, t);
        }
        app.commit();
      }
      end = t;
      h.delete(end / 2, end / 2 + 995, Matcher.eq("s", "a"));
      fill(h, end, end + 10); // a record after the tombstone
      h.truncateBefore(10);
      int last = h.truncateWal(10);
      assertTrue(last >= 1, "checkpointed up to " + last);
      assertFalse(h.hasSeries(1)); // "gone" was truncated away
    }
    Path cp = Files.list(dir.resolve("wal")).filter(p -> p.getFileName().toString()
        .startsWith("checkpoint.")).findFirst().orElseThrow();
    try (Head h = Head.open(dir, o)) {
      List<Long> got = times(h, A);
      assertFalse(got.contains(end / 2));
      assertFalse(got.contains(end / 2 + 990));
      assertTrue(got.contains(end / 2 - 10));
      assertTrue(got.contains(end / 2 + 1000));
      assertEquals(1, h.tombstonedSeries(), "the dead series' tombstone was not carried over");
    }
    assertTrue(Files.isDirectory(cp));
  }
}
