package dev.tsdb.promql.engine;

import java.util.Arrays;

/**
 * Quantile arithmetic shared by {@code quantile}, {@code quantile_over_time},
 * {@code histogram_quantile} and {@code histogram_fraction} over classic (le-bucketed)
 * histograms, following Prometheus's promql/quantile.go.
 */
final class Quantiles {
  static final double SMALL_DELTA_TOLERANCE = 1e-12;
  private static final double MIN_NORMAL = Double.longBitsToDouble(0x0010000000000000L);

  private Quantiles() {}

  /** Mutable bucket list: upper bounds and cumulative counts. */
  static final class Buckets {
    double[] upper = new double[16];
    double[] count = new double[16];
    int n;

    void add(double u, double c) {
      if (n == upper.length) {
        upper = Arrays.copyOf(upper, n * 2);
        count = Arrays.copyOf(count, n * 2);
      }
      upper[n] = u;
      count[n] = c;
      n++;
    }

    void clear() {
      n = 0;
    }

    /** Sorts by upper bound (insertion sort: bucket lists are short and mostly sorted). */
    void sort() {
      for (int i = 1; i < n; i++) {
        double u = upper[i];
        double c = count[i];
        int j = i - 1;
        while (j >= 0 && upper[j] > u) {
          upper[j + 1] = upper[j];
          count[j + 1] = count[j];
          j--;
        }
        upper[j + 1] = u;
        count[j + 1] = c;
      }
    }

    /** Merges buckets with the same upper bound (input sorted). */
    void coalesce() {
      int i = 0;
      double lu = upper[0];
      double lc = count[0];
      for (int k = 1; k < n; k++) {
        if (upper[k] == lu) {
          lc += count[k];
        } else {
          upper[i] = lu;
          count[i] = lc;
          i++;
          lu = upper[k];
          lc = count[k];
        }
      }
      upper[i] = lu;
      count[i] = lc;
      n = i + 1;
    }
  }

  /** Result details of {@link #bucketQuantile} about the monotonicity repair. */
  static final class Fix {
    boolean forcedMonotonic;
    boolean fixedPrecision;
    double minBucket;
    double maxBucket;
    double maxDiff;

    void reset() {
      forcedMonotonic = false;
      fixedPrecision = false;
      minBucket = 0;
      maxBucket = 0;
      maxDiff = 0;
    }
  }

  static boolean almostEqual(double a, double b, double epsilon) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double absSum = Math.abs(a) + Math.abs(b);
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || absSum < MIN_NORMAL) {
      return diff < epsilon * MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
  }

  static double bucketQuantile(double q, Buckets b, Fix fix) {
    fix.reset();
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    b.sort();
    if (b.upper[b.n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    b.coalesce();
    ensureMonotonic(b, SMALL_DELTA_TOLERANCE, fix);
    if (b.n < 2) {
      return Double.NaN;
    }
    double observations = b.count[b.n - 1];
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    int lo = 0;
    int hi = b.n - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (b.count[mid] >= rank) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    int idx = lo;
    if (idx == b.n - 1) {
      return b.upper[b.n - 2];
    }
    if (idx == 0 && b.upper[0] <= 0) {
      return b.upper[0];
    }
    double bucketStart = 0;
    double bucketEnd = b.upper[idx];
    double count = b.count[idx];
    if (idx > 0) {
      bucketStart = b.upper[idx - 1];
      count -= b.count[idx - 1];
      rank -= b.count[idx - 1];
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }

  static void ensureMonotonic(Buckets b, double tolerance, Fix fix) {
    fix.minBucket = Double.POSITIVE_INFINITY;
    fix.maxBucket = Double.NEGATIVE_INFINITY;
    double prev = b.count[0];
    for (int i = 1; i < b.n; i++) {
      double curr = b.count[i];
      if (curr == prev) {
        continue;
      }
      if (almostEqual(prev, curr, tolerance)) {
        b.count[i] = prev;
        fix.fixedPrecision = true;
        continue;
      }
      if (curr < prev) {
        b.count[i] = prev;
        fix.forcedMonotonic = true;
        fix.minBucket = Math.min(fix.minBucket, b.upper[i]);
        fix.maxBucket = Math.max(fix.maxBucket, b.upper[i]);
        fix.maxDiff = Math.max(fix.maxDiff, prev - curr);
        continue;
      }
      prev = curr;
    }
  }

  static double bucketFraction(double lower, double upper, Buckets b) {
    b.sort();
    if (b.upper[b.n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    b.coalesce();
    double count = b.count[b.n - 1];
    if (count == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
      return Double.NaN;
    }
    if (lower >= upper) {
      return 0;
    }
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    double lowerBound = b.upper[0] <= 0 ? Double.NEGATIVE_INFINITY : 0;
    for (int i = 0; i < b.n; i++) {
      if (i > 0) {
        lowerBound = b.upper[i - 1];
      }
      double upperBound = b.upper[i];
      double bc = b.count[i];
      if (!lowerSet && lowerBound >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && lowerBound >= upper) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      if (!lowerSet && lowerBound < lower && upperBound > lower) {
        lowerRank = lowerBound == Double.NEGATIVE_INFINITY ? bc
            : rank + (bc - rank) * (lower - lowerBound) / (upperBound - lowerBound);
        lowerSet = true;
      }
      if (!upperSet && lowerBound < upper && upperBound > upper) {
        upperRank = lowerBound == Double.NEGATIVE_INFINITY ? bc
            : rank + (bc - rank) * (upper - lowerBound) / (upperBound - lowerBound);
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank = bc;
    }
    if (!lowerSet || lowerRank > count) {
      lowerRank = count;
    }
    if (!upperSet || upperRank > count) {
      upperRank = count;
    }
    return (upperRank - lowerRank) / count;
  }

  /**
   * The q-quantile of {@code values[0..n)} (sorted in place, NaNs first), as the quantile
   * aggregator and quantile_over_time compute it.
   */
  static double quantile(double q, double[] values, int n) {
    if (n == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    sortNaNFirst(values, n);
    double rank = q * (n - 1);
    double lowerIndex = Math.max(0, Math.floor(rank));
    double upperIndex = Math.min(n - 1, lowerIndex + 1);
    double weight = rank - Math.floor(rank);
    return values[(int) lowerIndex] * (1 - weight) + values[(int) upperIndex] * weight;
  }

  /** Ascending sort with NaNs first (Prometheus's vectorByValueHeap order). */
  static void sortNaNFirst(double[] values, int n) {
    int nan = 0;
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(values[i])) {
        double tmp = values[nan];
        values[nan] = values[i];
        values[i] = tmp;
        nan++;
      }
    }
    Arrays.sort(values, nan, n);
  }
}
