package dev.tsdb.index.histogram;

import dev.tsdb.gocompat.GoMath;

/**
 * PromQL's trim operators on a native histogram ({@code h </ x} keeps what lies below
 * {@code x}, {@code h >/ x} what lies above), as Prometheus 3.14 defines them. Each bucket wholly
 * on the kept side stays, each wholly on the other side is emptied, and the bucket that
 * {@code x} cuts keeps the share its interpolation puts on the kept side: linear for custom
 * buckets and the zero bucket, linear on a log2 scale for exponential buckets (as
 * histogram_fraction interpolates). When anything was cut, count and sum are recomputed from
 * what is left (each kept part weighted by the estimated mean of its interval, since the
 * original observations are unknown) and empty buckets are dropped; otherwise the histogram is
 * returned as it was. The argument is never modified.
 */
public final class HistogramTrim {
  private HistogramTrim() {}

  /** {@code h </ threshold}: the observations below {@code threshold}. */
  public static FloatHistogram below(FloatHistogram h, double threshold) {
    return new Trimming(h, threshold, true).run();
  }

  /** {@code h >/ threshold}: the observations above {@code threshold}. */
  public static FloatHistogram above(FloatHistogram h, double threshold) {
    return new Trimming(h, threshold, false).run();
  }

  /** The part of one bucket that stays: its count and the estimated mean of its values. */
  private record Kept(double count, double mean) {
    static final Kept NOTHING = new Kept(0, 0);
  }

  /** One trim in progress over a copy of the histogram. */
  private static final class Trimming {
    private final FloatHistogram h;
    private final double t;
    private final boolean keepBelow;
    private final boolean linear;
    private double count;
    private double sum;
    private boolean cut;
    /** Whether a populated bucket was seen on that side (decides the zero bucket's extent). */
    private boolean sawPositive;
    private boolean sawNegative;

    Trimming(FloatHistogram source, double threshold, boolean keepBelow) {
      this.h = source.copy();
      this.t = threshold;
      this.keepBelow = keepBelow;
      this.linear = source.usesCustomBuckets();
    }

    FloatHistogram run() {
      int[] positive = Buckets.indexes(h.positiveSpans, h.positiveBuckets.length);
      for (int i = 0; i < positive.length; i++) {
        double lower = BucketBounds.upper(positive[i] - 1, h.schema, h.customValues);
        double upper = BucketBounds.upper(positive[i], h.schema, h.customValues);
        if (h.positiveBuckets[i] != 0) {
          sawPositive = true;
          h.positiveBuckets[i] = trimBucket(h.positiveBuckets[i], lower, upper, true);
        }
      }
      int[] negative = Buckets.indexes(h.negativeSpans, h.negativeBuckets.length);
      for (int i = 0; i < negative.length; i++) {
        double lower = -BucketBounds.exponentialUpper(negative[i], h.schema);
        double upper = -BucketBounds.exponentialUpper(negative[i] - 1, h.schema);
        if (h.negativeBuckets[i] != 0) {
          sawNegative = true;
          h.negativeBuckets[i] = trimBucket(h.negativeBuckets[i], lower, upper, false);
        }
      }
      if (h.zeroCount > 0) {
        Kept k = zeroBucket();
        if (k.count() != h.zeroCount) {
          h.zeroCount = k.count();
          cut = true;
        }
        add(k);
      }
      if (!cut) {
        return h;
      }
      h.count = count;
      h.sum = sum;
      return HistogramLayout.compact(h);
    }

    /** Trims one populated bucket; returns its new count. */
    private double trimBucket(double bucketCount, double lower, double upper, boolean positive) {
      boolean whollyKept = keepBelow ? upper <= t : lower >= t;
      if (whollyKept) {
        add(new Kept(bucketCount, mean(lower, upper, positive)));
        return bucketCount;
      }
      boolean straddles = keepBelow ? lower < t : upper > t;
      if (!straddles) {
        cut = true;
        return 0;
      }
      Kept k = Double.isInfinite(lower) || Double.isInfinite(upper)
          ? straddledInfinite(bucketCount, lower, upper)
          : straddledFinite(bucketCount, lower, upper, positive);
      add(k);
      if (k.count() != bucketCount) {
        cut = true;
      }
      return k.count();
    }

    private void add(Kept k) {
      count += k.count();
      sum += k.mean() * k.count();
    }

    /** A finite bucket with {@code lower < t < upper}. */
    private Kept straddledFinite(double bucketCount, double lower, double upper,
        boolean positive) {
      double belowCount = bucketCount * fractionBelow(lower, upper);
      if (keepBelow) {
        return new Kept(belowCount, mean(lower, t, positive));
      }
      return new Kept(bucketCount - belowCount, mean(t, upper, positive));
    }

    /** The share of {@code (lower, upper)} below t, which lies strictly inside. */
    private double fractionBelow(double lower, double upper) {
      if (linear) {
        return (t - lower) / (upper - lower);
      }
      double logLower = GoMath.log2(Math.abs(lower));
      double logUpper = GoMath.log2(Math.abs(upper));
      double logT = GoMath.log2(Math.abs(t));
      if (t > 0) {
        return (logT - logLower) / (logUpper - logLower);
      }
      // Negative buckets mirror the positive ones.
      return 1 - (logT - logUpper) / (logLower - logUpper);
    }

    /**
     * A bucket reaching to -Inf or +Inf that t cuts (only custom buckets have those). How its
     * observations spread is unknown: a first bucket with a positive finite upper bound is taken
     * to start at 0, an upper bucket is kept whole by {@code >/} and dropped by {@code </}, and
     * otherwise the bucket is dropped rather than guessed at.
     */
    private Kept straddledInfinite(double bucketCount, double lower, double upper) {
      if (lower == Double.NEGATIVE_INFINITY) {
        boolean finiteUpper = upper != Double.POSITIVE_INFINITY;
        if (keepBelow) {
          if (t > 0 && upper > 0 && finiteUpper) {
            return new Kept(bucketCount * t / upper, t / 2);
          }
          if (upper <= 0) {
            return new Kept(bucketCount, t);
          }
          return Kept.NOTHING;
        }
        if (t >= 0 && upper > t && finiteUpper) {
          return new Kept(bucketCount * (1 - t / upper), (t + upper) / 2);
        }
        return Kept.NOTHING;
      }
      if (!keepBelow && t >= lower) {
        return new Kept(bucketCount, t);
      }
      return Kept.NOTHING;
    }

    /**
     * The zero bucket's kept part: {@code [-threshold, threshold]}, narrowed to the side of zero
     * the other buckets are on when they are all on one side.
     */
    private Kept zeroBucket() {
      double lower = -h.zeroThreshold;
      double upper = h.zeroThreshold;
      if (sawNegative && !sawPositive) {
        upper = 0;
      }
      if (sawPositive && !sawNegative) {
        lower = 0;
      }
      double zc = h.zeroCount;
      if (keepBelow) {
        if (t <= lower) {
          return Kept.NOTHING;
        }
        if (t >= upper) {
          return new Kept(zc, (lower + upper) / 2);
        }
        return new Kept(zc * (t - lower) / (upper - lower), (lower + t) / 2);
      }
      if (t <= lower) {
        return new Kept(zc, (lower + upper) / 2);
      }
      if (t >= upper) {
        return Kept.NOTHING;
      }
      return new Kept(zc * (upper - t) / (upper - lower), (t + upper) / 2);
    }

    /**
     * The estimated mean of observations in {@code (lower, upper)}: the arithmetic middle for
     * linear buckets, the geometric one for exponential buckets; with an infinite end, the
     * finite end (half of it when it is a positive upper bound), and 0 when both are infinite.
     */
    private double mean(double lower, double upper, boolean positive) {
      if (Double.isInfinite(lower)) {
        if (Double.isInfinite(upper)) {
          return 0;
        }
        return upper > 0 ? upper / 2 : upper;
      }
      if (Double.isInfinite(upper)) {
        return lower;
      }
      if (linear) {
        return (lower + upper) / 2;
      }
      double geometric = Math.sqrt(Math.abs(lower * upper));
      return positive ? geometric : -geometric;
    }
  }
}
