package dev.tsdb.index.histogram;

import static dev.tsdb.index.histogram.TestHistograms.h;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HistogramLayoutTest {
  @Test
  void compactDropsEmptyBucketsAndMergesAdjacentSpans() {
    FloatHistogram h = h("schema:0 count:6 sum:6 buckets:[0 1 0 2 3 0] offset:-1");
    h.negativeSpans = new int[] {0, 1, 0, 2};
    h.negativeBuckets = new double[] {1, 0, 4};
    FloatHistogram c = HistogramLayout.compact(h);
    assertArrayEquals(new int[] {0, 1, 1, 2}, c.positiveSpans);
    assertArrayEquals(new double[] {1, 2, 3}, c.positiveBuckets);
    assertArrayEquals(new int[] {0, 1, 1, 1}, c.negativeSpans);
    assertArrayEquals(new double[] {1, 4}, c.negativeBuckets);
    assertArrayEquals(new double[] {0, 1, 0, 2, 3, 0}, h.positiveBuckets);
  }

  @Test
  void equalsCompactedIgnoresLayoutAndHintOnly() {
    FloatHistogram a = h("schema:0 count:3 sum:3 buckets:[1 0 2]");
    FloatHistogram b = h("schema:0 count:3 sum:3 buckets:[1] counter_reset_hint:gauge");
    b.positiveSpans = new int[] {0, 1, 1, 1, 0, 0};
    b.positiveBuckets = new double[] {1, 2};
    assertTrue(HistogramLayout.equalsCompacted(a, b));
    assertFalse(HistogramLayout.equalsCompacted(a, h("schema:0 count:3 sum:3 buckets:[1 2]")));
    assertFalse(HistogramLayout.equalsCompacted(a, h("schema:1 count:3 sum:3 buckets:[1 0 2]")));
    assertTrue(HistogramLayout.equalsCompacted(h("sum:NaN"), h("sum:NaN")));
  }

  @Test
  void reduceResolutionMergesIntoCoarserBuckets() {
    // Schema 2 buckets -1..4 fall into schema 0 buckets 0 (-1, 0) and 1 (1..4).
    FloatHistogram h = h("schema:2 count:21 sum:1 buckets:[1 2 3 4 5 6] offset:-1"
        + " n_buckets:[1 1] n_offset:4");
    FloatHistogram r = HistogramLayout.reduceResolution(h, 0);
    assertArrayEquals(new int[] {0, 2}, r.positiveSpans);
    assertArrayEquals(new double[] {3, 18}, r.positiveBuckets);
    assertArrayEquals(new int[] {1, 2}, r.negativeSpans);
    assertArrayEquals(new double[] {1, 1}, r.negativeBuckets);
    assertThrows(IllegalArgumentException.class, () -> HistogramLayout.reduceResolution(h, 3));
    assertThrows(IllegalArgumentException.class,
        () -> HistogramLayout.reduceResolution(h("schema:-53 custom_values:[1]"), -1));
  }
}
