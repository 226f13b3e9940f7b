package dev.tsdb.api.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bucket-wise sums of exponential histograms: scales, bucket limit, zero buckets, signs. */
class ExponentialSumTest {
  private static Buckets buckets(int offset, Long... counts) {
    return Buckets.newBuilder().setOffset(offset).addAllBucketCounts(List.of(counts)).build();
  }

  private static ExponentialHistogramDataPoint.Builder point(int scale) {
    return ExponentialHistogramDataPoint.newBuilder().setScale(scale);
  }

  @Test
  void sameScaleAddsOverTheUnionOfBuckets() {
    ExponentialHistogramDataPoint s = ExponentialSum.add(
        point(0).setCount(3).setZeroCount(1).setPositive(buckets(-1, 1L, 1L)).build(),
        point(0).setCount(4).setZeroCount(2).setPositive(buckets(2, 1L))
            .setNegative(buckets(0, 1L)).build());
    assertEquals(buckets(-1, 1L, 1L, 0L, 1L), s.getPositive());
    assertEquals(buckets(0, 1L), s.getNegative());
    assertEquals(7, s.getCount());
    assertEquals(3, s.getZeroCount());
  }

  @Test
  void finerScaleIsDownscaledIncludingNegativeIndexes() {
    // Scale 2 indexes -3..0 become scale 0 indexes -1 (for -3..-1) and 0.
    ExponentialHistogramDataPoint s = ExponentialSum.add(
        point(2).setPositive(buckets(-3, 1L, 2L, 3L, 4L)).build(),
        point(0).setPositive(buckets(0, 10L)).build());
    assertEquals(0, s.getScale());
    assertEquals(buckets(-1, 6L, 14L), s.getPositive());
  }

  @Test
  void tooWideARangeScalesDownUntilItFits() {
    // Indexes 0 and 200 need 201 buckets: one step down (0 and 100) still 101 <= 160.
    ExponentialHistogramDataPoint s = ExponentialSum.add(
        point(3).setPositive(buckets(0, 1L)).build(),
        point(3).setPositive(buckets(200, 1L)).build());
    assertEquals(2, s.getScale());
    assertEquals(0, s.getPositive().getOffset());
    assertEquals(101, s.getPositive().getBucketCountsCount());
    assertEquals(1L, s.getPositive().getBucketCounts(100));
  }

  @Test
  void widerZeroBucketTakesInTheBucketsItCovers() {
    // Scale 0: bucket i is (2^i, 2^(i+1)]; a zero threshold of 3 covers buckets up to 1.
    ExponentialHistogramDataPoint s = ExponentialSum.add(
        point(0).setPositive(buckets(0, 1L, 2L, 4L)).setNegative(buckets(1, 8L)).build(),
        point(0).setZeroThreshold(3).setZeroCount(16).build());
    assertEquals(1 + 2 + 8 + 16, s.getZeroCount());
    assertEquals(4.0, s.getZeroThreshold());
    assertEquals(buckets(2, 4L), s.getPositive());
    assertEquals(0, s.getNegative().getBucketCountsCount());
  }

  @Test
  void bucketIndexesAndBounds() {
    assertEquals(1, ExponentialSum.bucketIndex(4, 0));
    assertEquals(2, ExponentialSum.bucketIndex(4.5, 0));
    assertEquals(-1, ExponentialSum.bucketIndex(1, 0));
    assertEquals(3, ExponentialSum.bucketIndex(4, 1));
    assertEquals(4.0, ExponentialSum.upperBound(1, 0));
    assertEquals(Math.sqrt(2), ExponentialSum.upperBound(0, 1), 1e-12);
  }

  @Test
  void sumMinMaxOnlyWhenBothHaveThem() {
    ExponentialHistogramDataPoint s = ExponentialSum.add(
        point(0).setSum(1).setMin(0.5).setMax(4).build(),
        point(0).setSum(2).setMin(0.25).build());
    assertEquals(3, s.getSum());
    assertEquals(0.25, s.getMin());
    assertEquals(false, s.hasMax());
  }
}
