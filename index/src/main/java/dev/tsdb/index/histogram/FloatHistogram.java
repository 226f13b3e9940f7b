package dev.tsdb.index.histogram;

import dev.tsdb.gocompat.GoNumbers;
import java.util.Arrays;

/**
 * A native histogram with float counts, as Prometheus's histogram.FloatHistogram: what remote
 * write sends as {@code count_float}, what "float histogram" (encoding 3) chunks hold, and what
 * PromQL computes with. Spans are laid out as in {@link Histogram}; bucket counts are absolute
 * (not deltas).
 *
 * <p>Mutable so iterators can refill one instance; callers that keep one take a {@link #copy()}.
 */
public final class FloatHistogram {
  public CounterResetHint counterResetHint = CounterResetHint.UNKNOWN;
  public int schema;
  public double zeroThreshold;
  public double zeroCount;
  public double count;
  public double sum;
  public int[] positiveSpans = Histogram.NO_SPANS;
  public double[] positiveBuckets = Histogram.NO_VALUES;
  public int[] negativeSpans = Histogram.NO_SPANS;
  public double[] negativeBuckets = Histogram.NO_VALUES;
  public double[] customValues = Histogram.NO_VALUES;

  public boolean usesCustomBuckets() {
    return schema == Histogram.CUSTOM_BUCKETS_SCHEMA;
  }

  /** A deep copy (arrays included). */
  public FloatHistogram copy() {
    FloatHistogram h = new FloatHistogram();
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

  /**
   * The float form of an integer histogram (Prometheus's Histogram.ToFloat): deltas summed into
   * absolute counts, counts as doubles, everything else as is. Refills {@code into} when given.
   */
  public static FloatHistogram of(Histogram h, FloatHistogram into) {
    FloatHistogram f = into != null ? into : new FloatHistogram();
    f.counterResetHint = h.counterResetHint;
    f.schema = h.schema;
    f.zeroThreshold = h.zeroThreshold;
    f.zeroCount = GoNumbers.uint64ToFloat64(h.zeroCount);
    f.count = GoNumbers.uint64ToFloat64(h.count);
    f.sum = h.sum;
    f.positiveSpans = h.positiveSpans.clone();
    f.positiveBuckets = absoluteCounts(h.positiveBuckets, null);
    f.negativeSpans = h.negativeSpans.clone();
    f.negativeBuckets = absoluteCounts(h.negativeBuckets, null);
    f.customValues = h.customValues.clone();
    return f;
  }

  /**
   * Delta-encoded integer bucket counts as absolute float counts (summed as int64 first, as
   * Prometheus's ToFloat does), into {@code reuse} when it has the right length.
   */
  public static double[] absoluteCounts(long[] deltas, double[] reuse) {
    if (deltas.length == 0) {
      return Histogram.NO_VALUES;
    }
    double[] out = reuse != null && reuse.length == deltas.length ? reuse
        : new double[deltas.length];
    long current = 0;
    for (int i = 0; i < deltas.length; i++) {
      current += deltas[i];
      out[i] = current;
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatHistogram h && counterResetHint == h.counterResetHint
        && schema == h.schema
        && Double.doubleToLongBits(zeroThreshold) == Double.doubleToLongBits(h.zeroThreshold)
        && Double.doubleToLongBits(zeroCount) == Double.doubleToLongBits(h.zeroCount)
        && Double.doubleToLongBits(count) == Double.doubleToLongBits(h.count)
        && Double.doubleToLongBits(sum) == Double.doubleToLongBits(h.sum)
        && Arrays.equals(positiveSpans, h.positiveSpans)
        && Arrays.equals(positiveBuckets, h.positiveBuckets)
        && Arrays.equals(negativeSpans, h.negativeSpans)
        && Arrays.equals(negativeBuckets, h.negativeBuckets)
        && Arrays.equals(customValues, h.customValues);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(positiveBuckets) * 31 + Double.hashCode(count) * 17 + schema;
  }

  @Override
  public String toString() {
    return "FloatHistogram{hint=" + counterResetHint + ", schema=" + schema + ", zeroThreshold="
        + zeroThreshold + ", zeroCount=" + zeroCount + ", count=" + count + ", sum=" + sum
        + ", pos=" + Arrays.toString(positiveSpans) + Arrays.toString(positiveBuckets)
        + ", neg=" + Arrays.toString(negativeSpans) + Arrays.toString(negativeBuckets)
        + (usesCustomBuckets() ? ", custom=" + Arrays.toString(customValues) : "") + "}";
  }
}
