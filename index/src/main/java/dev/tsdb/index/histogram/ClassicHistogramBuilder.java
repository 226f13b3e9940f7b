package dev.tsdb.index.histogram;

import java.util.Arrays;

/**
 * Collects one classic histogram (cumulative {@code le} bucket counts, count and sum, arriving
 * in any order) and converts it into a native histogram with custom buckets ("NHCB"), as
 * Prometheus does for {@code convert_classic_histograms_to_nhcb} and its test scripts'
 * {@code load_with_nhcb}: the finite bounds become the custom values, each bucket holds the
 * difference of consecutive cumulative counts, and a missing +Inf bucket is taken to hold the
 * whole count (a missing count the highest bucket's).
 *
 * <p>Bad input (a NaN bound, negative or non-cumulative counts, a count other than the +Inf
 * bucket's) makes {@link #build()} fail with the reason; a second count for a bound already seen
 * is ignored.
 */
public final class ClassicHistogramBuilder {
  private double[] bounds = new double[8];
  private double[] counts = new double[8];
  private int n;
  private double count;
  private boolean hasCount;
  private double sum;
  private String error;

  /** Sets the cumulative count of the bucket with upper bound {@code le}. */
  public void bucket(double le, double cumulativeCount) {
    if (error != null) {
      return;
    }
    if (Double.isNaN(le)) {
      error = "bucket boundary must not be NaN";
      return;
    }
    if (cumulativeCount < 0) {
      error = "bucket count must be non-negative: le=" + le + ", count=" + cumulativeCount;
      return;
    }
    int i = Arrays.binarySearch(bounds, 0, n, le);
    if (i >= 0) {
      return; // a duplicate sample
    }
    i = -i - 1;
    if (i > 0 && cumulativeCount < counts[i - 1]) {
      error = "count is not cumulative: " + cumulativeCount + " < " + counts[i - 1];
      return;
    }
    if (i < n && cumulativeCount > counts[i]) {
      error = "count is not cumulative: " + cumulativeCount + " > " + counts[i];
      return;
    }
    if (n == bounds.length) {
      bounds = Arrays.copyOf(bounds, n * 2);
      counts = Arrays.copyOf(counts, n * 2);
    }
    System.arraycopy(bounds, i, bounds, i + 1, n - i);
    System.arraycopy(counts, i, counts, i + 1, n - i);
    bounds[i] = le;
    counts[i] = cumulativeCount;
    n++;
  }

  public void count(double c) {
    if (error != null) {
      return;
    }
    if (c < 0) {
      error = "count must be non-negative: count=" + c;
      return;
    }
    count = c;
    hasCount = true;
  }

  public void sum(double s) {
    sum = s;
  }

  /**
   * The native histogram with custom buckets, compacted (empty buckets dropped).
   *
   * @throws IllegalArgumentException with the reason when the classic histogram is invalid
   */
  public FloatHistogram build() {
    if (error != null) {
      throw new IllegalArgumentException(error);
    }
    double total = count;
    if (!hasCount && n > 0) {
      total = counts[n - 1];
    }
    int buckets = n;
    boolean hasInf = n > 0 && bounds[n - 1] == Double.POSITIVE_INFINITY;
    if (!hasInf) {
      buckets++;
    }
    double lastCumulative = hasInf ? counts[n - 1] : total;
    if (total != lastCumulative) {
      throw new IllegalArgumentException("count mismatch: count=" + total + " != le=+Inf count="
          + lastCumulative);
    }
    FloatHistogram h = new FloatHistogram();
    h.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
    h.count = total;
    h.sum = sum;
    h.positiveSpans = new int[] {0, buckets};
    h.positiveBuckets = new double[buckets];
    h.customValues = Arrays.copyOf(bounds, buckets - 1);
    double previous = 0;
    for (int i = 0; i < buckets; i++) {
      double cumulative = i < n ? counts[i] : total;
      h.positiveBuckets[i] = cumulative - previous;
      previous = cumulative;
    }
    return HistogramLayout.compact(h);
  }
}
