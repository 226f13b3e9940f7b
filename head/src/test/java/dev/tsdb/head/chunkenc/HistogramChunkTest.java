package dev.tsdb.head.chunkenc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.storage.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HistogramChunkTest {

  /** What a histogram means, independent of span layout and of explicit empty buckets. */
  static String meaning(Histogram h) {
    if (HistogramLayout.isStale(h.sum)) {
      return "stale";
    }
    return h.schema + "|" + h.zeroThreshold + "|" + h.zeroCount + "|" + h.count + "|"
        + Double.doubleToRawLongBits(h.sum) + "|" + buckets(h.positiveSpans, abs(h.positiveBuckets))
        + "|" + buckets(h.negativeSpans, abs(h.negativeBuckets)) + "|"
        + java.util.Arrays.toString(h.customValues);
  }

  static String meaning(FloatHistogram h) {
    if (HistogramLayout.isStale(h.sum)) {
      return "stale";
    }
    return h.schema + "|" + h.zeroThreshold + "|" + h.zeroCount + "|" + h.count + "|"
        + Double.doubleToRawLongBits(h.sum) + "|" + buckets(h.positiveSpans, h.positiveBuckets)
        + "|" + buckets(h.negativeSpans, h.negativeBuckets) + "|"
        + java.util.Arrays.toString(h.customValues);
  }

  private static double[] abs(long[] deltas) {
    double[] out = new double[deltas.length];
    long c = 0;
    for (int i = 0; i < deltas.length; i++) {
      c += deltas[i];
      out[i] = c;
    }
    return out;
  }

  private static TreeMap<Integer, Double> buckets(int[] spans, double[] counts) {
    TreeMap<Integer, Double> m = new TreeMap<>();
    BucketCursor c = new BucketCursor().reset(spans);
    int i = 0;
    while (c.next()) {
      if (counts[i] != 0) {
        m.put(c.index(), counts[i]);
      }
      i++;
    }
    assertEquals(counts.length, i, "spans cover the buckets");
    return m;
  }

  /** Chunks as a head would cut them, with what each should decode to. */
  record Chunk(byte[] bytes, List<Long> ts, List<String> meanings) {}

  static List<Chunk> encodeInts(List<Long> ts, List<Histogram> hs) {
    List<Chunk> out = new ArrayList<>();
    HistogramAppender app = new HistogramAppender();
    List<Long> cts = new ArrayList<>();
    List<String> cm = new ArrayList<>();
    for (int i = 0; i < hs.size(); i++) {
      Histogram h = hs.get(i);
      Histogram before = h.copy();
      AppendOutcome<HistogramAppender> o = app.append(ts.get(i), h, null);
      assertEquals(before, h, "input untouched");
      if (o.kind() == AppendOutcome.Kind.NEW_CHUNK) {
        out.add(new Chunk(app.toBytes(), cts, cm));
        cts = new ArrayList<>();
        cm = new ArrayList<>();
      }
      app = o.appender();
      cts.add(ts.get(i));
      cm.add(meaning(h));
    }
    out.add(new Chunk(app.toBytes(), cts, cm));
    return out;
  }

  static List<Chunk> encodeFloats(List<Long> ts, List<FloatHistogram> hs) {
    List<Chunk> out = new ArrayList<>();
    FloatHistogramAppender app = new FloatHistogramAppender();
    List<Long> cts = new ArrayList<>();
    List<String> cm = new ArrayList<>();
    for (int i = 0; i < hs.size(); i++) {
      FloatHistogram h = hs.get(i);
      AppendOutcome<FloatHistogramAppender> o = app.append(ts.get(i), h, null);
      if (o.kind() == AppendOutcome.Kind.NEW_CHUNK) {
        out.add(new Chunk(app.toBytes(), cts, cm));
        cts = new ArrayList<>();
        cm = new ArrayList<>();
      }
      app = o.appender();
      cts.add(ts.get(i));
      cm.add(meaning(h));
    }
    out.add(new Chunk(app.toBytes(), cts, cm));
    return out;
  }

  static List<Long> timestamps(int n, long seed) {
    java.util.Random r = new java.util.Random(seed);
    List<Long> ts = new ArrayList<>();
    long t = 1_700_000_000_000L;
    for (int i = 0; i < n; i++) {
      t += r.nextInt(10) == 0 ? r.nextInt(1_000_000) + 1 : 15_000 + r.nextInt(5) - 2;
      ts.add(t);
    }
    return ts;
  }

  @Test
  void integerRoundTripsOverRandomSeries() {
    int chunks = 0;
    for (long seed = 0; seed < 300; seed++) {
      boolean gauge = seed % 4 == 3;
      RandomHistograms gen = new RandomHistograms(seed, gauge, seed % 3 == 0);
      List<Histogram> hs = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        hs.add(gen.next());
      }
      List<Long> ts = timestamps(hs.size(), seed);
      Histogram reuse = new Histogram();
      FloatHistogram freuse = new FloatHistogram();
      for (Chunk c : encodeInts(ts, hs)) {
        chunks++;
        HistogramIterator it = new HistogramIterator().reset(c.bytes, 0, c.bytes.length);
        assertEquals(c.ts.size(), it.numSamples());
        for (int i = 0; i < c.ts.size(); i++) {
          assertEquals(ValueType.HISTOGRAM, it.next(), "seed " + seed);
          assertEquals((long) c.ts.get(i), it.t());
          Histogram got = it.atHistogram(reuse);
          assertEquals(c.meanings.get(i), meaning(got), "seed " + seed + " sample " + i);
          if (!HistogramLayout.isStale(got.sum)) {
            assertEquals(gauge ? CounterResetHint.GAUGE : i > 0
                ? CounterResetHint.NOT_COUNTER_RESET : got.counterResetHint, got.counterResetHint);
            FloatHistogram f = it.atFloatHistogram(freuse);
            assertEquals(FloatHistogram.of(got, null), f);
          }
        }
        assertEquals(ValueType.NONE, it.next());
        assertNull(it.error());
        // Resuming the chunk and appending continues exactly as the uninterrupted appender.
        HistogramAppender resumed = HistogramAppender.resume(c.bytes, 0, c.bytes.length);
        assertEquals(c.ts.size(), resumed.numSamples());
        assertArrayEquals(c.bytes, resumed.toBytes());
      }
    }
    assertTrue(chunks > 600, "resets and schema changes cut chunks: " + chunks);
  }

  @Test
  void floatRoundTripsOverRandomSeries() {
    for (long seed = 0; seed < 300; seed++) {
      boolean gauge = seed % 4 == 3;
      RandomHistograms gen = new RandomHistograms(seed, gauge, seed % 3 == 0);
      List<FloatHistogram> hs = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        hs.add(gen.nextFloat());
      }
      List<Long> ts = timestamps(hs.size(), seed);
      FloatHistogram reuse = new FloatHistogram();
      for (Chunk c : encodeFloats(ts, hs)) {
        FloatHistogramIterator it = new FloatHistogramIterator().reset(c.bytes, 0, c.bytes.length);
        for (int i = 0; i < c.ts.size(); i++) {
          assertEquals(ValueType.FLOAT_HISTOGRAM, it.next(), "seed " + seed);
          assertEquals((long) c.ts.get(i), it.t());
          assertEquals(c.meanings.get(i), meaning(it.atFloatHistogram(reuse)),
              "seed " + seed + " sample " + i);
        }
        assertEquals(ValueType.NONE, it.next());
        assertNull(it.error());
        FloatHistogramAppender resumed = FloatHistogramAppender.resume(c.bytes, 0, c.bytes.length);
        assertArrayEquals(c.bytes, resumed.toBytes());
      }
    }
  }

  static Histogram hist(int[] spans, long... deltas) {
    Histogram h = new Histogram();
    h.schema = 1;
    h.zeroThreshold = Math.scalb(1.0, -128);
    h.positiveSpans = spans;
    h.positiveBuckets = deltas;
    long c = 0;
    long total = 0;
    for (long d : deltas) {
      c += d;
      total += c;
    }
    h.count = total;
    h.sum = total * 1.5;
    return h;
  }

  @Test
  void layoutGrowthRecodesTheChunk() {
    HistogramAppender a = new HistogramAppender();
    a.append(1000, hist(new int[] {0, 2}, 3, 1), null);
    a.append(2000, hist(new int[] {0, 2}, 4, 1), null);
    Histogram wider = hist(new int[] {-1, 1, 0, 2, 3, 1}, 1, 4, 1, -3);
    Appendability ap = a.appendable(wider);
    assertTrue(ap.fits());
    assertTrue(ap.needsRecode());
    assertFalse(ap.expandsHistogram());
    AppendOutcome<HistogramAppender> o = a.append(3000, wider, null);
    assertEquals(AppendOutcome.Kind.RECODED, o.kind());
    HistogramIterator it = o.appender().iterator(null);
    List<String> got = new ArrayList<>();
    while (it.next() == ValueType.HISTOGRAM) {
      Histogram h = it.atHistogram(null);
      assertArrayEquals(new int[] {-1, 1, 0, 2, 3, 1}, h.positiveSpans);
      got.add(java.util.Arrays.toString(h.positiveBuckets));
    }
    assertEquals(List.of("[0, 3, 1, -4]", "[0, 4, 1, -5]", "[1, 4, 1, -3]"), got);
    // The recoded chunk equals encoding all three in the wide layout from the start.
    HistogramAppender direct = new HistogramAppender();
    direct.appendExact(1000, hist(new int[] {-1, 1, 0, 2, 3, 1}, 0, 3, 1, -4));
    direct.appendExact(2000, hist(new int[] {-1, 1, 0, 2, 3, 1}, 0, 4, 1, -5));
    direct.appendExact(3000, wider);
    Histogram e0 = hist(new int[] {-1, 1, 0, 2, 3, 1}, 0, 3, 1, -4);
    assertEquals(meaning(e0), meaning(hist(new int[] {0, 2}, 3, 1)));
    assertArrayEquals(direct.toBytes(), o.appender().toBytes());
  }

  @Test
  void missingEmptyBucketIsFilledIn() {
    HistogramAppender a = new HistogramAppender();
    a.append(1000, hist(new int[] {0, 3}, 0, 2, 1), null);
    Histogram lacksFirst = hist(new int[] {1, 2}, 2, 1);
    Appendability ap = a.appendable(lacksFirst);
    assertTrue(ap.fits());
    assertFalse(ap.needsRecode());
    assertTrue(ap.expandsHistogram());
    assertSame(a, a.append(2000, lacksFirst, null).appender());
    HistogramIterator it = a.iterator(null);
    it.next();
    it.next();
    assertArrayEquals(new long[] {0, 2, 1}, it.atHistogram(null).positiveBuckets);
  }

  @Test
  void counterResetsStartNewChunksWithTheHeader() {
    HistogramAppender a = new HistogramAppender();
    a.append(1000, hist(new int[] {0, 2}, 3, 1), null);
    assertEquals(CounterResetHeader.UNKNOWN, a.counterResetHeader());
    // A bucket goes down.
    assertFalse(a.appendable(hist(new int[] {0, 2}, 2, 3)).fits());
    assertEquals(CounterResetHeader.COUNTER_RESET, a.appendable(hist(new int[] {0, 2}, 2, 3)).counterResetHeader());
    // A bucket in use vanishes.
    assertFalse(a.appendable(hist(new int[] {0, 1}, 9)).fits());
    // The hint says so.
    Histogram hinted = hist(new int[] {0, 2}, 5, 1);
    hinted.counterResetHint = CounterResetHint.COUNTER_RESET;
    AppendOutcome<HistogramAppender> o = a.append(2000, hinted, null);
    assertEquals(AppendOutcome.Kind.NEW_CHUNK, o.kind());
    assertEquals(CounterResetHeader.COUNTER_RESET, o.appender().counterResetHeader());
    HistogramIterator it = o.appender().iterator(null);
    it.next();
    // The header says reset; the first sample still reads as unknown, as in Prometheus.
    assertEquals(CounterResetHint.UNKNOWN, it.atHistogram(null).counterResetHint);
    assertEquals(CounterResetHeader.COUNTER_RESET, it.counterResetHeader());
    // A schema change is no reset: unknown.
    Histogram other = hist(new int[] {0, 2}, 5, 1);
    other.schema = 2;
    assertEquals(CounterResetHeader.UNKNOWN, o.appender().appendable(other).counterResetHeader());
    // A chunk cut for size records what the previous chunk says about the first sample.
    HistogramAppender next = new HistogramAppender();
    next.append(3000, hist(new int[] {0, 2}, 6, 1), o.appender());
    assertEquals(CounterResetHeader.NOT_COUNTER_RESET, next.counterResetHeader());
    HistogramAppender next2 = new HistogramAppender();
    next2.append(3000, hist(new int[] {0, 2}, 1, 1), o.appender());
    assertEquals(CounterResetHeader.COUNTER_RESET, next2.counterResetHeader());
  }

  @Test
  void gaugesShrinkAndGrowInOneChunk() {
    HistogramAppender a = new HistogramAppender();
    Histogram g1 = hist(new int[] {0, 2}, 5, -2);
    g1.counterResetHint = CounterResetHint.GAUGE;
    Histogram g2 = hist(new int[] {1, 2}, 1, 6);
    g2.counterResetHint = CounterResetHint.GAUGE;
    a.append(1000, g1, null);
    assertEquals(CounterResetHeader.GAUGE, a.counterResetHeader());
    Appendability ap = a.appendableGauge(g2);
    assertTrue(ap.fits());
    assertTrue(ap.needsRecode());
    assertTrue(ap.expandsHistogram());
    AppendOutcome<HistogramAppender> o = a.append(2000, g2, null);
    assertEquals(AppendOutcome.Kind.RECODED, o.kind());
    assertEquals(CounterResetHeader.GAUGE, o.appender().counterResetHeader());
    HistogramIterator it = o.appender().iterator(null);
    assertEquals(ValueType.HISTOGRAM, it.next());
    assertEquals(meaning(g1), meaning(it.atHistogram(null)));
    assertEquals(ValueType.HISTOGRAM, it.next());
    Histogram got = it.atHistogram(null);
    assertEquals(meaning(g2), meaning(got));
    assertEquals(CounterResetHint.GAUGE, got.counterResetHint);
    assertArrayEquals(new int[] {0, 3}, got.positiveSpans);
    // A counter histogram does not join a gauge chunk.
    assertFalse(o.appender().appendable(hist(new int[] {0, 2}, 5, 1)).fits());
  }

  @Test
  void gaugeRecodeWritesMergedSpansOnBothSidesWhenABucketIsMissing() {
    Histogram g1 = hist(new int[] {0, 1, 0, 1}, 5, 1); // non-canonical: two touching spans
    g1.negativeSpans = new int[] {0, 2};
    g1.negativeBuckets = new long[] {1, 1};
    g1.count += 3;
    g1.counterResetHint = CounterResetHint.GAUGE;
    Histogram g2 = g1.copy();
    g2.positiveSpans = new int[] {0, 1, 0, 0, 0, 2}; // a new bucket (forward) and an empty span
    g2.positiveBuckets = new long[] {5, 1, 1};
    g2.negativeSpans = new int[] {1, 1}; // lacks negative bucket 0 (backward)
    g2.negativeBuckets = new long[] {2};
    HistogramAppender a = new HistogramAppender();
    a.append(1000, g1, null);
    AppendOutcome<HistogramAppender> o = a.append(2000, g2, null);
    assertEquals(AppendOutcome.Kind.RECODED, o.kind());
    HistogramIterator it = o.appender().iterator(null);
    it.next();
    Histogram first = it.atHistogram(null);
    assertArrayEquals(new int[] {0, 3}, first.positiveSpans, "canonical union, both sides");
    assertArrayEquals(new int[] {0, 2}, first.negativeSpans);
    assertEquals(meaning(g1), meaning(first));
    it.next();
    assertEquals(meaning(g2), meaning(it.atHistogram(null)));
    // A counter keeps the histogram's own spans on the side that lacks nothing.
    Histogram c1 = g1.copy();
    c1.counterResetHint = CounterResetHint.UNKNOWN;
    c1.negativeBuckets = new long[] {0, 1}; // negative bucket 0 empty, so it may go missing
    c1.count -= 1;
    Histogram c2 = g2.copy();
    c2.counterResetHint = CounterResetHint.UNKNOWN;
    HistogramAppender ca = new HistogramAppender();
    ca.append(1000, c1, null);
    AppendOutcome<HistogramAppender> co = ca.append(2000, c2, null);
    assertEquals(AppendOutcome.Kind.RECODED, co.kind());
    HistogramIterator cit = co.appender().iterator(null);
    cit.next();
    assertArrayEquals(new int[] {0, 1, 0, 0, 0, 2}, cit.atHistogram(null).positiveSpans);
  }

  @Test
  void staleMarkers() {
    HistogramAppender a = new HistogramAppender();
    a.append(1000, hist(new int[] {0, 2}, 3, 1), null);
    Histogram stale = new Histogram();
    stale.sum = RandomHistograms.STALE_NAN;
    assertEquals(AppendOutcome.Kind.APPENDED, a.append(2000, stale, null).kind());
    assertEquals(AppendOutcome.Kind.APPENDED, a.append(3000, stale, null).kind());
    // After a stale marker only stale markers fit; a new chunk, reset unknown.
    AppendOutcome<HistogramAppender> o = a.append(4000, hist(new int[] {0, 2}, 3, 1), null);
    assertEquals(AppendOutcome.Kind.NEW_CHUNK, o.kind());
    assertEquals(CounterResetHeader.UNKNOWN, o.appender().counterResetHeader());
    HistogramIterator it = a.iterator(null);
    it.next();
    it.next();
    assertEquals(HistogramLayout.STALE_NAN_BITS,
        Double.doubleToRawLongBits(it.atHistogram(null).sum));
    assertEquals(HistogramLayout.STALE_NAN_BITS,
        Double.doubleToRawLongBits(it.atFloatHistogram(null).sum));
  }

  @Test
  void noAllocationWhenRefillingWithAnUnchangedLayout() {
    HistogramAppender a = new HistogramAppender();
    for (int i = 0; i < 10; i++) {
      a.appendExact(i * 1000L, hist(new int[] {0, 2, 1, 1}, 3 + i, 1, 2));
    }
    HistogramIterator it = a.iterator(null);
    Histogram h = new Histogram();
    it.next();
    it.atHistogram(h);
    long[] buckets = h.positiveBuckets;
    int[] spans = h.positiveSpans;
    while (it.next() == ValueType.HISTOGRAM) {
      it.atHistogram(h);
      assertSame(buckets, h.positiveBuckets);
      assertSame(spans, h.positiveSpans);
    }
  }

  @Test
  void zeroThresholdAndCustomBoundEncodings() {
    double[] thresholds = {0, Math.scalb(1.0, -243), Math.scalb(1.0, 10), Math.scalb(1.0, 11),
        Math.scalb(1.0, -244), 0.001, Math.scalb(1.0, -128), Double.MIN_VALUE};
    int[] bytes = {1, 1, 1, 9, 9, 9, 1, 9};
    for (int i = 0; i < thresholds.length; i++) {
      BitWriter w = new BitWriter(0, 16);
      HistogramLayout.writeZeroThreshold(w, thresholds[i]);
      assertEquals(bytes[i], w.byteLength(), "threshold " + thresholds[i]);
      BitReader r = new BitReader();
      r.open(w.buffer(), 0, w.byteLength());
      assertEquals(thresholds[i], HistogramLayout.readZeroThreshold(r));
    }
    BitWriter w = new BitWriter(0, 16);
    HistogramLayout.writeZeroThreshold(w, Math.scalb(1.0, -128));
    assertEquals(116, w.buffer()[0] & 0xff); // Prometheus's documented byte for the default
    double[] bounds = {0, 0.001, 0.1, 1, 33554.43, 33554.431, -1, 0.0001, 1e300, Double.NaN,
        Double.POSITIVE_INFINITY};
    for (double b : bounds) {
      BitWriter bw = new BitWriter(0, 16);
      HistogramLayout.writeCustomBound(bw, b);
      BitReader r = new BitReader();
      r.open(bw.buffer(), 0, bw.byteLength());
      assertEquals(Double.doubleToRawLongBits(b),
          Double.doubleToRawLongBits(HistogramLayout.readCustomBound(r)), "bound " + b);
    }
  }

  @Test
  void varbitRoundTrips() {
    long[] values = {0, 1, -1, 4, -3, 5, -4, 32, -31, 33, 256, -255, 2048, -2047, 2049, 131072,
        -131071, 16777216, -16777215, 1L << 55, -(1L << 55) + 1, Long.MAX_VALUE, Long.MIN_VALUE};
    BitWriter w = new BitWriter(0, 16);
    for (long v : values) {
      w.writeVarbitInt(v);
      w.writeVarbitUint(v);
    }
    BitReader r = new BitReader();
    r.open(w.buffer(), 0, w.byteLength());
    for (long v : values) {
      assertEquals(v, r.readVarbitInt());
      assertEquals(v, r.readVarbitUint());
    }
    assertFalse(r.eof());
  }

  @Test
  void truncatedChunkReportsAnError() {
    HistogramAppender a = new HistogramAppender();
    for (int i = 0; i < 5; i++) {
      a.appendExact(i * 1000L, hist(new int[] {0, 2}, 3 + i, 1));
    }
    byte[] b = a.toBytes();
    HistogramIterator it = new HistogramIterator().reset(b, 0, b.length - 3);
    int n = 0;
    while (it.next() == ValueType.HISTOGRAM) {
      n++;
    }
    assertTrue(n < 5);
    assertTrue(it.error() != null);
  }
}
