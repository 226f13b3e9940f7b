package dev.tsdb.index.histogram;

import java.util.ArrayList;
import java.util.List;

/**
 * The buckets of a {@link FloatHistogram} with their boundaries, in the order Prometheus's
 * AllBucketIterator gives them (and so its query API shows them): ascending by value, i.e. the
 * negative buckets from the highest index down, then the zero bucket if it counts anything, then
 * the positive buckets from the lowest index up. Buckets the spans cover are all listed, empty
 * ones included.
 *
 * <p>Where a bucket reaches into the zero bucket (a positive lower bound below the threshold, a
 * negative upper bound above minus the threshold), that bound is moved to the threshold, as
 * Prometheus does, so the listed ranges do not overlap the zero bucket.
 */
public final class Buckets {
  private Buckets() {}

  public static List<Bucket> all(FloatHistogram h) {
    List<Bucket> out = new ArrayList<>();
    addNegative(h, out);
    if (h.zeroCount > 0 && !h.usesCustomBuckets()) {
      out.add(zeroBucket(h));
    }
    addPositive(h, out);
    return out;
  }

  /** The zero bucket: {@code [-threshold, threshold]}. */
  public static Bucket zeroBucket(FloatHistogram h) {
    return new Bucket(-h.zeroThreshold, h.zeroThreshold, true, true, h.zeroCount, 0);
  }

  /** The positive buckets from the lowest index up. */
  public static List<Bucket> positive(FloatHistogram h) {
    List<Bucket> out = new ArrayList<>();
    addPositive(h, out);
    return out;
  }

  /** The negative buckets from the highest index (most negative values) down. */
  public static List<Bucket> negative(FloatHistogram h) {
    List<Bucket> out = new ArrayList<>();
    addNegative(h, out);
    return out;
  }

  private static void addPositive(FloatHistogram h, List<Bucket> out) {
    int[] indexes = indexes(h.positiveSpans, h.positiveBuckets.length);
    boolean custom = h.usesCustomBuckets();
    for (int i = 0; i < indexes.length; i++) {
      int index = indexes[i];
      double upper = BucketBounds.upper(index, h.schema, h.customValues);
      double lower = BucketBounds.upper(index - 1, h.schema, h.customValues);
      if (lower > 0 && lower < h.zeroThreshold) {
        lower = h.zeroThreshold;
      }
      boolean lowerInclusive = custom ? index == 0 : lower < 0;
      boolean upperInclusive = custom || upper > 0;
      out.add(new Bucket(lower, upper, lowerInclusive, upperInclusive, h.positiveBuckets[i],
          index));
    }
  }

  private static void addNegative(FloatHistogram h, List<Bucket> out) {
    // Negative buckets never use custom bounds; Prometheus mirrors the exponential ones.
    int[] indexes = indexes(h.negativeSpans, h.negativeBuckets.length);
    for (int i = indexes.length - 1; i >= 0; i--) {
      int index = indexes[i];
      double lower = -BucketBounds.exponentialUpper(index, h.schema);
      double upper = -BucketBounds.exponentialUpper(index - 1, h.schema);
      if (upper < 0 && upper > -h.zeroThreshold) {
        upper = -h.zeroThreshold;
      }
      out.add(new Bucket(lower, upper, lower < 0, upper > 0, h.negativeBuckets[i], index));
    }
  }

  /**
   * The bucket index of each of the first {@code count} buckets the flattened (offset, length)
   * spans cover: the first offset is the first index, later offsets the gap after the previous
   * span.
   */
  public static int[] indexes(int[] spans, int count) {
    int n = Math.min(count, Histogram.bucketsCovered(spans));
    int[] out = new int[n];
    int k = 0;
    int index = 0;
    for (int s = 0; s + 1 < spans.length && k < n; s += 2) {
      index += spans[s];
      for (int j = 0; j < spans[s + 1] && k < n; j++) {
        out[k++] = index++;
      }
    }
    return out;
  }
}
