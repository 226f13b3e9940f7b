package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.testkit.MemStorage.ArrayIterator;
import org.junit.jupiter.api.Test;

/** The statistics-only read: bucket-less histograms, counter reset hints decided on the fly. */
class HistogramStatsIteratorTest {
  private static final CounterResetHint UNKNOWN = CounterResetHint.UNKNOWN;
  private static final CounterResetHint RESET = CounterResetHint.COUNTER_RESET;
  private static final CounterResetHint NOT_RESET = CounterResetHint.NOT_COUNTER_RESET;
  private static final CounterResetHint GAUGE = CounterResetHint.GAUGE;

  private static FloatHistogram h(CounterResetHint hint, double... buckets) {
    return HistogramAggregationTest.hist(10, hint, buckets);
  }

  /** An iterator over histograms at t = 0, 1, 2, ... */
  private static HistogramStatsIterator over(FloatHistogram... hs) {
    long[] ts = new long[hs.length];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = i;
    }
    return new HistogramStatsIterator(new ArrayIterator(ts, new double[hs.length], hs));
  }

  /** Reads every sample in order and returns their hints. */
  private static CounterResetHint[] hints(SampleIterator it) {
    java.util.List<CounterResetHint> out = new java.util.ArrayList<>();
    while (it.next() != ValueType.NONE) {
      out.add(it.atFloatHistogram(null).counterResetHint);
    }
    return out.toArray(new CounterResetHint[0]);
  }

  @Test
  void handsOutCountSumAndSchemaOnly() {
    FloatHistogram full = h(UNKNOWN, 1, 2, 3);
    full.schema = 2;
    full.zeroCount = 4;
    full.count += 4;
    full.zeroThreshold = 0.001;
    HistogramStatsIterator it = over(full);
    assertEquals(ValueType.FLOAT_HISTOGRAM, it.next());
    FloatHistogram s = it.atFloatHistogram(null);
    assertEquals(10, s.count);
    assertEquals(10, s.sum);
    assertEquals(2, s.schema);
    assertEquals(0, s.zeroCount);
    assertEquals(0, s.zeroThreshold);
    assertEquals(0, s.positiveSpans.length);
    assertEquals(0, s.positiveBuckets.length);
    assertEquals(0, s.negativeBuckets.length);
    assertEquals(0, s.customValues.length);
  }

  @Test
  void writesIntoTheGivenHistogramDroppingItsBuckets() {
    HistogramStatsIterator it = over(h(UNKNOWN, 1, 2));
    it.next();
    FloatHistogram reuse = h(GAUGE, 5, 5, 5);
    assertSame(reuse, it.atFloatHistogram(reuse));
    assertEquals(3, reuse.count);
    assertEquals(UNKNOWN, reuse.counterResetHint);
    assertEquals(0, reuse.positiveBuckets.length);
    assertEquals(0, reuse.positiveSpans.length);
  }

  @Test
  void decidesUnknownHintsAgainstThePreviousFullSample() {
    CounterResetHint[] got = hints(over(
        h(UNKNOWN, 1, 1), // nothing before: stays unknown
        h(UNKNOWN, 2, 2), // all buckets grew
        h(UNKNOWN, 1, 1), // count went down
        h(UNKNOWN, 0, 3), // count grew, but a bucket went down: needs the buckets to see
        h(UNKNOWN, 0, 4)));
    assertEquals(java.util.List.of(UNKNOWN, NOT_RESET, RESET, RESET, NOT_RESET),
        java.util.List.of(got));
  }

  @Test
  void keepsHintsTheChunkKnows() {
    CounterResetHint[] got = hints(over(
        h(UNKNOWN, 5), h(NOT_RESET, 1), h(GAUGE, 0), h(RESET, 9), h(UNKNOWN, 1)));
    // The last one compares with the previous sample (9): a reset.
    assertEquals(java.util.List.of(UNKNOWN, NOT_RESET, GAUGE, RESET, RESET),
        java.util.List.of(got));
  }

  @Test
  void readingTheSameSampleTwiceGivesTheSameHint() {
    HistogramStatsIterator it = over(h(UNKNOWN, 5), h(UNKNOWN, 1));
    it.next();
    it.atFloatHistogram(null);
    it.next();
    assertEquals(RESET, it.atFloatHistogram(null).counterResetHint);
    // Compared again with itself, it would say "not reset".
    assertEquals(RESET, it.atFloatHistogram(null).counterResetHint);
    assertEquals(1, it.atFloatHistogram(null).count);
  }

  @Test
  void aSeekThatMovesForgetsThePreviousSample() {
    HistogramStatsIterator it = over(h(UNKNOWN, 5), h(UNKNOWN, 6), h(UNKNOWN, 1), h(UNKNOWN, 2));
    assertEquals(ValueType.FLOAT_HISTOGRAM, it.seek(0));
    assertEquals(UNKNOWN, it.atFloatHistogram(null).counterResetHint);
    it.next();
    assertEquals(NOT_RESET, it.atFloatHistogram(null).counterResetHint);
    // Staying put keeps both the previous sample and the answer for the current one.
    assertEquals(ValueType.FLOAT_HISTOGRAM, it.seek(1));
    assertEquals(NOT_RESET, it.atFloatHistogram(null).counterResetHint);
    // Moving skips sample 2: sample 3 must not be compared with sample 1 (it would be a reset).
    assertEquals(ValueType.FLOAT_HISTOGRAM, it.seek(3));
    assertEquals(3, it.t());
    assertEquals(UNKNOWN, it.atFloatHistogram(null).counterResetHint);
    assertEquals(ValueType.NONE, it.next());
  }

  @Test
  void seekAfterReadsTheSampleOnTheBoundAsThePrevious() {
    HistogramStatsIterator it = over(h(UNKNOWN, 5), h(UNKNOWN, 6), h(UNKNOWN, 1));
    assertEquals(ValueType.FLOAT_HISTOGRAM, it.seekAfter(1));
    assertEquals(2, it.t());
    assertEquals(RESET, it.atFloatHistogram(null).counterResetHint);
    // Without a sample on the bound, the first one has nothing to compare with.
    HistogramStatsIterator gap = new HistogramStatsIterator(new ArrayIterator(
        new long[] {0, 5}, new double[2], new FloatHistogram[] {h(UNKNOWN, 5), h(UNKNOWN, 1)}));
    assertEquals(ValueType.FLOAT_HISTOGRAM, gap.seekAfter(3));
    assertEquals(5, gap.t());
    assertEquals(UNKNOWN, gap.atFloatHistogram(null).counterResetHint);
    assertEquals(ValueType.NONE, over(h(UNKNOWN, 1)).seekAfter(0));
  }

  @Test
  void staleMarkersPassAndDoNotBecomeThePrevious() {
    FloatHistogram stale = new FloatHistogram();
    stale.sum = Double.longBitsToDouble(SampleBuffer.STALE_NAN_BITS);
    HistogramStatsIterator it = over(h(UNKNOWN, 5), stale, h(UNKNOWN, 4));
    CounterResetHint[] got = new CounterResetHint[3];
    for (int i = 0; i < 3; i++) {
      it.next();
      FloatHistogram s = it.atFloatHistogram(null);
      got[i] = s.counterResetHint;
      if (i == 1) {
        assertTrue(SampleBuffer.isStale(s.sum));
      }
    }
    // The sample after the marker compares with the one before it (5 > 4: a reset).
    assertEquals(java.util.List.of(UNKNOWN, UNKNOWN, RESET), java.util.List.of(got));
  }

  @Test
  void resetStartsANewSeriesWithoutAPreviousSample() {
    HistogramStatsIterator it = over(h(UNKNOWN, 5));
    hints(it);
    long[] ts = {0};
    it.reset(new ArrayIterator(ts, new double[1], new FloatHistogram[] {h(UNKNOWN, 1)}));
    assertEquals(java.util.List.of(UNKNOWN), java.util.List.of(hints(it)));
  }

  @Test
  void integerHistogramsAreReadAsFloatHistogramsOnly() {
    SampleIterator ints = new SampleIterator() {
      private final ArrayIterator in = new ArrayIterator(new long[] {0}, new double[1],
          new FloatHistogram[] {h(UNKNOWN, 1)});

      @Override
      public ValueType next() {
        return in.next() == ValueType.NONE ? ValueType.NONE : ValueType.HISTOGRAM;
      }

      @Override
      public ValueType seek(long t) {
        return in.seek(t) == ValueType.NONE ? ValueType.NONE : ValueType.HISTOGRAM;
      }

      @Override
      public long t() {
        return in.t();
      }

      @Override
      public double v() {
        return in.v();
      }

      @Override
      public FloatHistogram atFloatHistogram(FloatHistogram reuse) {
        return in.atFloatHistogram(reuse);
      }
    };
    HistogramStatsIterator it = new HistogramStatsIterator(ints);
    assertEquals(ValueType.FLOAT_HISTOGRAM, it.next());
    assertThrows(IllegalStateException.class, () -> it.atHistogram(null));
    assertEquals(1, it.atFloatHistogram(null).count);
  }

  @Test
  void floatSamplesPassThrough() {
    HistogramStatsIterator it = new HistogramStatsIterator(
        new ArrayIterator(new long[] {5}, new double[] {2.5}, null));
    assertEquals(ValueType.FLOAT, it.next());
    assertEquals(5, it.t());
    assertEquals(2.5, it.v());
  }
}
