package dev.tsdb.index.histogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassicHistogramBuilderTest {
  @Test
  void bucketsInAnyOrderBecomeCustomBuckets() {
    ClassicHistogramBuilder b = new ClassicHistogramBuilder();
    b.bucket(Double.POSITIVE_INFINITY, 10);
    b.bucket(0.5, 4);
    b.bucket(0.1, 1);
    b.bucket(1, 4); // empty bucket: compacted away
    b.count(10);
    b.sum(7.5);
    FloatHistogram h = b.build();
    assertEquals(Histogram.CUSTOM_BUCKETS_SCHEMA, h.schema);
    assertEquals(10, h.count);
    assertEquals(7.5, h.sum);
    assertArrayEquals(new double[] {0.1, 0.5, 1}, h.customValues);
    assertArrayEquals(new int[] {0, 2, 1, 1}, h.positiveSpans);
    assertArrayEquals(new double[] {1, 3, 6}, h.positiveBuckets);
  }

  @Test
  void missingInfBucketHoldsTheCountAndMissingCountTheHighestBucket() {
    ClassicHistogramBuilder b = new ClassicHistogramBuilder();
    b.bucket(1, 2);
    b.bucket(2, 5);
    FloatHistogram h = b.build();
    assertEquals(5, h.count);
    assertArrayEquals(new double[] {1, 2}, h.customValues);
    assertArrayEquals(new double[] {2, 3}, h.positiveBuckets);

    ClassicHistogramBuilder withCount = new ClassicHistogramBuilder();
    withCount.bucket(1, 2);
    withCount.count(7);
    FloatHistogram h2 = withCount.build();
    assertArrayEquals(new double[] {2, 5}, h2.positiveBuckets);
  }

  @Test
  void invalidClassicHistogramsAreRefused() {
    ClassicHistogramBuilder nonCumulative = new ClassicHistogramBuilder();
    nonCumulative.bucket(1, 5);
    nonCumulative.bucket(2, 3);
    assertTrue(assertThrows(IllegalArgumentException.class, nonCumulative::build).getMessage()
        .startsWith("count is not cumulative"));
    ClassicHistogramBuilder mismatch = new ClassicHistogramBuilder();
    mismatch.bucket(Double.POSITIVE_INFINITY, 5);
    mismatch.count(6);
    assertTrue(assertThrows(IllegalArgumentException.class, mismatch::build).getMessage()
        .startsWith("count mismatch"));
    ClassicHistogramBuilder nan = new ClassicHistogramBuilder();
    nan.bucket(Double.NaN, 1);
    assertThrows(IllegalArgumentException.class, nan::build);
  }
}
