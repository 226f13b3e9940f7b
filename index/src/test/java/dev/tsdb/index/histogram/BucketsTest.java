package dev.tsdb.index.histogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BucketsTest {
  @Test
  void ascendingNegativeZeroPositive() {
    FloatHistogram h = new FloatHistogram();
    h.schema = 0;
    h.zeroThreshold = 0.001;
    h.zeroCount = 2;
    h.positiveSpans = new int[] {0, 2, 1, 1};
    h.positiveBuckets = new double[] {1, 2, 3};
    h.negativeSpans = new int[] {1, 2};
    h.negativeBuckets = new double[] {4, 5};
    assertEquals(List.of(
        new Bucket(-4, -2, true, false, 5, 2),
        new Bucket(-2, -1, true, false, 4, 1),
        new Bucket(-0.001, 0.001, true, true, 2, 0),
        new Bucket(0.5, 1, false, true, 1, 0),
        new Bucket(1, 2, false, true, 2, 1),
        new Bucket(4, 8, false, true, 3, 3)), Buckets.all(h));
  }

  @Test
  void emptyZeroBucketIsLeftOutAndOverlapsAreClamped() {
    FloatHistogram h = new FloatHistogram();
    h.schema = 0;
    h.zeroThreshold = 0.7;
    h.positiveSpans = new int[] {0, 1};
    h.positiveBuckets = new double[] {1};
    h.negativeSpans = new int[] {0, 1};
    h.negativeBuckets = new double[] {1};
    assertEquals(List.of(
        new Bucket(-1, -0.7, true, false, 1, 0),
        new Bucket(0.7, 1, false, true, 1, 0)), Buckets.all(h));
  }

  @Test
  void customBucketsStartClosedAtMinusInfinity() {
    FloatHistogram h = new FloatHistogram();
    h.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
    h.customValues = new double[] {1, 5};
    h.positiveSpans = new int[] {0, 1, 1, 1};
    h.positiveBuckets = new double[] {3, 4};
    assertEquals(List.of(
        new Bucket(Double.NEGATIVE_INFINITY, 1, true, true, 3, 0),
        new Bucket(5, Double.POSITIVE_INFINITY, false, true, 4, 2)), Buckets.all(h));
  }

  @Test
  void indexesFollowSpanOffsets() {
    assertArrayEquals(new int[] {-2, -1, 3, 4, 5}, Buckets.indexes(new int[] {-2, 2, 3, 3}, 5));
    assertArrayEquals(new int[] {-2}, Buckets.indexes(new int[] {-2, 2, 3, 3}, 1));
    assertArrayEquals(new int[] {}, Buckets.indexes(new int[] {}, 3));
  }
}
