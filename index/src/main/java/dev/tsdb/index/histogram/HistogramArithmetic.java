package dev.tsdb.index.histogram;

import java.util.Map;
import java.util.TreeMap;

/**
 * Arithmetic on float histograms with the results of Prometheus 3.5's FloatHistogram Add, Sub,
 * Mul and Div (what PromQL's {@code + - * /} and unary minus do with histograms). Every method
 * returns a new histogram and leaves its arguments alone.
 *
 * <p>Adding or subtracting reduces the finer schema to the coarser one; differing zero
 * thresholds are reconciled by widening the narrower zero bucket (to the wider threshold, or
 * further up to the end of a populated bucket it cuts through) and folding the buckets inside it
 * into the zero count; custom-bucket histograms only combine with the same bounds
 * ({@link IncompatibleHistogramsException} otherwise). Bucket layouts may differ from
 * Prometheus's: spans come out merged wherever buckets are adjacent, which is what Prometheus's
 * Compact(0) would make of its result apart from removing empty buckets; compare with
 * {@link HistogramLayout#equalsCompacted}.
 */
public final class HistogramArithmetic {
  private HistogramArithmetic() {}

  /** {@code a + b}. The counter reset hints combine as {@link #sumHint} says. */
  public static FloatHistogram add(FloatHistogram a, FloatHistogram b) {
    return combine(a, b, false);
  }

  /** {@code a - b}. Keeps {@code a}'s counter reset hint, as Prometheus 3.5's Sub does. */
  public static FloatHistogram sub(FloatHistogram a, FloatHistogram b) {
    return combine(a, b, true);
  }

  /**
   * {@code h * factor}: every count, the zero count and the sum scaled, the layout unchanged. A
   * negative factor makes a gauge (as Prometheus 3.6 and later say; 3.5 kept the hint): a counter
   * that counts down is none.
   */
  public static FloatHistogram mul(FloatHistogram h, double factor) {
    FloatHistogram out = h.copy();
    out.zeroCount *= factor;
    out.count *= factor;
    out.sum *= factor;
    scale(out.positiveBuckets, factor);
    scale(out.negativeBuckets, factor);
    if (factor < 0) {
      out.counterResetHint = CounterResetHint.GAUGE;
    }
    return out;
  }

  /**
   * {@code h / divisor}. Dividing by zero leaves no buckets (they would all be ±Inf or NaN), only
   * the zero count, count and sum divided; a negative divisor makes a gauge as in {@link #mul}.
   */
  public static FloatHistogram div(FloatHistogram h, double divisor) {
    FloatHistogram out = h.copy();
    out.zeroCount /= divisor;
    out.count /= divisor;
    out.sum /= divisor;
    if (divisor == 0) {
      out.positiveSpans = Histogram.NO_SPANS;
      out.positiveBuckets = Histogram.NO_VALUES;
      out.negativeSpans = Histogram.NO_SPANS;
      out.negativeBuckets = Histogram.NO_VALUES;
      return out;
    }
    for (int i = 0; i < out.positiveBuckets.length; i++) {
      out.positiveBuckets[i] /= divisor;
    }
    for (int i = 0; i < out.negativeBuckets.length; i++) {
      out.negativeBuckets[i] /= divisor;
    }
    if (divisor < 0) {
      out.counterResetHint = CounterResetHint.GAUGE;
    }
    return out;
  }

  /** {@code -h}: PromQL's unary minus, which is {@code h * -1}. */
  public static FloatHistogram negate(FloatHistogram h) {
    return mul(h, -1);
  }

  private static void scale(double[] counts, double factor) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] *= factor;
    }
  }

  private static FloatHistogram combine(FloatHistogram a, FloatHistogram b, boolean subtract) {
    IncompatibleHistogramsException.check(a, b);
    IndexedHistogram h = new IndexedHistogram(a);
    IndexedHistogram other = new IndexedHistogram(b);
    double sign = subtract ? -1 : 1;
    if (!subtract) {
      h.hint = sumHint(a.counterResetHint, b.counterResetHint);
    }
    if (!h.usesCustomBuckets()) {
      // Reconciling may change h's zero count, so it must run before h.zeroCount is read.
      double otherZeroCount = reconcileZeroBuckets(h, other);
      h.zeroCount += sign * otherZeroCount;
    }
    h.count += sign * other.count;
    h.sum += sign * other.sum;
    if (!h.usesCustomBuckets()) {
      int common = Math.min(h.schema, other.schema);
      h.reduceTo(common);
      other.reduceTo(common);
      addInto(h, h.negative, other.negative, sign);
    }
    addInto(h, h.positive, other.positive, sign);
    return h.toFloatHistogram();
  }

  /**
   * What Add makes of the two hints: equal stays, a gauge on either side makes a gauge, anything
   * else (unknown on a side, or a reset meeting a non-reset) is unknown.
   */
  public static CounterResetHint sumHint(CounterResetHint a, CounterResetHint b) {
    if (a == b) {
      return a;
    }
    if (a == CounterResetHint.GAUGE || b == CounterResetHint.GAUGE) {
      return CounterResetHint.GAUGE;
    }
    return CounterResetHint.UNKNOWN;
  }

  /**
   * Adds {@code from}'s buckets into {@code into}. Leading buckets of {@code from} that lie
   * inside the (exponential) zero bucket are already counted in the zero count and skipped.
   */
  private static void addInto(IndexedHistogram h, TreeMap<Integer, Double> into,
      TreeMap<Integer, Double> from, double sign) {
    boolean leading = !h.usesCustomBuckets();
    for (Map.Entry<Integer, Double> e : from.entrySet()) {
      if (leading && h.bound(e.getKey()) <= h.zeroThreshold) {
        continue;
      }
      leading = false;
      into.merge(e.getKey(), sign * e.getValue(), Double::sum);
    }
  }

  /**
   * Brings both zero buckets to the same threshold, widening the narrower; {@code h} is changed
   * in place, {@code other} is not. Returns {@code other}'s zero count at the common threshold.
   */
  private static double reconcileZeroBuckets(IndexedHistogram h, IndexedHistogram other) {
    double otherCount = other.zeroCount;
    double otherThreshold = other.zeroThreshold;
    while (otherThreshold != h.zeroThreshold) {
      if (h.zeroThreshold > otherThreshold) {
        double[] widened = other.zeroCountForLargerThreshold(h.zeroThreshold);
        otherCount = widened[0];
        otherThreshold = widened[1];
      }
      if (otherThreshold > h.zeroThreshold) {
        double[] widened = h.zeroCountForLargerThreshold(otherThreshold);
        h.widenZeroBucket(widened[0], widened[1]);
      }
    }
    return otherCount;
  }
}
