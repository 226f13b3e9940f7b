package dev.tsdb.index.histogram;

import dev.tsdb.gocompat.GoFloat;

/**
 * The consistency rules a native histogram must meet before storage accepts it (Prometheus's
 * Histogram.Validate and FloatHistogram.Validate), answering with Prometheus's error texts.
 *
 * <p>Rules, in the order they are checked:
 * <ul>
 *   <li>custom buckets (schema -53): bounds not NaN, strictly increasing, the last one not +Inf;
 *       positive spans with no negative offset, covering exactly the given buckets and at most
 *       one bucket more than there are bounds; zero count and zero threshold 0; no negative spans
 *       or buckets;
 *   <li>exponential schemas (-4..8): on each side, only the first span may have a negative
 *       offset and the spans cover exactly the given buckets; no negative bucket count (for float
 *       histograms no negative zero count either); no custom bounds;
 *   <li>any other schema is invalid;
 *   <li>no negative bucket count on the positive side; for integer histograms the count equals
 *       the buckets' total plus the zero count, or is at least that when the sum is NaN (NaN
 *       observations land in no bucket); float histograms only need a count that is not negative.
 * </ul>
 *
 * <p>This is the rule set of Prometheus 3.8 and later. Prometheus 3.5 (our reference elsewhere)
 * checks the rest with the same texts but would store histograms with a schema out of range
 * (checked since 3.7), NaN custom bounds or negative float counts (checked since 3.8), and it
 * refuses a first custom bound of -Inf ("previous bound is -Inf and current is -Inf"), which 3.8
 * accepts. Custom bounds of an exponential histogram are "present" here when the array is
 * non-empty (Go tells a nil from an empty slice; no sender encodes an empty one).
 *
 * <p>Valid histograms cost no allocation; the text is built only for invalid ones.
 */
public final class HistogramValidation {
  private static final String SPANS_MISMATCH =
      "histogram spans specify different number of buckets than provided";
  private static final String NEGATIVE_OFFSET = "histogram has a span whose offset is negative";
  private static final String NEGATIVE_BUCKET =
      "histogram has a bucket whose observation count is negative";
  private static final String POSITIVE = "positive side: ";
  private static final String NEGATIVE = "negative side: ";
  private static final String CUSTOM = "custom buckets: ";

  private HistogramValidation() {}

  /** Null when valid, else why not, as Prometheus words it. */
  public static String problem(Histogram h) {
    String p = layoutProblem(h.schema, h.customValues, h.positiveSpans, h.positiveBuckets.length,
        h.negativeSpans, h.negativeBuckets.length, h.zeroCount != 0, h.zeroThreshold);
    if (p != null) {
      return p;
    }
    long observed = h.zeroCount;
    if (!h.usesCustomBuckets()) {
      p = withPrefix(NEGATIVE, negativeDelta(h.negativeBuckets));
      if (p != null) {
        return p;
      }
      observed += total(h.negativeBuckets);
      if (h.customValues.length > 0) {
        return "histogram with exponential schema must not have custom bounds";
      }
    }
    p = withPrefix(POSITIVE, negativeDelta(h.positiveBuckets));
    if (p != null) {
      return p;
    }
    observed += total(h.positiveBuckets); // uint64 arithmetic: wraps as in Go
    boolean nanSum = Double.isNaN(h.sum);
    if (nanSum ? Long.compareUnsigned(observed, h.count) > 0 : observed != h.count) {
      return Long.toUnsignedString(observed) + " observations found in buckets, but the Count"
          + " field is " + Long.toUnsignedString(h.count) + ": " + (nanSum
          ? "histogram's observation count should be at least the number of observations found"
              + " in the buckets"
          : "histogram's observation count should equal the number of observations found in the"
              + " buckets (in absence of NaN)");
    }
    return null;
  }

  /** Null when valid, else why not, as Prometheus words it. */
  public static String problem(FloatHistogram h) {
    String p = layoutProblem(h.schema, h.customValues, h.positiveSpans, h.positiveBuckets.length,
        h.negativeSpans, h.negativeBuckets.length, h.zeroCount != 0, h.zeroThreshold);
    if (p != null) {
      return p;
    }
    if (!h.usesCustomBuckets()) {
      p = withPrefix(NEGATIVE, negativeCount(h.negativeBuckets));
      if (p != null) {
        return p;
      }
      if (h.zeroCount < 0) {
        return "zero bucket has observation count of " + GoFloat.formatG(h.zeroCount) + ": "
            + NEGATIVE_BUCKET;
      }
      if (h.customValues.length > 0) {
        return "histogram with exponential schema must not have custom bounds";
      }
    }
    if (h.count < 0) {
      // Two spaces after "is", as Prometheus has it.
      return "observation count is  " + GoFloat.formatG(h.count)
          + ": histogram's observation count is negative";
    }
    return withPrefix(POSITIVE, negativeCount(h.positiveBuckets));
  }

  /** The schema, span and custom-bound rules: everything but the bucket counts. */
  private static String layoutProblem(int schema, double[] bounds, int[] positiveSpans,
      int positiveBuckets, int[] negativeSpans, int negativeBuckets, boolean zeroCount,
      double zeroThreshold) {
    return schema == Histogram.CUSTOM_BUCKETS_SCHEMA
        ? customLayoutProblem(bounds, positiveSpans, positiveBuckets, zeroCount, zeroThreshold,
            negativeSpans.length, negativeBuckets)
        : exponentialLayoutProblem(schema, positiveSpans, positiveBuckets, negativeSpans,
            negativeBuckets);
  }

  /** The span and schema rules of an exponential (or invalid) schema. */
  private static String exponentialLayoutProblem(int schema, int[] positiveSpans,
      int positiveBuckets, int[] negativeSpans, int negativeBuckets) {
    if (schema < Histogram.MIN_EXPONENTIAL_SCHEMA || schema > Histogram.MAX_EXPONENTIAL_SCHEMA) {
      return "histogram has an invalid schema, which must be between "
          + Histogram.MIN_EXPONENTIAL_SCHEMA + " and " + Histogram.MAX_EXPONENTIAL_SCHEMA
          + " for exponential buckets, or " + Histogram.CUSTOM_BUCKETS_SCHEMA
          + " for custom buckets, got schema " + schema;
    }
    String p = withPrefix(POSITIVE, spansProblem(positiveSpans, positiveBuckets, false));
    return p != null ? p : withPrefix(NEGATIVE, spansProblem(negativeSpans, negativeBuckets,
        false));
  }

  /** The layout rules of schema -53, before any bucket count is looked at. */
  private static String customLayoutProblem(double[] bounds, int[] spans,
      int buckets, boolean zeroCount, double zeroThreshold, int negativeSpans,
      int negativeBuckets) {
    String p = withPrefix(CUSTOM, boundsProblem(bounds));
    if (p == null) {
      p = withPrefix(CUSTOM, spansProblem(spans, buckets, true));
    }
    if (p == null) {
      long covered = 0;
      for (int i = 0; i < spans.length; i += 2) {
        covered += spans[i] + Integer.toUnsignedLong(spans[i + 1]);
      }
      if (bounds.length + 1L < covered) {
        p = CUSTOM + "only " + bounds.length + " custom bounds defined which is insufficient to"
            + " cover total span length of " + covered + ": histogram custom bounds are too few";
      }
    }
    if (p != null) {
      return p;
    }
    if (zeroCount) {
      return CUSTOM + "must have zero count of 0";
    }
    if (zeroThreshold != 0) {
      return CUSTOM + "must have zero threshold of 0";
    }
    if (negativeSpans > 0) {
      return CUSTOM + "must not have negative spans";
    }
    return negativeBuckets > 0 ? CUSTOM + "must not have negative buckets" : null;
  }

  private static String boundsProblem(double[] bounds) {
    for (int i = 0; i < bounds.length; i++) {
      double b = bounds[i];
      if (Double.isNaN(b)) {
        return "histogram custom bounds must not be NaN";
      }
      if (i > 0 && b <= bounds[i - 1]) {
        return "previous bound is " + GoFloat.format(bounds[i - 1], 'f', 6) + " and current is "
            + GoFloat.format(b, 'f', 6)
            + ": histogram custom bounds must be in strictly increasing order";
      }
    }
    if (bounds.length > 0 && bounds[bounds.length - 1] == Double.POSITIVE_INFINITY) {
      return "last +Inf bound must not be explicitly defined: histogram custom bounds must be"
          + " finite";
    }
    return null;
  }

  /**
   * Offsets after the first may not be negative (custom buckets: none may), and the span lengths
   * (uint32s) must add up to the number of buckets.
   */
  private static String spansProblem(int[] spans, int buckets, boolean firstOffsetToo) {
    long needed = 0;
    for (int i = 0; i < spans.length; i += 2) {
      if ((i > 0 || firstOffsetToo) && spans[i] < 0) {
        return "span number " + (i / 2 + 1) + " with offset " + spans[i] + ": "
            + NEGATIVE_OFFSET;
      }
      needed += Integer.toUnsignedLong(spans[i + 1]);
    }
    if (needed != buckets) {
      return "spans need " + needed + " buckets, have " + buckets + " buckets: " + SPANS_MISMATCH;
    }
    return null;
  }

  /** The first delta-encoded bucket whose absolute count is negative (int64 arithmetic). */
  private static String negativeDelta(long[] deltas) {
    long c = 0;
    for (int i = 0; i < deltas.length; i++) {
      c += deltas[i];
      if (c < 0) {
        return "bucket number " + (i + 1) + " has observation count of " + c + ": "
            + NEGATIVE_BUCKET;
      }
    }
    return null;
  }

  /** The first absolute bucket count below zero (NaN is not). */
  private static String negativeCount(double[] counts) {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        return "bucket number " + (i + 1) + " has observation count of "
            + GoFloat.formatG(counts[i]) + ": " + NEGATIVE_BUCKET;
      }
    }
    return null;
  }

  /** The sum of the absolute counts of delta-encoded buckets, as a wrapping uint64. */
  private static long total(long[] deltas) {
    long c = 0;
    long sum = 0;
    for (long d : deltas) {
      c += d;
      sum += c;
    }
    return sum;
  }

  private static String withPrefix(String prefix, String problem) {
    return problem == null ? null : prefix + problem;
  }
}
