package dev.tsdb.index.histogram;

import dev.tsdb.gocompat.KahanSum;

/**
 * The PromQL functions that summarize one native histogram as a number: histogram_count,
 * histogram_sum, histogram_avg, histogram_stdvar and histogram_stddev, as Prometheus 3 computes
 * them.
 */
public final class HistogramStatistics {
  private HistogramStatistics() {}

  public static double count(FloatHistogram h) {
    return h.count;
  }

  public static double sum(FloatHistogram h) {
    return h.sum;
  }

  /** sum / count; NaN for an empty histogram. */
  public static double avg(FloatHistogram h) {
    return h.sum / h.count;
  }

  /**
   * The estimated population variance of the observations: each bucket's observations are taken
   * to sit at one representative value, and their squared distances from the mean (sum / count)
   * are summed with compensation and divided by the count. The representative value is the
   * geometric mean of the bounds for exponential buckets (negated for negative ones), 0 for the
   * zero bucket, and the arithmetic mean of the bounds for custom buckets (so an infinite first
   * or last custom bucket makes the result infinite or NaN).
   */
  public static double stdvar(FloatHistogram h) {
    double mean = h.sum / h.count;
    double variance = 0;
    double[] compensation = {0};
    boolean custom = h.usesCustomBuckets();
    for (Bucket b : Buckets.all(h)) {
      if (b.count() == 0) {
        continue;
      }
      double delta = representative(b, custom) - mean;
      variance = KahanSum.inc(b.count() * delta * delta, variance, compensation);
    }
    return (variance + compensation[0]) / h.count;
  }

  /** The square root of {@link #stdvar}. */
  public static double stddev(FloatHistogram h) {
    return Math.sqrt(stdvar(h));
  }

  private static double representative(Bucket b, boolean custom) {
    if (custom) {
      return (b.upper() + b.lower()) / 2.0;
    }
    if (b.lower() <= 0 && b.upper() >= 0) {
      return 0;
    }
    double geometricMean = Math.sqrt(b.upper() * b.lower());
    return b.upper() < 0 ? -geometricMean : geometricMean;
  }
}
