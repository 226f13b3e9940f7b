package dev.tsdb.index.histogram;

import static dev.tsdb.index.histogram.TestHistograms.h;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Cases from native_histograms.test (Prometheus 3.14 dev) and hand-computed ones. */
class HistogramCombinationTest {
  private static void assertHistogram(String expected, FloatHistogram actual) {
    assertTrue(HistogramLayout.equalsCompacted(h(expected), actual),
        "expected {{" + expected + "}} but got " + actual);
  }

  @Test
  void mismatchedCustomBoundsAreReducedToTheCommonOnes() {
    FloatHistogram a = h("schema:-53 sum:1 count:1 custom_values:[10] buckets:[1]");
    FloatHistogram b = h("schema:-53 sum:1 count:1 custom_values:[2 10] buckets:[1]");
    HistogramCombination sum = HistogramCombination.add(a, b);
    assertTrue(sum.customBoundsReconciled);
    assertFalse(sum.counterResetCollision);
    assertHistogram("schema:-53 count:2 sum:2 custom_values:[10] buckets:[2]", sum.histogram);
    HistogramCombination diff = HistogramCombination.sub(a, b);
    assertTrue(diff.customBoundsReconciled);
    assertHistogram("schema:-53 custom_values:[10]", diff.histogram);
  }

  @Test
  void bucketsAboveTheLastCommonBoundGoToInfinity() {
    FloatHistogram a = h("schema:-53 sum:6 count:6 custom_values:[1 5 10] buckets:[1 2 3 0]");
    FloatHistogram b = h("schema:-53 sum:4 count:4 custom_values:[5 20] buckets:[1 1 2]");
    HistogramCombination sum = HistogramCombination.add(a, b);
    assertArrayEquals(new double[] {5}, sum.histogram.customValues);
    assertHistogram("schema:-53 sum:10 count:10 custom_values:[5] buckets:[4 6]", sum.histogram);
    // Arguments stay as they were.
    assertArrayEquals(new double[] {1, 5, 10}, a.customValues);
  }

  @Test
  void noCommonBoundsLeaveOnlyTheInfBucket() {
    FloatHistogram a = h("schema:-53 sum:1 count:1 custom_values:[1] buckets:[1]");
    FloatHistogram b = h("schema:-53 sum:2 count:2 custom_values:[2] buckets:[0 2]");
    HistogramCombination sum = HistogramCombination.add(a, b);
    assertEquals(0, sum.histogram.customValues.length);
    assertHistogram("schema:-53 sum:3 count:3 buckets:[3]", sum.histogram);
  }

  @Test
  void resetAgainstNoResetCollides() {
    FloatHistogram a = h("schema:0 sum:1 count:1 buckets:[1] counter_reset_hint:reset");
    FloatHistogram b = h("schema:0 sum:1 count:1 buckets:[1] counter_reset_hint:not_reset");
    HistogramCombination sum = HistogramCombination.add(a, b);
    assertTrue(sum.counterResetCollision);
    assertEquals(CounterResetHint.UNKNOWN, sum.histogram.counterResetHint);
    assertFalse(sum.customBoundsReconciled);
    assertHistogram("schema:0 sum:2 count:2 buckets:[2]", sum.histogram);
    FloatHistogram gauge = h("schema:0 sum:1 count:1 buckets:[1] counter_reset_hint:gauge");
    HistogramCombination mixed = HistogramCombination.sub(a, gauge);
    assertFalse(mixed.counterResetCollision);
    assertEquals(CounterResetHint.GAUGE, mixed.histogram.counterResetHint);
  }

  @Test
  void exponentialAndCustomDoNotCombine() {
    FloatHistogram a = h("schema:0 sum:1 count:1 buckets:[1]");
    FloatHistogram b = h("schema:-53 sum:1 count:1 custom_values:[1] buckets:[1]");
    assertThrows(IncompatibleHistogramsException.class, () -> HistogramCombination.add(a, b));
  }
}
