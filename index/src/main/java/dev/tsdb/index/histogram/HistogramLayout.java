package dev.tsdb.index.histogram;

import java.util.Arrays;

/**
 * Operations on the bucket layout of float histograms that keep what the histogram says:
 * compaction, resolution reduction, and equality regardless of layout. Each returns a new
 * histogram and leaves its argument alone.
 */
public final class HistogramLayout {
  private HistogramLayout() {}

  /**
   * Prometheus's {@code Compact(0)}: every bucket with a count of 0 dropped, adjacent spans merged
   * into one, so the spans list exactly the populated buckets (NaN counts are kept).
   */
  public static FloatHistogram compact(FloatHistogram h) {
    IndexedHistogram ih = new IndexedHistogram(h);
    ih.dropEmptyBuckets();
    return ih.toFloatHistogram();
  }

  /**
   * {@code h} at the coarser exponential schema {@code targetSchema}: each bucket's count added
   * to the bucket that contains it there (Prometheus's ReduceResolution). Empty buckets stay,
   * adjacent spans are merged. The same schema gives a copy.
   *
   * @throws IllegalArgumentException for custom buckets on either side or a finer target
   */
  public static FloatHistogram reduceResolution(FloatHistogram h, int targetSchema) {
    if (h.usesCustomBuckets()) {
      throw new IllegalArgumentException("cannot reduce resolution when there are custom buckets");
    }
    if (targetSchema == Histogram.CUSTOM_BUCKETS_SCHEMA) {
      throw new IllegalArgumentException("cannot reduce resolution to custom buckets schema");
    }
    if (targetSchema > h.schema) {
      throw new IllegalArgumentException("cannot reduce resolution from schema " + h.schema
          + " to " + targetSchema);
    }
    IndexedHistogram ih = new IndexedHistogram(h);
    ih.reduceTo(targetSchema);
    return ih.toFloatHistogram();
  }

  /**
   * Whether {@code a} and {@code b} hold the same histogram once both are compacted: schema,
   * zero threshold and custom bounds equal, zero count, count, sum and every populated bucket
   * bit for bit (NaN equals NaN, as in Prometheus's Equals). The counter reset hint is not
   * compared (neither does Prometheus's Equals).
   */
  public static boolean equalsCompacted(FloatHistogram a, FloatHistogram b) {
    FloatHistogram x = compact(a);
    FloatHistogram y = compact(b);
    return x.schema == y.schema && x.zeroThreshold == y.zeroThreshold
        && sameBits(x.zeroCount, y.zeroCount) && sameBits(x.count, y.count)
        && sameBits(x.sum, y.sum)
        && (!x.usesCustomBuckets() || sameBounds(x.customValues, y.customValues))
        && Arrays.equals(x.positiveSpans, y.positiveSpans)
        && Arrays.equals(x.positiveBuckets, y.positiveBuckets)
        && Arrays.equals(x.negativeSpans, y.negativeSpans)
        && Arrays.equals(x.negativeBuckets, y.negativeBuckets);
  }

  /** Custom bounds match bit for bit (Prometheus's FloatBucketsMatch). */
  static boolean sameBounds(double[] a, double[] b) {
    return Arrays.equals(a, b);
  }

  private static boolean sameBits(double a, double b) {
    return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
  }
}
