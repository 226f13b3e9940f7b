package dev.tsdb.promql.parser;

import dev.tsdb.index.histogram.BucketBounds;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sum and difference of two float histograms, with the results Prometheus's FloatHistogram
 * Add/Sub give, for the test-script expansions {@code {{a}}+{{b}}xN} and {@code {{a}}-{{b}}xN}.
 *
 * <p>The finer schema is reduced to the coarser one; differing zero thresholds are reconciled by
 * widening the narrower zero bucket (to the wider threshold, or further up to the end of a
 * populated bucket it cuts through) and folding the buckets inside it into the zero count;
 * custom-bucket histograms only combine with the same bounds. Bucket layouts may differ from
 * Prometheus's: spans come out merged wherever buckets are adjacent, which is what Prometheus's
 * Compact(0) would make of its result apart from removing empty buckets.
 */
final class HistogramArithmetic {
  static final String MIXED_SCHEMAS = "cannot apply this operation on histograms with a mix of "
      + "exponential and custom bucket schemas";
  static final String DIFFERENT_BOUNDS = "cannot apply this operation on custom buckets "
      + "histograms with different custom bounds";

  private HistogramArithmetic() {}

  static FloatHistogram add(FloatHistogram a, FloatHistogram b) {
    return combine(a, b, false);
  }

  static FloatHistogram subtract(FloatHistogram a, FloatHistogram b) {
    return combine(a, b, true);
  }

  private static FloatHistogram combine(FloatHistogram a, FloatHistogram b, boolean subtract) {
    if (a.usesCustomBuckets() != b.usesCustomBuckets()) {
      throw new IllegalArgumentException(MIXED_SCHEMAS);
    }
    if (a.usesCustomBuckets() && !sameBounds(a.customValues, b.customValues)) {
      throw new IllegalArgumentException(DIFFERENT_BOUNDS);
    }
    Layout h = new Layout(a);
    Layout other = new Layout(b);
    double sign = subtract ? -1 : 1;
    if (!subtract) {
      h.hint = sumHint(a.counterResetHint, b.counterResetHint);
    }
    if (!a.usesCustomBuckets()) {
      // Reconciling may change h's zero count, so it must run before h.zeroCount is read.
      double otherZeroCount = reconcileZeroBuckets(h, other);
      h.zeroCount += sign * otherZeroCount;
    }
    h.count += sign * other.count;
    h.sum += sign * other.sum;
    if (!a.usesCustomBuckets()) {
      if (other.schema < h.schema) {
        h.positive = reduce(h.positive, h.schema, other.schema);
        h.negative = reduce(h.negative, h.schema, other.schema);
        h.schema = other.schema;
      } else if (other.schema > h.schema) {
        other.positive = reduce(other.positive, other.schema, h.schema);
        other.negative = reduce(other.negative, other.schema, h.schema);
      }
      addInto(h, h.negative, other.negative, sign);
    }
    addInto(h, h.positive, other.positive, sign);
    return h.toHistogram(a.customValues);
  }

  /** What Add makes of the two hints: equal stays, gauge wins, then unknown. */
  private static CounterResetHint sumHint(CounterResetHint a, CounterResetHint b) {
    if (a == b) {
      return a;
    }
    if (a == CounterResetHint.GAUGE || b == CounterResetHint.GAUGE) {
      return CounterResetHint.GAUGE;
    }
    // Unknown on either side, or a reset meeting a non-reset: nothing can be claimed.
    return CounterResetHint.UNKNOWN;
  }

  private static boolean sameBounds(double[] a, double[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Adds {@code from}'s buckets into {@code into}. Leading buckets of {@code from} that lie
   * inside the (exponential) zero bucket are already counted in the zero count and skipped.
   */
  private static void addInto(Layout h, TreeMap<Integer, Double> into,
      TreeMap<Integer, Double> from, double sign) {
    boolean leading = h.schema != Histogram.CUSTOM_BUCKETS_SCHEMA;
    for (Map.Entry<Integer, Double> e : from.entrySet()) {
      if (leading && BucketBounds.exponentialUpper(e.getKey(), h.schema) <= h.zeroThreshold) {
        continue;
      }
      leading = false;
      into.merge(e.getKey(), sign * e.getValue(), Double::sum);
    }
  }

  /** Buckets of schema {@code from} summed into the buckets of coarser schema {@code to}. */
  private static TreeMap<Integer, Double> reduce(TreeMap<Integer, Double> buckets, int from,
      int to) {
    TreeMap<Integer, Double> out = new TreeMap<>();
    for (Map.Entry<Integer, Double> e : buckets.entrySet()) {
      // Bucket i of the finer schema lies within bucket ((i - 1) >> shift) + 1 of the coarser.
      int target = ((e.getKey() - 1) >> (from - to)) + 1;
      out.merge(target, e.getValue(), Double::sum);
    }
    return out;
  }

  /**
   * Brings both zero buckets to the same threshold, widening the narrower; {@code h} is changed
   * in place, {@code other} is not. Returns {@code other}'s zero count at the common threshold.
   */
  private static double reconcileZeroBuckets(Layout h, Layout other) {
    double otherCount = other.zeroCount;
    double otherThreshold = other.zeroThreshold;
    while (otherThreshold != h.zeroThreshold) {
      if (h.zeroThreshold > otherThreshold) {
        double[] widened = zeroCountForLargerThreshold(other, h.zeroThreshold);
        otherCount = widened[0];
        otherThreshold = widened[1];
      }
      if (otherThreshold > h.zeroThreshold) {
        double[] widened = zeroCountForLargerThreshold(h, otherThreshold);
        h.zeroCount = widened[0];
        h.zeroThreshold = widened[1];
        h.dropBucketsInZeroBucket();
      }
    }
    return otherCount;
  }

  /**
   * The zero count {@code l} would have with a zero bucket up to {@code threshold}, and the
   * threshold actually needed: if it cuts through a populated bucket, up to that bucket's end.
   */
  private static double[] zeroCountForLargerThreshold(Layout l, double threshold) {
    if (threshold == l.zeroThreshold) {
      return new double[] {l.zeroCount, threshold};
    }
    double larger = threshold;
    outer:
    while (true) {
      double count = l.zeroCount;
      for (Map.Entry<Integer, Double> e : l.positive.entrySet()) {
        if (l.bound(e.getKey() - 1) >= larger) {
          break;
        }
        count += e.getValue();
        double upper = l.bound(e.getKey());
        if (upper > larger) {
          if (e.getValue() != 0) {
            larger = upper;
          }
          break;
        }
      }
      for (Map.Entry<Integer, Double> e : l.negative.entrySet()) {
        if (-l.bound(e.getKey() - 1) <= -larger) {
          break;
        }
        count += e.getValue();
        double lower = -l.bound(e.getKey());
        if (lower < -larger) {
          if (e.getValue() != 0) {
            // The positive side has to be redone with the wider threshold.
            larger = -lower;
            continue outer;
          }
          break;
        }
      }
      return new double[] {count, larger};
    }
  }

  /** A histogram's fields with buckets by index, in ascending index order. */
  private static final class Layout {
    CounterResetHint hint;
    int schema;
    double zeroThreshold;
    double zeroCount;
    double count;
    double sum;
    TreeMap<Integer, Double> positive;
    TreeMap<Integer, Double> negative;

    Layout(FloatHistogram h) {
      hint = h.counterResetHint;
      schema = h.schema;
      zeroThreshold = h.zeroThreshold;
      zeroCount = h.zeroCount;
      count = h.count;
      sum = h.sum;
      positive = byIndex(h.positiveSpans, h.positiveBuckets);
      negative = byIndex(h.negativeSpans, h.negativeBuckets);
    }

    double bound(int index) {
      return BucketBounds.exponentialUpper(index, schema);
    }

    /**
     * After widening the zero bucket: buckets now inside it are emptied, and, as Prometheus
     * compacts there, every empty bucket is dropped.
     */
    void dropBucketsInZeroBucket() {
      for (Map.Entry<Integer, Double> e : positive.entrySet()) {
        if (bound(e.getKey() - 1) >= zeroThreshold) {
          break;
        }
        e.setValue(0.0);
      }
      for (Map.Entry<Integer, Double> e : negative.entrySet()) {
        if (-bound(e.getKey() - 1) <= -zeroThreshold) {
          break;
        }
        e.setValue(0.0);
      }
      positive.values().removeIf(c -> c == 0);
      negative.values().removeIf(c -> c == 0);
    }

    FloatHistogram toHistogram(double[] customValues) {
      FloatHistogram h = new FloatHistogram();
      h.counterResetHint = hint;
      h.schema = schema;
      h.zeroThreshold = zeroThreshold;
      h.zeroCount = zeroCount;
      h.count = count;
      h.sum = sum;
      h.positiveSpans = spans(positive);
      h.positiveBuckets = counts(positive);
      h.negativeSpans = spans(negative);
      h.negativeBuckets = counts(negative);
      h.customValues = customValues.clone();
      return h;
    }

    private static TreeMap<Integer, Double> byIndex(int[] spans, double[] buckets) {
      TreeMap<Integer, Double> m = new TreeMap<>();
      int[] indexes = dev.tsdb.index.histogram.Buckets.indexes(spans, buckets.length);
      for (int i = 0; i < indexes.length; i++) {
        m.merge(indexes[i], buckets[i], Double::sum);
      }
      return m;
    }

    /** Flattened (offset, length) spans, one per run of adjacent indexes. */
    private static int[] spans(TreeMap<Integer, Double> buckets) {
      int[] out = new int[buckets.size() * 2];
      int n = 0;
      int next = 0;
      for (int index : buckets.keySet()) {
        if (n > 0 && index == next) {
          out[n - 1]++;
        } else {
          out[n++] = index - next;
          out[n++] = 1;
        }
        next = index + 1;
      }
      return java.util.Arrays.copyOf(out, n);
    }

    private static double[] counts(TreeMap<Integer, Double> buckets) {
      double[] out = new double[buckets.size()];
      int i = 0;
      for (double c : buckets.values()) {
        out[i++] = c;
      }
      return out;
    }
  }
}
