package dev.tsdb.index.histogram;

import dev.tsdb.gocompat.GoMath;
import java.util.List;

/**
 * histogram_quantile and histogram_fraction over one native histogram, with Prometheus 3's
 * interpolation within a bucket: linear for custom buckets and the zero bucket, exponential
 * (linear on a log2 scale, i.e. as if the bucket were split further at the same schema's
 * progression) for exponential buckets.
 *
 * <p>In the zero bucket, a histogram with only positive buckets takes 0 as the lower end, one
 * with only negative buckets 0 as the upper end. NaN observations raise the count but sit in
 * no bucket; Prometheus recognizes them by a NaN sum.
 */
public final class HistogramQuantiles {
  /** What Prometheus's loop leaves when no bucket was visited at all. */
  private static final Bucket NO_BUCKET = new Bucket(0, 0, false, false, 0, 0);

  private HistogramQuantiles() {}

  /** How NaN observations (recognized by a NaN sum) affected a quantile estimate. */
  public enum NaNObservations {
    /** None, or none that mattered for the estimate. */
    NONE,
    /** The rank lies among the NaN observations, so the estimate is NaN. */
    RESULT_NAN,
    /** The estimate is counted from below over fewer observations than the count: too high. */
    SKEWED_HIGHER
  }

  /** A quantile estimate with the effect NaN observations had on it (PromQL reports it). */
  public record QuantileEstimate(double value, NaNObservations nanObservations) {}

  private static final QuantileEstimate NAN_ESTIMATE =
      new QuantileEstimate(Double.NaN, NaNObservations.NONE);

  /**
   * The estimated {@code q}-quantile: -Inf for q &lt; 0, +Inf for q &gt; 1, NaN for a NaN q or an
   * empty histogram. Quantiles from 0.5 up are counted down from the top (more precise there);
   * with NaN observations always from the bottom, and NaN when the rank lies among them. In the
   * lowest custom bucket (from -Inf) the result is interpolated from 0, or is the bucket's upper
   * bound if that is not above 0; in the highest (to +Inf) it is that bucket's lower bound.
   */
  public static double quantile(double q, FloatHistogram h) {
    return estimateQuantile(q, h).value();
  }

  /**
   * {@link #quantile} with the effect of NaN observations: RESULT_NAN when the rank lies among
   * them, SKEWED_HIGHER when the buckets hold fewer observations than the count otherwise. The
   * lowest (up to a bound &lt;= 0) and highest custom buckets answer with a bound before either
   * is judged, as Prometheus does.
   */
  public static QuantileEstimate estimateQuantile(double q, FloatHistogram h) {
    if (q < 0) {
      return new QuantileEstimate(Double.NEGATIVE_INFINITY, NaNObservations.NONE);
    }
    if (q > 1) {
      return new QuantileEstimate(Double.POSITIVE_INFINITY, NaNObservations.NONE);
    }
    if (h.count == 0 || Double.isNaN(q)) {
      return NAN_ESTIMATE;
    }
    List<Bucket> buckets = Buckets.all(h);
    boolean forward = Double.isNaN(h.sum) || q < 0.5;
    double rank = forward ? q * h.count : (1 - q) * h.count;
    Bucket bucket = NO_BUCKET;
    double count = 0;
    int visited = 0;
    while (visited < buckets.size()) {
      bucket = buckets.get(forward ? visited : buckets.size() - 1 - visited);
      visited++;
      if (bucket.count() == 0) {
        continue;
      }
      count += bucket.count();
      if (count >= rank) {
        break;
      }
    }
    double lower = bucket.lower();
    double upper = bucket.upper();
    if (h.usesCustomBuckets()) {
      if (lower == Double.NEGATIVE_INFINITY) {
        if (upper <= 0) {
          return new QuantileEstimate(upper, NaNObservations.NONE);
        }
        lower = 0;
      } else if (upper == Double.POSITIVE_INFINITY) {
        return new QuantileEstimate(lower, NaNObservations.NONE);
      }
    } else if (lower < 0 && upper > 0) {
      if (h.negativeBuckets.length == 0 && h.positiveBuckets.length > 0) {
        lower = 0;
      } else if (h.positiveBuckets.length == 0 && h.negativeBuckets.length > 0) {
        upper = 0;
      }
    }
    // Rounding can make the buckets add up to more than the count.
    if (count > h.count) {
      count = h.count;
    }
    if (count < rank) {
      // Only NaN observations (or a broken histogram) leave the rank unreached.
      return Double.isNaN(h.sum)
          ? new QuantileEstimate(Double.NaN, NaNObservations.RESULT_NAN)
          : new QuantileEstimate(upper, NaNObservations.NONE);
    }
    NaNObservations nans = NaNObservations.NONE;
    if (Double.isNaN(h.sum)) {
      double inBuckets = count;
      for (int i = visited; i < buckets.size(); i++) {
        inBuckets += buckets.get(i).count(); // forward: a NaN sum always counts from below
      }
      if (inBuckets < h.count) {
        nans = NaNObservations.SKEWED_HIGHER;
      }
    }
    rank = forward ? rank - (count - bucket.count()) : count - rank;
    double fraction = rank / bucket.count();
    if (h.usesCustomBuckets() || (lower <= 0 && upper >= 0)) {
      return new QuantileEstimate(lower + (upper - lower) * fraction, nans);
    }
    double logLower = GoMath.log2(Math.abs(lower));
    double logUpper = GoMath.log2(Math.abs(upper));
    if (lower > 0) {
      return new QuantileEstimate(GoMath.exp2(logLower + (logUpper - logLower) * fraction), nans);
    }
    return new QuantileEstimate(
        -GoMath.exp2(logUpper + (logLower - logUpper) * (1 - fraction)), nans);
  }

  /**
   * Whether the histogram had NaN observations: its sum is NaN and its buckets hold fewer
   * observations than its count (a NaN sum alone may come from observing both infinities).
   */
  public static boolean hasNaNObservations(FloatHistogram h) {
    if (!Double.isNaN(h.sum)) {
      return false;
    }
    double inBuckets = 0;
    for (Bucket b : Buckets.all(h)) {
      inBuckets += b.count();
    }
    return inBuckets < h.count;
  }

  /**
   * The estimated fraction of observations between {@code lower} and {@code upper}: NaN for an
   * empty histogram or a NaN bound, 0 when lower &gt;= upper. A bound inside a bucket takes the
   * interpolated share of it; the infinite-width first and last custom buckets contribute
   * nothing beyond a bound inside them (Prometheus 3.6+; 3.5 gave NaN for a bound in the first
   * one). NaN observations count in the denominator only, so (-Inf, +Inf) can give less than 1.
   */
  public static double fraction(double lower, double upper, FloatHistogram h) {
    if (h.count == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
      return Double.NaN;
    }
    if (lower >= upper) {
      return 0;
    }
    boolean onlyPositive = h.negativeBuckets.length == 0 && h.positiveBuckets.length > 0;
    boolean onlyNegative = h.positiveBuckets.length == 0 && h.negativeBuckets.length > 0;
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    double inBuckets = 0;
    for (Bucket b : Buckets.all(h)) {
      inBuckets += b.count();
      if (lowerSet && upperSet) {
        continue; // only adding up what the buckets hold
      }
      double bLower = b.lower();
      double bUpper = b.upper();
      boolean zeroBucket = bLower <= 0 && bUpper >= 0;
      if (zeroBucket) {
        if (onlyPositive) {
          bLower = 0;
        } else if (onlyNegative) {
          bUpper = 0;
        }
      }
      if (!lowerSet && bLower >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && bLower >= upper) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        continue;
      }
      boolean linear = h.usesCustomBuckets() || zeroBucket;
      if (!lowerSet && bLower < lower && bUpper > lower) {
        lowerRank = rankBelow(lower, rank, b.count(), bLower, bUpper, linear);
        lowerSet = true;
      }
      if (!upperSet && bLower < upper && bUpper > upper) {
        upperRank = rankBelow(upper, rank, b.count(), bLower, bUpper, linear);
        upperSet = true;
      }
      rank += b.count();
    }
    // With NaN observations possible, only what the buckets hold can be below a bound.
    double total = Double.isNaN(h.sum) ? inBuckets : h.count;
    if (!lowerSet || lowerRank > total) {
      lowerRank = total;
    }
    if (!upperSet || upperRank > total) {
      upperRank = total;
    }
    return (upperRank - lowerRank) / h.count;
  }

  /**
   * The observations below {@code v}, which lies strictly inside the bucket: {@code rank} below
   * the bucket plus the bucket's share below {@code v}.
   */
  private static double rankBelow(double v, double rank, double count, double lower,
      double upper, boolean linear) {
    if (linear) {
      if (lower == Double.NEGATIVE_INFINITY) {
        // No share of an infinitely wide bucket can be told; as for the +Inf bucket, whose
        // linear share is 0, the bucket counts as wholly below or above: here, below.
        return count;
      }
      return rank + count * ((v - lower) / (upper - lower));
    }
    double logLower = GoMath.log2(Math.abs(lower));
    double logUpper = GoMath.log2(Math.abs(upper));
    double logV = GoMath.log2(Math.abs(v));
    double share = v > 0 ? (logV - logLower) / (logUpper - logLower)
        : 1 - ((logV - logUpper) / (logLower - logUpper));
    return rank + count * share;
  }
}
