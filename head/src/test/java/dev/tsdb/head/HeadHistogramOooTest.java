package dev.tsdb.head;

import static dev.tsdb.head.HeadHistogramAppendTest.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.head.chunkenc.RandomHistograms;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.histogram.HistogramLayout;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkSeriesSet;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Out-of-order native histograms in the head (Prometheus 3.x): kept in the out-of-order chunks
 * beside out-of-order floats, read merged with the in-order data, replayed from the WAL and cut
 * into chunks for blocks.
 */
class HeadHistogramOooTest {
  private static final Matcher ALL = Matcher.re("__name__", ".+");
  private static final Labels S = Labels.of("__name__", "s");
  private static final int N = 240;

  @TempDir
  Path dir;

  private static HeadOptions opts() {
    HeadOptions o = new HeadOptions().clock(() -> Long.MAX_VALUE / 2)
        .outOfOrderTimeWindowMs(3_600_000);
    o.outOfOrderCapMax = 5; // many sealed out-of-order chunks, of mixed kinds
    return o;
  }

  /** Sample i of the series: kinds rotate (integer histogram, float histogram, float). */
  private static Object[] values() {
    RandomHistograms ints = new RandomHistograms(7, false, true);
    RandomHistograms floats = new RandomHistograms(8, false, false);
    Object[] out = new Object[N];
    for (int i = 0; i < N; i++) {
      out[i] = switch ((i / 4) % 3) {
        case 0 -> ints.next();
        case 1 -> floats.nextFloat();
        default -> (double) i;
      };
    }
    return out;
  }

  private static void append(Appender a, long t, Object v) throws Exception {
    if (v instanceof Histogram h) {
      a.appendHistogram(0, S, t, h, null);
    } else if (v instanceof FloatHistogram fh) {
      a.appendHistogram(0, S, t, null, fh);
    } else {
      a.append(0, S, t, (Double) v);
    }
  }

  /** Even samples in order, then the odd ones shuffled (all out of order). */
  private static List<String> fill(Head head) throws Exception {
    Object[] vs = values();
    Appender a = head.appender();
    for (int i = 0; i < N; i += 2) {
      append(a, T0 + i * 1000L, vs[i]);
      if (i % 20 == 0) {
        a.commit();
      }
    }
    a.commit();
    List<Integer> odd = new ArrayList<>();
    for (int i = 1; i < N; i += 2) {
      odd.add(i);
    }
    Collections.shuffle(odd, new Random(3));
    for (int k = 0; k < odd.size(); k++) {
      int i = odd.get(k);
      append(a, T0 + i * 1000L, vs[i]);
      if (k % 7 == 0) {
        a.commit();
      }
    }
    a.commit();
    List<String> want = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      want.add(T0 + i * 1000L + "=" + valueString(vs[i]));
    }
    return want;
  }

  /**
   * A sample's value as text: floats by their bits, histograms by kind and compacted float form
   * with the hint left out (chunk encoding may write the same buckets with other spans).
   */
  private static String valueString(Object v) {
    if (v instanceof Histogram h) {
      return "H" + valueString(FloatHistogram.of(h, null));
    }
    if (v instanceof FloatHistogram fh) {
      FloatHistogram c = HistogramLayout.compact(fh);
      c.counterResetHint = CounterResetHint.UNKNOWN;
      return c.toString();
    }
    return Long.toHexString(Double.doubleToRawLongBits((Double) v));
  }

  private static String valueString(SampleIterator it, ValueType vt) {
    return switch (vt) {
      case FLOAT -> valueString(it.v());
      case HISTOGRAM -> valueString(it.atHistogram(null));
      default -> valueString(it.atFloatHistogram(null));
    };
  }

  private static List<String> read(Head head, long mint, long maxt) {
    try (Querier q = head.querier(mint, maxt)) {
      SeriesSet ss = q.select(true, null, ALL);
      List<String> out = new ArrayList<>();
      assertTrue(ss.next());
      SampleIterator it = ss.at().iterator(null);
      for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
        out.add(it.t() + "=" + valueString(it, vt));
      }
      assertNull(it.error());
      return out;
    }
  }

  /** Like assertEquals, reporting only the first difference (the lists are long). */
  private static void assertSamples(List<String> want, List<String> got) {
    for (int i = 0; i < Math.min(want.size(), got.size()); i++) {
      assertEquals(want.get(i), got.get(i), "sample " + i);
    }
    assertEquals(want.size(), got.size(), "number of samples");
  }

  @Test
  void outOfOrderHistogramsReadMergedWithInOrderData() throws Exception {
    Head head = new Head(opts());
    List<String> want = fill(head);
    // Every odd sample but the last (newer than every in-order one) went out of order.
    assertEquals(N / 2 - 1, head.stats().outOfOrderHistogramsAppended.sum()
        + head.stats().outOfOrderSamplesAppended.sum());
    assertTrue(head.stats().outOfOrderHistogramsAppended.sum() > N / 4);
    assertSamples(want, read(head, Long.MIN_VALUE, Long.MAX_VALUE));
    assertEquals(want.subList(31, 150), read(head, T0 + 31_000, T0 + 149_000));
  }

  @Test
  void outOfOrderAndFollowingHistogramsReadWithAnUnknownHint() throws Exception {
    Head head = new Head(opts());
    RandomHistograms gauges = new RandomHistograms(5, true, false);
    Appender a = head.appender();
    Histogram g = gauges.next();
    a.appendHistogram(0, S, T0, HeadHistogramAppendTest.hist(1), null);
    a.appendHistogram(0, S, T0 + 1000, HeadHistogramAppendTest.hist(2), null);
    a.appendHistogram(0, S, T0 + 2000, HeadHistogramAppendTest.hist(3), null);
    a.appendHistogram(0, S, T0 + 3000, HeadHistogramAppendTest.hist(4), null);
    a.commit();
    Histogram ooo = HeadHistogramAppendTest.hist(9);
    ooo.counterResetHint = CounterResetHint.NOT_COUNTER_RESET;
    a.appendHistogram(0, S, T0 + 1500, ooo, null);
    a.commit();
    Labels gs = Labels.of("__name__", "g");
    a.appendHistogram(0, gs, T0 + 1000, g, null);
    a.appendHistogram(0, gs, T0, gauges.next(), null); // out of order
    a.commit();
    try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(true, null, ALL);
      List<String> hints = new ArrayList<>();
      while (ss.next()) {
        SampleIterator it = ss.at().iterator(null);
        while (it.next() != ValueType.NONE) {
          hints.add(it.t() - T0 + ":" + it.atHistogram(null).counterResetHint);
        }
      }
      assertEquals(List.of("0:GAUGE", "1000:GAUGE", // series g
          "0:UNKNOWN", "1000:NOT_COUNTER_RESET", "1500:UNKNOWN", "2000:UNKNOWN",
          "3000:NOT_COUNTER_RESET"), hints);
    }
  }

  @Test
  void walReplayKeepsOutOfOrderHistograms() throws Exception {
    List<String> want;
    try (Head h = Head.open(dir, opts())) {
      want = fill(h);
      assertSamples(want, read(h, Long.MIN_VALUE, Long.MAX_VALUE));
    }
    try (Head h = Head.open(dir, opts())) {
      assertSamples(want, read(h, Long.MIN_VALUE, Long.MAX_VALUE));
      assertTrue(h.stats().outOfOrderHistogramsAppended.sum() > N / 4, h.replaySummary());
    }
  }

  @Test
  void chunkQuerierCutsMergedNonOverlappingChunks() throws Exception {
    Head head = new Head(opts());
    List<String> want = fill(head);
    long mint = T0 + 10_000;
    long maxt = T0 + 199_000;
    List<String> got = new ArrayList<>();
    try (ChunkQuerier q = head.chunkQuerier(mint, maxt)) {
      ChunkSeriesSet ss = q.select(true, null, ALL);
      assertTrue(ss.next());
      long prevMax = Long.MIN_VALUE;
      for (ChunkMeta c : ss.at().chunks()) {
        assertTrue(c.minTime() > prevMax, "chunks do not overlap");
        assertTrue(c.minTime() >= mint && c.maxTime() <= maxt);
        prevMax = c.maxTime();
        byte[] b = new byte[c.data().remaining()];
        c.data().duplicate().get(b);
        SampleIterator it = HeadChunkQuerier.chunkIterator(c.encoding(), b, 0, b.length,
            c.numSamples());
        for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
          got.add(it.t() + "=" + valueString(it, vt));
        }
      }
    }
    assertSamples(want.subList(10, 200), got);
  }
}
