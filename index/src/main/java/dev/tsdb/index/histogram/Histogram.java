package dev.tsdb.index.histogram;

import java.util.Arrays;

/**
 * A native histogram with integer counts, as Prometheus's histogram.Histogram: what remote write
 * sends as {@code count_int} and what "histogram" (encoding 2) chunks hold.
 *
 * <p>Buckets are sparse: {@code positiveSpans}/{@code negativeSpans} hold (offset, length) pairs
 * flattened into one array ({@code [offset0, length0, offset1, length1, ...]}); the first offset
 * is the index of the first bucket, each later offset the gap after the previous span. Bucket
 * counts are delta-encoded: each is the difference to the previous bucket's count (the first to
 * zero). Bucket index {@code i} at schema {@code s} has the upper bound {@code 2^(2^-s * i)}.
 * Schema -53 ({@link #CUSTOM_BUCKETS_SCHEMA}) uses {@code customValues} as explicit upper bounds
 * instead, with no zero bucket and no negative buckets.
 *
 * <p>Counts are Go uint64s held in longs. Mutable so iterators can refill one instance; callers
 * that keep a histogram take a {@link #copy()}.
 */
public final class Histogram {
  public static final int CUSTOM_BUCKETS_SCHEMA = -53;
  public static final int MIN_EXPONENTIAL_SCHEMA = -4;
  public static final int MAX_EXPONENTIAL_SCHEMA = 8;

  static final int[] NO_SPANS = {};
  static final long[] NO_DELTAS = {};
  static final double[] NO_VALUES = {};

  public CounterResetHint counterResetHint = CounterResetHint.UNKNOWN;
  public int schema;
  public double zeroThreshold;
  public long zeroCount;
  public long count;
  public double sum;
  public int[] positiveSpans = NO_SPANS;
  public long[] positiveBuckets = NO_DELTAS;
  public int[] negativeSpans = NO_SPANS;
  public long[] negativeBuckets = NO_DELTAS;
  public double[] customValues = NO_VALUES;

  public boolean usesCustomBuckets() {
    return schema == CUSTOM_BUCKETS_SCHEMA;
  }

  /** A deep copy (arrays included). */
  public Histogram copy() {
    Histogram h = new Histogram();
    h.counterResetHint = counterResetHint;
    h.schema = schema;
    h.zeroThreshold = zeroThreshold;
    h.zeroCount = zeroCount;
    h.count = count;
    h.sum = sum;
    h.positiveSpans = positiveSpans.clone();
    h.positiveBuckets = positiveBuckets.clone();
    h.negativeSpans = negativeSpans.clone();
    h.negativeBuckets = negativeBuckets.clone();
    h.customValues = customValues.clone();
    return h;
  }

  /** Sum of the lengths of flattened (offset, length) spans: the number of buckets they cover. */
  public static int bucketsCovered(int[] spans) {
    int n = 0;
    for (int i = 1; i < spans.length; i += 2) {
      n += spans[i];
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Histogram h && counterResetHint == h.counterResetHint
        && schema == h.schema
        && Double.doubleToLongBits(zeroThreshold) == Double.doubleToLongBits(h.zeroThreshold)
        && zeroCount == h.zeroCount && count == h.count
        && Double.doubleToLongBits(sum) == Double.doubleToLongBits(h.sum)
        && Arrays.equals(positiveSpans, h.positiveSpans)
        && Arrays.equals(positiveBuckets, h.positiveBuckets)
        && Arrays.equals(negativeSpans, h.negativeSpans)
        && Arrays.equals(negativeBuckets, h.negativeBuckets)
        && Arrays.equals(customValues, h.customValues);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(positiveBuckets) * 31 + Long.hashCode(count) * 17 + schema;
  }

  @Override
  public String toString() {
    return "Histogram{hint=" + counterResetHint + ", schema=" + schema + ", zeroThreshold="
        + zeroThreshold + ", zeroCount=" + zeroCount + ", count=" + count + ", sum=" + sum
        + ", pos=" + Arrays.toString(positiveSpans) + Arrays.toString(positiveBuckets)
        + ", neg=" + Arrays.toString(negativeSpans) + Arrays.toString(negativeBuckets)
        + (usesCustomBuckets() ? ", custom=" + Arrays.toString(customValues) : "") + "}";
  }
}
