package dev.tsdb.index.histogram;

import dev.tsdb.gocompat.KahanSum;
import java.util.Map;
import java.util.TreeMap;

/**
 * A running, compensated sum of float histograms: every count (zero count, count, sum and each
 * bucket) is summed with its own Kahan-Babuska-Neumaier compensation term, as Prometheus's
 * KahanAdd does for sum_over_time and avg_over_time. The result is the sum plus the
 * compensation, {@link #result()}.
 *
 * <p>Schemas are reduced to the coarsest one seen, the sum and its compensation alike. Differing
 * zero thresholds are rare enough that the compensation is then folded into the sum and the
 * addition done with {@link HistogramArithmetic#add}.
 */
public final class HistogramKahanSum {
  private IndexedHistogram sum;
  private double cZeroCount;
  private double cCount;
  private double cSum;
  private TreeMap<Integer, Double> cPositive = new TreeMap<>();
  private TreeMap<Integer, Double> cNegative = new TreeMap<>();

  /** Starts the sum with {@code first} (not changed). */
  public HistogramKahanSum(FloatHistogram first) {
    sum = new IndexedHistogram(first);
  }

  /** An independent copy of this running sum. */
  public HistogramKahanSum copy() {
    HistogramKahanSum c = new HistogramKahanSum(sum.toFloatHistogram());
    c.sum.positive = new TreeMap<>(sum.positive);
    c.sum.negative = new TreeMap<>(sum.negative);
    c.cZeroCount = cZeroCount;
    c.cCount = cCount;
    c.cSum = cSum;
    c.cPositive = new TreeMap<>(cPositive);
    c.cNegative = new TreeMap<>(cNegative);
    return c;
  }

  /**
   * Adds {@code h} (not changed).
   *
   * @throws IncompatibleHistogramsException when the bucket kinds or custom bounds differ
   */
  public void add(FloatHistogram h) {
    FloatHistogram current = sum.toFloatHistogram();
    IncompatibleHistogramsException.check(current, h);
    if (!sum.usesCustomBuckets() && sum.zeroThreshold != h.zeroThreshold) {
      sum = new IndexedHistogram(HistogramArithmetic.add(result(), h));
      clearCompensation();
      return;
    }
    IndexedHistogram other = new IndexedHistogram(h);
    sum.hint = HistogramArithmetic.sumHint(sum.hint, h.counterResetHint);
    double[] c = new double[1];
    if (!sum.usesCustomBuckets()) {
      c[0] = cZeroCount;
      sum.zeroCount = KahanSum.inc(other.zeroCount, sum.zeroCount, c);
      cZeroCount = c[0];
    }
    c[0] = cCount;
    sum.count = KahanSum.inc(other.count, sum.count, c);
    cCount = c[0];
    c[0] = cSum;
    sum.sum = KahanSum.inc(other.sum, sum.sum, c);
    cSum = c[0];
    if (!sum.usesCustomBuckets()) {
      int common = Math.min(sum.schema, other.schema);
      if (common < sum.schema) {
        cPositive = IndexedHistogram.reduce(cPositive, sum.schema, common);
        cNegative = IndexedHistogram.reduce(cNegative, sum.schema, common);
      }
      sum.reduceTo(common);
      other.reduceTo(common);
      addBuckets(sum.negative, cNegative, other.negative, c);
    }
    addBuckets(sum.positive, cPositive, other.positive, c);
  }

  private void addBuckets(TreeMap<Integer, Double> into, TreeMap<Integer, Double> comp,
      TreeMap<Integer, Double> from, double[] c) {
    boolean leading = !sum.usesCustomBuckets();
    for (Map.Entry<Integer, Double> e : from.entrySet()) {
      // Leading buckets inside the zero bucket are already counted in the zero count.
      if (leading && sum.bound(e.getKey()) <= sum.zeroThreshold) {
        continue;
      }
      leading = false;
      Double before = into.get(e.getKey());
      Double cBefore = comp.get(e.getKey());
      c[0] = cBefore == null ? 0 : cBefore;
      into.put(e.getKey(), KahanSum.inc(e.getValue(), before == null ? 0 : before, c));
      comp.put(e.getKey(), c[0]);
    }
  }

  /** Multiplies the sum and its compensation by {@code factor}. */
  public void scale(double factor) {
    sum.zeroCount *= factor;
    sum.count *= factor;
    sum.sum *= factor;
    sum.positive.replaceAll((k, v) -> v * factor);
    sum.negative.replaceAll((k, v) -> v * factor);
    cZeroCount *= factor;
    cCount *= factor;
    cSum *= factor;
    cPositive.replaceAll((k, v) -> v * factor);
    cNegative.replaceAll((k, v) -> v * factor);
  }

  /** Divides the sum and its compensation by {@code divisor} (not 0). */
  public void divide(double divisor) {
    sum.zeroCount /= divisor;
    sum.count /= divisor;
    sum.sum /= divisor;
    sum.positive.replaceAll((k, v) -> v / divisor);
    sum.negative.replaceAll((k, v) -> v / divisor);
    cZeroCount /= divisor;
    cCount /= divisor;
    cSum /= divisor;
    cPositive.replaceAll((k, v) -> v / divisor);
    cNegative.replaceAll((k, v) -> v / divisor);
  }

  /** Whether any count of the running sum (compensation left out) is infinite. */
  public boolean hasOverflow() {
    return Double.isInfinite(sum.zeroCount) || Double.isInfinite(sum.count)
        || Double.isInfinite(sum.sum) || anyInfinite(sum.positive) || anyInfinite(sum.negative);
  }

  private static boolean anyInfinite(TreeMap<Integer, Double> side) {
    for (double v : side.values()) {
      if (Double.isInfinite(v)) {
        return true;
      }
    }
    return false;
  }

  /** The compensated sum: each count plus its compensation. */
  public FloatHistogram result() {
    FloatHistogram h = sum.toFloatHistogram();
    h.zeroCount += cZeroCount;
    h.count += cCount;
    h.sum += cSum;
    addCompensation(h.positiveSpans, h.positiveBuckets, cPositive);
    addCompensation(h.negativeSpans, h.negativeBuckets, cNegative);
    return h;
  }

  /** The compensation has only indexes the sum has: bucket i of the result gets its term. */
  private static void addCompensation(int[] spans, double[] buckets,
      TreeMap<Integer, Double> comp) {
    if (comp.isEmpty()) {
      return;
    }
    int[] indexes = Buckets.indexes(spans, buckets.length);
    for (int i = 0; i < indexes.length; i++) {
      Double c = comp.get(indexes[i]);
      if (c != null) {
        buckets[i] += c;
      }
    }
  }

  private void clearCompensation() {
    cZeroCount = 0;
    cCount = 0;
    cSum = 0;
    cPositive = new TreeMap<>();
    cNegative = new TreeMap<>();
  }
}
