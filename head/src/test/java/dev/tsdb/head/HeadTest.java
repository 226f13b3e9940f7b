package dev.tsdb.head;

import static dev.tsdb.head.HeadTestUtil.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.head.HeadTestUtil.Sample;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SampleRejectedException;
import dev.tsdb.index.storage.SampleRejectedException.Reason;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.testkit.MemStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadTest {
  static final long T0 = 1_700_000_000_000L;
  static final Labels UP = Labels.of("__name__", "up", "job", "api");

  private static Head head() {
    return new Head(new HeadOptions().clock(() -> T0 + 36_000_000));
  }

  private static Reason rejected(Appender a, Labels ls, long t, double v) {
    SampleRejectedException e =
        assertThrows(SampleRejectedException.class, () -> a.append(0, ls, t, v));
    return e.reason();
  }

  @Test
  void aReferenceOfAnotherSeriesGivesWayToTheLabels() throws Exception {
    Head h = head();
    Appender a = h.appender();
    Labels other = Labels.of("__name__", "up", "job", "db");
    long upRef = a.append(0, UP, T0 + 1000, 1);
    long otherRef = a.append(0, other, T0 + 1000, 2);
    a.commit();
    // The current reference with its own labels (any instance of them) is used as is; a
    // reference remembered for other labels (e.g. of another storage) is not.
    assertEquals(upRef, a.append(upRef, Labels.of("__name__", "up", "job", "api"), T0 + 2000, 3));
    assertEquals(otherRef, a.append(upRef, other, T0 + 2000, 4));
    assertEquals(upRef, a.append(upRef, null, T0 + 3000, 5)); // no labels: the reference decides
    a.commit();
    Map<Labels, List<Sample>> got = read(h, T0, T0 + 10_000, Matcher.eq("__name__", "up"));
    assertEquals(List.of(new Sample(T0 + 1000, 1), new Sample(T0 + 2000, 3),
        new Sample(T0 + 3000, 5)), got.get(UP));
    assertEquals(List.of(new Sample(T0 + 1000, 2), new Sample(T0 + 2000, 4)), got.get(other));
  }

  @Test
  void appendRulesAsPrometheus() throws Exception {
    Head h = new Head(new HeadOptions().clock(() -> T0 + 3_600_000));
    Appender a = h.appender();
    a.append(0, UP, T0 + 1000, 1);
    a.commit();
    // same timestamp + same value: silently accepted, no second sample
    a.append(0, UP, T0 + 1000, 1);
    a.commit();
    assertEquals(Reason.DUPLICATE, rejected(a, UP, T0 + 1000, 2));
    assertEquals(Reason.OUT_OF_ORDER, rejected(a, UP, T0 + 500, 2));
    // NaN duplicates compare by bits
    a.append(0, UP, T0 + 2000, Double.NaN);
    a.commit();
    a.append(0, UP, T0 + 2000, Double.NaN);
    assertEquals(Reason.DUPLICATE,
        rejected(a, UP, T0 + 2000, Double.longBitsToDouble(0x7ff0000000000002L)));
    a.commit();
    // out of bounds: older than head maxt - chunkRange/2, even for a new series
    Labels other = Labels.of("__name__", "other");
    assertEquals(Reason.OUT_OF_BOUNDS, rejected(h.appender(), other, T0 + 2000 - 3_600_001, 1));
    h.appender().append(0, other, T0 + 2000 - 3_600_000, 1);
    // too far in the future (clock is T0 + 1h)
    assertEquals(Reason.TOO_FAR_IN_FUTURE, rejected(h.appender(), UP, T0 + 3_600_000 + 600_001, 1));
    h.appender().append(0, UP, T0 + 3_600_000 + 600_000, 1);
    assertEquals(Reason.INVALID_LABELS, rejected(h.appender(), Labels.EMPTY, T0 + 5000, 1));
    assertEquals(Reason.INVALID_LABELS, rejected(h.appender(), null, T0 + 5000, 1));

    Map<Labels, List<Sample>> got = read(h, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.eq("job", "api"));
    List<Sample> s = got.get(UP);
    assertEquals(2, s.size());
    assertEquals(new Sample(T0 + 1000, 1), s.get(0));
    assertEquals(T0 + 2000, s.get(1).t());
    assertTrue(Double.isNaN(s.get(1).v()));
    assertEquals(T0 + 1000, h.minTime());
    assertEquals(T0 + 2000, h.maxTime());
  }

  @Test
  void refsSkipLookupAndStayStable() throws Exception {
    Head h = head();
    Appender a = h.appender();
    long ref = a.append(0, UP, T0, 1);
    assertTrue(ref > 0);
    assertEquals(ref, a.append(ref, UP, T0 + 1, 2));
    assertEquals(ref, a.append(0, Labels.of("job", "api", "__name__", "up"), T0 + 2, 3));
    long other = a.append(0, Labels.of("__name__", "x"), T0, 1);
    assertTrue(other != ref);
    // an unknown ref falls back to the labels
    assertEquals(ref, a.append(999_999, UP, T0 + 3, 4));
    a.commit();
    assertEquals(4, read(h, T0, T0 + 10, Matcher.eq("__name__", "up")).get(UP).size());
  }

  @Test
  void existingLabelsFindsKnownSeriesWithoutBuildingLabels() throws Exception {
    Head h = head();
    Appender a = h.appender();
    String[] nv = {"__name__", "up", "job", "api", "stale", "x"};
    assertEquals(null, a.existingLabels(nv, 4)); // not created yet
    long ref = a.append(0, UP, T0, 1);
    // known once appended, even before the commit
    Labels found = a.existingLabels(nv, 4);
    assertEquals(UP, found);
    assertSame(found, a.existingLabels(new String[] {"__name__", "up", "job", "api"}, 4));
    assertEquals(null, a.existingLabels(nv, 6));
    assertEquals(null, a.existingLabels(nv, 2));
    assertEquals(null, a.existingLabels(nv, 0));
    assertEquals(ref, a.append(0, found, T0 + 1, 2));
    a.commit();
    // batch arrays go back to the pool and come out again for the next batch
    for (int batch = 0; batch < 3; batch++) {
      Appender b = h.appender();
      for (int i = 0; i < 300; i++) {
        b.append(0, Labels.of("__name__", "m", "i", Integer.toString(i)), T0 + batch, i);
      }
      b.append(0, b.existingLabels(nv, 4), T0 + 2 + batch, 3);
      b.commit();
    }
    assertEquals(5, read(h, T0, T0 + 10, Matcher.eq("__name__", "up")).get(UP).size());
    assertEquals(300 * 3, read(h, T0, T0 + 10, Matcher.eq("__name__", "m")).values().stream()
        .mapToInt(List::size).sum());
  }

  @Test
  void uncommittedInvisibleAndRollbackDiscards() throws Exception {
    Head h = head();
    Appender a = h.appender();
    a.append(0, UP, T0, 1);
    assertTrue(read(h, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.eq("job", "api")).isEmpty());
    a.rollback();
    assertTrue(read(h, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.eq("job", "api")).isEmpty());
    a.append(0, UP, T0 + 10, 2);
    a.commit();
    assertEquals(List.of(new Sample(T0 + 10, 2)),
        read(h, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.eq("job", "api")).get(UP));
  }

  @Test
  void querierKeepsItsSnapshot() throws Exception {
    Head h = head();
    Appender a = h.appender();
    a.append(0, UP, T0, 1);
    a.commit();
    try (Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      for (int i = 1; i <= 300; i++) { // crosses chunk cuts
        a.append(0, UP, T0 + i * 15_000L, i);
        a.append(0, Labels.of("__name__", "new"), T0 + i * 15_000L, i);
        a.commit();
      }
      Map<Labels, List<Sample>> got = read(q, Matcher.re("__name__", ".+"));
      assertEquals(1, got.size());
      assertEquals(List.of(new Sample(T0, 1)), got.get(UP));
    }
    assertEquals(301, read(h, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.eq("job", "api")).get(UP).size());
  }

  /** A WAL hook that parks the committing thread so a query can run mid-commit. */
  static final class BlockingWal implements HeadWal {
    final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    volatile boolean block;

    @Override
    public void logSeries(long[] refs, Labels[] labels, int n) {}

    @Override
    public void logSamples(long[] refs, long[] ts, double[] vs, int n) {}

    @Override
    public void flush() {
      if (block) {
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void sync() {}
  }

  @Test
  void commitIsAllOrNothingAcrossSeries() throws Exception {
    BlockingWal wal = new BlockingWal();
    Head h = new Head(new HeadOptions().clock(() -> T0).wal(wal));
    Appender a = h.appender();
    for (int s = 0; s < 50; s++) {
      a.append(0, Labels.of("__name__", "m", "s", "" + s), T0 - 1000, 0);
    }
    a.commit();
    wal.block = true;
    Thread writer = new Thread(() -> {
      try {
        for (int s = 0; s < 50; s++) {
          a.append(0, Labels.of("__name__", "m", "s", "" + s), T0, 1);
        }
        a.commit();
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    writer.start();
    wal.entered.await();
    Querier during = h.querier(Long.MIN_VALUE, Long.MAX_VALUE);
    wal.release.countDown();
    writer.join();
    for (List<Sample> s : read(during, Matcher.eq("__name__", "m")).values()) {
      assertEquals(1, s.size());
    }
    during.close();
    Map<Labels, List<Sample>> after = read(h, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.eq("__name__", "m"));
    assertEquals(50, after.size());
    for (List<Sample> s : after.values()) {
      assertEquals(2, s.size());
    }
  }

  @Test
  void matchesMemStorageOnRandomData() throws Exception {
    Random r = new Random(11);
    Head h = new Head(new HeadOptions().clock(() -> Long.MAX_VALUE / 2));
    MemStorage oracle = new MemStorage();
    List<Labels> series = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      series.add(Labels.of("__name__", "metric_" + (i % 7), "instance", "host" + (i % 13),
          "job", i % 2 == 0 ? "even" : "odd", "i", "" + i));
    }
    long[] last = new long[series.size()];
    java.util.Arrays.fill(last, T0);
    long base = T0;
    for (int batch = 0; batch < 100; batch++) {
      Appender ha = h.appender();
      Appender oa = oracle.appender();
      base += 1 + r.nextInt(r.nextBoolean() ? 30_000 : 600_000);
      for (int k = 0; k < 50; k++) {
        int i = r.nextInt(series.size());
        long t = Math.max(last[i] + 1, base + r.nextInt(20_000));
        last[i] = t;
        double v = r.nextInt(10) == 0 ? Double.NaN : r.nextGaussian();
        ha.append(0, series.get(i), t, v);
        oa.append(0, series.get(i), t, v);
      }
      ha.commit();
      oa.commit();
    }
    Matcher[][] queries = {
        {Matcher.re("__name__", ".+")},
        {Matcher.eq("job", "even"), Matcher.re("instance", "host(1|2|3)")},
        {Matcher.re("__name__", "metric_[0-3]"), Matcher.neq("job", "odd")},
        {Matcher.eq("i", "17")},
    };
    long maxT = java.util.Arrays.stream(last).max().getAsLong();
    long[][] ranges = {{Long.MIN_VALUE, Long.MAX_VALUE}, {T0 + 1_000_000, T0 + 50_000_000},
        {maxT - 100_000, maxT}, {T0 + 7_777_777, T0 + 7_777_777}};
    for (Matcher[] q : queries) {
      for (long[] range : ranges) {
        Map<Labels, List<Sample>> want;
        try (Querier oq = oracle.querier(range[0], range[1])) {
          want = read(oq, q);
        }
        Map<Labels, List<Sample>> got = read(h, range[0], range[1], q);
        // Like Prometheus, a series whose chunk overlaps the range may come back without samples.
        got.values().removeIf(List::isEmpty);
        assertEquals(want.keySet().stream().toList(), got.keySet().stream().toList());
        for (Labels ls : want.keySet()) {
          assertEquals(bits(want.get(ls)), bits(got.get(ls)), ls.toString());
        }
      }
    }
    // Seek across chunks.
    try (Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE);
        Querier oq = oracle.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet a = q.select(true, null, Matcher.re("__name__", ".+"));
      SeriesSet b = oq.select(true, null, Matcher.re("__name__", ".+"));
      SampleIterator reuse = null;
      while (a.next()) {
        assertTrue(b.next());
        SampleIterator x = a.at().iterator(reuse);
        reuse = x;
        SampleIterator y = b.at().iterator(null);
        long target = T0;
        while (true) {
          ValueType vx = x.seek(target);
          ValueType vy = y.seek(target);
          assertEquals(vy, vx);
          if (vx == ValueType.NONE) {
            break;
          }
          assertEquals(y.t(), x.t());
          target = x.t() + r.nextInt(2_000_000);
          if (r.nextBoolean()) {
            ValueType ny = y.next();
            assertEquals(ny, x.next());
            if (ny == ValueType.NONE) {
              break;
            }
            assertEquals(y.t(), x.t());
            target = x.t() + r.nextInt(2_000_000);
          }
        }
      }
    }
  }

  private static List<String> bits(List<Sample> s) {
    return s.stream().map(x -> x.t() + ":" + Double.doubleToRawLongBits(x.v())).toList();
  }

  @Test
  void chunksAreCutAsPrometheus() throws Exception {
    Head h = new Head(new HeadOptions().clock(() -> Long.MAX_VALUE / 2));
    Appender a = h.appender();
    // 15s scrapes from a 2h boundary for 4h: 480 samples per 2h range, i.e. 4 chunks of 120.
    long start = 1_699_999_200_000L; // divisible by 2h
    assertEquals(0, start % 7_200_000);
    long ref = 0;
    for (int i = 0; i < 960; i++) {
      ref = a.append(ref, UP, start + i * 15_000L, i);
    }
    a.commit();
    MemSeries s = h.byRef(ref);
    synchronized (s) {
      assertEquals(7, s.nSealed);
      for (int i = 0; i < s.nSealed; i++) {
        assertEquals(120, SealedChunk.numSamples(s.sealed[i]));
        assertEquals(start + i * 120 * 15_000L, SealedChunk.minT(s.sealed[i]));
      }
      assertEquals(120, s.head.numSamples());
    }
    // A huge burst (1ms apart) is capped at 2 * 120 samples per chunk.
    Labels burst = Labels.of("__name__", "burst");
    long later = start + 960 * 15_000L;
    for (int i = 0; i < 1000; i++) {
      ref = a.append(i == 0 ? 0 : ref, burst, later + i, 1);
    }
    a.commit();
    s = h.byRef(ref);
    synchronized (s) {
      assertTrue(s.nSealed >= 4);
      for (int i = 0; i < s.nSealed; i++) {
        assertTrue(SealedChunk.numSamples(s.sealed[i]) <= 240);
      }
    }
    // Random values: chunks stay under ~1 KiB.
    Labels noisy = Labels.of("__name__", "noisy");
    Random r = new Random(1);
    for (int i = 0; i < 1000; i++) {
      ref = a.append(i == 0 ? 0 : ref, noisy, later + i * 1000L, Double.longBitsToDouble(r.nextLong() >>> 2));
    }
    a.commit();
    s = h.byRef(ref);
    synchronized (s) {
      for (int i = 0; i < s.nSealed; i++) {
        assertTrue(SealedChunk.dataLength(s.sealed[i]) <= 1024);
      }
    }
  }

  @Test
  void computeChunkEndTimeMatchesUpstreamExamples() {
    // 30 samples at 15s from start; max 2h later: the rest of the range splits into equal chunks.
    long start = 0;
    long cur = 29 * 15_000;
    long end = MemSeries.computeChunkEndTime(start, cur, 7_200_000, 4);
    assertEquals(1_800_000, end); // 7.2M / floor(7.2M / (435001*4)) = 7.2M / 4
    assertEquals(7_200_000, MemSeries.computeChunkEndTime(0, 3_000_000, 7_200_000, 4));
    assertEquals(7_200_000, MemSeries.rangeForTimestamp(1, 7_200_000));
    assertEquals(7_200_000, MemSeries.rangeForTimestamp(-1, 7_200_000)); // Go truncates toward zero too
  }

  @Test
  void outOfOrderWindow() throws Exception {
    Head h = new Head(new HeadOptions().clock(() -> T0 + 3_600_000).outOfOrderTimeWindowMs(600_000));
    Appender a = h.appender();
    for (int i = 0; i < 10; i++) {
      a.append(0, UP, T0 + i * 60_000L, i);
    }
    a.commit();
    // maxt = T0 + 540s; window 600s: T0 - 60s is the oldest accepted.
    a.append(0, UP, T0 + 30_000, 0.5);
    a.append(0, UP, T0 - 60_000, -1);
    a.append(0, UP, T0 + 90_000, 1.5);
    a.append(0, UP, T0 + 60_000, 99); // same ts as an in-order sample: the in-order one wins
    assertEquals(Reason.TOO_OLD, rejected(a, UP, T0 - 60_001, 1));
    a.commit();
    for (int i = 0; i < 40; i++) { // enough to seal out-of-order chunks (cap 32)
      a.append(0, UP, T0 + 1_000 + i * 1_000L, 1000 + i);
    }
    a.commit();
    List<Sample> got = read(h, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.eq("job", "api")).get(UP);
    long prev = Long.MIN_VALUE;
    for (Sample s : got) {
      assertTrue(s.t() > prev, "sorted");
      prev = s.t();
    }
    assertEquals(new Sample(T0 - 60_000, -1), got.get(0));
    assertTrue(got.contains(new Sample(T0 + 60_000, 1)));
    assertTrue(got.contains(new Sample(T0 + 30_000, 0.5)));
    assertEquals(10 + 3 + 40 - 1 /* T0+30s collides with i=29 */, got.size());
    // bounded reads and seek into the merged stream
    List<Sample> part = read(h, T0 + 10_000, T0 + 20_000, Matcher.eq("job", "api")).get(UP);
    assertEquals(11, part.size());
    assertEquals(T0 + 10_000, part.get(0).t());
  }

  @Test
  void labelListings() throws Exception {
    Head h = head();
    Appender a = h.appender();
    a.append(0, Labels.of("__name__", "up", "job", "api", "instance", "a"), T0, 1);
    a.append(0, Labels.of("__name__", "up", "job", "db", "instance", "b"), T0, 1);
    a.append(0, Labels.of("__name__", "http", "job", "api", "code", "200"), T0, 1);
    a.commit();
    try (Querier q = h.querier(T0 - 1000, T0 + 1000)) {
      assertEquals(List.of("__name__", "code", "instance", "job"), q.labelNames());
      assertEquals(List.of("__name__", "instance", "job"), q.labelNames(Matcher.eq("__name__", "up")));
      assertEquals(List.of("api", "db"), q.labelValues("job"));
      assertEquals(List.of("api"), q.labelValues("job", Matcher.eq("__name__", "http")));
      assertEquals(List.of("http", "up"), q.labelValues("__name__"));
      assertEquals(List.of(), q.labelValues("nope"));
    }
    try (Querier q = h.querier(T0 + 10_000, T0 + 20_000)) {
      assertEquals(List.of(), q.labelNames());
    }
    // Interned: the same label strings are shared between series.
    List<Labels> ls = new ArrayList<>(read(h, T0, T0, Matcher.eq("__name__", "up")).keySet());
    assertSame(ls.get(0).get("__name__"), ls.get(1).get("__name__"));
  }

  @Test
  void selectHintsNarrowTheRange() throws Exception {
    Head h = head();
    Appender a = h.appender();
    for (int i = 0; i < 10; i++) {
      a.append(0, UP, T0 + i * 1000L, i);
    }
    a.commit();
    try (Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(false, SelectHints.range(T0 + 3000, T0 + 5000), Matcher.eq("job", "api"));
      assertTrue(ss.next());
      SampleIterator it = ss.at().iterator(null);
      int n = 0;
      while (it.next() == ValueType.FLOAT) {
        n++;
      }
      assertEquals(3, n);
    }
  }

  @Test
  void selectHintsWithoutTimesKeepTheQueriersRange() throws Exception {
    // Remote-read hints whose start and end were left unset decode as 0, 0: not a range. The
    // head used to read them as [0, 0] and return nothing, unlike blocks and the chunk view.
    Head h = head();
    Appender a = h.appender();
    for (int i = 0; i < 10; i++) {
      a.append(0, UP, T0 + i * 1000L, i);
    }
    a.commit();
    try (Querier q = h.querier(T0 + 2000, T0 + 6000)) {
      SeriesSet ss = q.select(false, new SelectHints(0, 0, 0, 0, "rate", List.of(), false),
          Matcher.eq("job", "api"));
      assertTrue(ss.next());
      SampleIterator it = ss.at().iterator(null);
      int n = 0;
      while (it.next() == ValueType.FLOAT) {
        n++;
      }
      assertEquals(5, n);
    }
  }

  @Test
  void truncationDropsOldChunksAndSeries() throws Exception {
    Head h = new Head(new HeadOptions().clock(() -> Long.MAX_VALUE / 2));
    Appender a = h.appender();
    Labels old = Labels.of("__name__", "old");
    long start = 1_699_999_200_000L;
    a.append(0, old, start, 1);
    for (int i = 0; i < 960; i++) {
      a.append(0, UP, start + i * 15_000L, i);
    }
    a.commit();
    assertEquals(2, h.numSeries());
    long cut = start + 7_200_000;
    assertEquals(1, h.truncateBefore(cut));
    assertEquals(1, h.numSeries());
    assertEquals(cut, h.minTime());
    try (Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertEquals(List.of("api"), q.labelValues("job"));
      assertEquals(List.of("up"), q.labelValues("__name__"));
    }
    List<Sample> got = read(h, Long.MIN_VALUE, Long.MAX_VALUE, Matcher.eq("job", "api")).get(UP);
    assertEquals(480, got.size());
    assertEquals(cut, got.get(0).t());
    // The old series can come back with new data.
    a.append(0, old, start + 960 * 15_000L, 5);
    a.commit();
    assertEquals(2, h.numSeries());
    assertEquals(Reason.OUT_OF_BOUNDS, rejected(h.appender(), Labels.of("__name__", "x"), cut - 1, 1));
  }
}
