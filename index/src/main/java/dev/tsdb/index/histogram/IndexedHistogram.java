package dev.tsdb.index.histogram;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The working form of a float histogram for the operations that change its bucket layout: each
 * side's buckets keyed by bucket index, ascending, so that buckets can be merged, inserted and
 * dropped without span bookkeeping. Converted back, runs of adjacent indexes become one span.
 */
final class IndexedHistogram {
  CounterResetHint hint;
  int schema;
  double zeroThreshold;
  double zeroCount;
  double count;
  double sum;
  TreeMap<Integer, Double> positive;
  TreeMap<Integer, Double> negative;
  final double[] customValues;

  IndexedHistogram(FloatHistogram h) {
    hint = h.counterResetHint;
    schema = h.schema;
    zeroThreshold = h.zeroThreshold;
    zeroCount = h.zeroCount;
    count = h.count;
    sum = h.sum;
    positive = byIndex(h.positiveSpans, h.positiveBuckets);
    negative = byIndex(h.negativeSpans, h.negativeBuckets);
    customValues = h.customValues;
  }

  boolean usesCustomBuckets() {
    return schema == Histogram.CUSTOM_BUCKETS_SCHEMA;
  }

  /** The upper bound of exponential bucket {@code index} (its absolute value, negative side). */
  double bound(int index) {
    return BucketBounds.exponentialUpper(index, schema);
  }

  /** Both sides' buckets merged into the buckets of the coarser schema {@code target}. */
  void reduceTo(int target) {
    if (target == schema) {
      return;
    }
    positive = reduce(positive, schema, target);
    negative = reduce(negative, schema, target);
    schema = target;
  }

  /** Drops every bucket whose count is 0 (Prometheus's Compact(0)). */
  void dropEmptyBuckets() {
    positive.values().removeIf(c -> c == 0);
    negative.values().removeIf(c -> c == 0);
  }

  /**
   * The zero count this histogram would have with a zero bucket up to {@code threshold}, and the
   * threshold actually needed: where it cuts through a populated bucket, that bucket's far end
   * (the negative side can push the threshold up, which needs the positive side redone).
   */
  double[] zeroCountForLargerThreshold(double threshold) {
    if (threshold == zeroThreshold) {
      return new double[] {zeroCount, threshold};
    }
    double larger = threshold;
    outer:
    while (true) {
      double c = zeroCount;
      for (Map.Entry<Integer, Double> e : positive.entrySet()) {
        if (bound(e.getKey() - 1) >= larger) {
          break;
        }
        c += e.getValue();
        double upper = bound(e.getKey());
        if (upper > larger) {
          if (e.getValue() != 0) {
            larger = upper;
          }
          break;
        }
      }
      for (Map.Entry<Integer, Double> e : negative.entrySet()) {
        if (bound(e.getKey() - 1) >= larger) {
          break;
        }
        c += e.getValue();
        double far = bound(e.getKey());
        if (far > larger) {
          if (e.getValue() != 0) {
            larger = far;
            continue outer;
          }
          break;
        }
      }
      return new double[] {c, larger};
    }
  }

  /**
   * Widens the zero bucket to {@code threshold} with the zero count {@code newZeroCount} (from
   * {@link #zeroCountForLargerThreshold}): the buckets now inside it are emptied and, as
   * Prometheus compacts at that point, every empty bucket is dropped.
   */
  void widenZeroBucket(double newZeroCount, double threshold) {
    zeroCount = newZeroCount;
    zeroThreshold = threshold;
    positive.headMap(firstOutsideZeroBucket(positive), false).replaceAll((k, v) -> 0.0);
    negative.headMap(firstOutsideZeroBucket(negative), false).replaceAll((k, v) -> 0.0);
    dropEmptyBuckets();
  }

  /** The lowest index whose bucket starts at or beyond the zero threshold. */
  private int firstOutsideZeroBucket(TreeMap<Integer, Double> side) {
    for (int index : side.keySet()) {
      if (bound(index - 1) >= zeroThreshold) {
        return index;
      }
    }
    return Integer.MAX_VALUE;
  }

  FloatHistogram toFloatHistogram() {
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

  /** The index bucket {@code index} of schema {@code from} falls into at coarser schema {@code to}. */
  static int targetIndex(int index, int from, int to) {
    return ((index - 1) >> (from - to)) + 1;
  }

  static TreeMap<Integer, Double> reduce(TreeMap<Integer, Double> buckets, int from, int to) {
    TreeMap<Integer, Double> out = new TreeMap<>();
    for (Map.Entry<Integer, Double> e : buckets.entrySet()) {
      out.merge(targetIndex(e.getKey(), from, to), e.getValue(), Double::sum);
    }
    return out;
  }

  static TreeMap<Integer, Double> byIndex(int[] spans, double[] buckets) {
    TreeMap<Integer, Double> m = new TreeMap<>();
    int[] indexes = Buckets.indexes(spans, buckets.length);
    for (int i = 0; i < indexes.length; i++) {
      m.merge(indexes[i], buckets[i], Double::sum);
    }
    return m;
  }

  /** Flattened (offset, length) spans, one per run of adjacent indexes. */
  static int[] spans(TreeMap<Integer, Double> buckets) {
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
    return Arrays.copyOf(out, n);
  }

  static double[] counts(TreeMap<Integer, Double> buckets) {
    double[] out = new double[buckets.size()];
    int i = 0;
    for (double c : buckets.values()) {
      out[i++] = c;
    }
    return out;
  }
}
