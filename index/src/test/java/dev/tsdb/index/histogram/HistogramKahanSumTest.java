package dev.tsdb.index.histogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HistogramKahanSumTest {
  private static FloatHistogram exp(int schema, double zeroThreshold, double zeroCount,
      double sum, int[] spans, double... buckets) {
    FloatHistogram h = new FloatHistogram();
    h.schema = schema;
    h.zeroThreshold = zeroThreshold;
    h.zeroCount = zeroCount;
    h.sum = sum;
    h.positiveSpans = spans;
    h.positiveBuckets = buckets;
    double c = zeroCount;
    for (double b : buckets) {
      c += b;
    }
    h.count = c;
    return h;
  }

  @Test
  void compensatesLostLowOrderBits() {
    HistogramKahanSum s = HistogramKahanSum.of(exp(0, 0, 0, 3.1, new int[] {0, 1}, 1e100));
    s.add(exp(0, 0, 0, 1e100, new int[] {0, 1}, 1));
    s.add(exp(0, 0, 0, -1e100, new int[] {0, 1}, -1e100));
    FloatHistogram r = s.result();
    assertEquals(3.1, r.sum);
    assertArrayEquals(new double[] {1}, r.positiveBuckets);
  }

  @Test
  void matchesPlainAdditionOnOrdinaryInputs() {
    FloatHistogram a = exp(1, 0.001, 2, 5, new int[] {-1, 3}, 1, 2, 3);
    FloatHistogram b = exp(0, 0.001, 1, 4, new int[] {0, 2, 1, 1}, 4, 5, 6);
    HistogramKahanSum s = HistogramKahanSum.of(a);
    assertFalse(s.add(b));
    assertTrue(HistogramLayout.equalsCompacted(HistogramArithmetic.add(a, b), s.result()));
  }

  @Test
  void widensTheNarrowerZeroBucket() {
    FloatHistogram a = exp(0, 0.001, 1, 1, new int[] {-12, 1}, 2); // bucket (2^-13, 2^-12]
    FloatHistogram b = exp(0, 0.5, 3, 1, new int[] {1, 1}, 4);
    HistogramKahanSum s = HistogramKahanSum.of(a);
    s.add(b);
    assertTrue(HistogramLayout.equalsCompacted(HistogramArithmetic.add(a, b), s.result()));
    assertEquals(6, s.result().zeroCount);
  }

  @Test
  void incrementalMeanHelpers() {
    HistogramKahanSum s = HistogramKahanSum.of(exp(0, 0, 0, 1, new int[] {0, 1}, 1.5e308));
    HistogramKahanSum next = s.copy();
    next.add(exp(0, 0, 0, 1, new int[] {0, 1}, 1.5e308));
    assertTrue(next.hasOverflow());
    assertFalse(s.hasOverflow());
    s.mul(0.5);
    s.div(0.5);
    assertEquals(1.5e308, s.result().positiveBuckets[0]);
  }

  @Test
  void customBoundsReconcileToTheCommonOnes() {
    FloatHistogram a = exp(0, 0, 0, 1, new int[] {0, 3}, 1, 2, 4);
    a.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
    a.customValues = new double[] {5, 10};
    FloatHistogram b = exp(0, 0, 0, 1, new int[] {1, 1}, 8);
    b.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
    b.customValues = new double[] {2, 10};
    HistogramKahanSum s = HistogramKahanSum.of(a);
    assertTrue(s.add(b));
    FloatHistogram r = s.result();
    assertArrayEquals(new double[] {10}, r.customValues);
    assertArrayEquals(new double[] {11, 4}, r.positiveBuckets);
    assertArrayEquals(new int[] {0, 2}, r.positiveSpans);
  }

  @Test
  void exponentialAndCustomDoNotMix() {
    FloatHistogram c = exp(0, 0, 0, 1, new int[] {0, 1}, 1);
    c.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
    c.customValues = new double[] {1};
    HistogramKahanSum s = HistogramKahanSum.of(exp(0, 0, 0, 1, new int[] {0, 1}, 1));
    assertThrows(IncompatibleHistogramsException.class, () -> s.add(c));
  }

  @Test
  void hintsCombineAsForAddition() {
    FloatHistogram a = exp(0, 0, 0, 1, new int[] {0, 1}, 1);
    a.counterResetHint = CounterResetHint.NOT_COUNTER_RESET;
    FloatHistogram b = a.copy();
    HistogramKahanSum s = HistogramKahanSum.of(a);
    s.add(b);
    assertEquals(CounterResetHint.NOT_COUNTER_RESET, s.result().counterResetHint);
    b.counterResetHint = CounterResetHint.GAUGE;
    s.add(b);
    assertEquals(CounterResetHint.GAUGE, s.result().counterResetHint);
  }
}
