package dev.tsdb.index.histogram;

/**
 * Adding or subtracting two histograms as PromQL does it since Prometheus 3.8, telling the caller
 * what it had to paper over: a collision of counter reset hints (one side says "reset", the
 * other "no reset"; the result's hint is then unknown) and custom-bucket histograms with
 * different bounds, which are first both mapped onto the bounds they have in common (each bucket
 * goes to the first common bound at or above its own upper bound, or to the +Inf bucket).
 * Exponential histograms combine as {@link HistogramArithmetic} does. The result is compacted
 * (no empty buckets), as PromQL's operators leave it. Arguments are never changed.
 */
public final class HistogramCombination {
  /** The combined histogram. */
  public final FloatHistogram histogram;
  /** The two counter reset hints contradicted each other. */
  public final boolean counterResetCollision;
  /** Custom bounds differed and were reduced to their intersection. */
  public final boolean customBoundsReconciled;

  private HistogramCombination(FloatHistogram histogram, boolean counterResetCollision,
      boolean customBoundsReconciled) {
    this.histogram = histogram;
    this.counterResetCollision = counterResetCollision;
    this.customBoundsReconciled = customBoundsReconciled;
  }

  /**
   * {@code a + b}.
   *
   * @throws IncompatibleHistogramsException when one uses custom buckets and the other not
   */
  public static HistogramCombination add(FloatHistogram a, FloatHistogram b) {
    return combine(a, b, false);
  }

  /**
   * {@code a - b}; the hint combines as for addition (callers that want a gauge set it).
   *
   * @throws IncompatibleHistogramsException when one uses custom buckets and the other not
   */
  public static HistogramCombination sub(FloatHistogram a, FloatHistogram b) {
    return combine(a, b, true);
  }

  private static HistogramCombination combine(FloatHistogram a, FloatHistogram b,
      boolean subtract) {
    boolean reconciled = false;
    if (a.usesCustomBuckets() && b.usesCustomBuckets()
        && !HistogramLayout.sameBounds(a.customValues, b.customValues)) {
      double[] common = commonBounds(a.customValues, b.customValues);
      a = onBounds(a, common);
      b = onBounds(b, common);
      reconciled = true;
    }
    FloatHistogram sum = subtract ? HistogramArithmetic.sub(a, b) : HistogramArithmetic.add(a, b);
    boolean collision = collides(a.counterResetHint, b.counterResetHint);
    sum.counterResetHint = HistogramArithmetic.sumHint(a.counterResetHint, b.counterResetHint);
    return new HistogramCombination(HistogramLayout.compact(sum), collision, reconciled);
  }

  /** One side says the counter was reset, the other that it was not. */
  static boolean collides(CounterResetHint a, CounterResetHint b) {
    return a == CounterResetHint.COUNTER_RESET && b == CounterResetHint.NOT_COUNTER_RESET
        || a == CounterResetHint.NOT_COUNTER_RESET && b == CounterResetHint.COUNTER_RESET;
  }

  /** The bounds present in both sorted arrays, compared exactly. */
  static double[] commonBounds(double[] x, double[] y) {
    double[] out = new double[Math.min(x.length, y.length)];
    int n = 0;
    int i = 0;
    int j = 0;
    while (i < x.length && j < y.length) {
      if (x[i] == y[j]) {
        out[n++] = x[i];
        i++;
        j++;
      } else if (x[i] < y[j]) {
        i++;
      } else {
        j++;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /**
   * {@code h}'s buckets merged onto {@code bounds}, a subset of its own: bucket i (upper bound
   * customValues[i], or +Inf past the end) lands in the first of {@code bounds} not below it.
   */
  static FloatHistogram onBounds(FloatHistogram h, double[] bounds) {
    double[] counts = new double[bounds.length + 1];
    int[] indexes = Buckets.indexes(h.positiveSpans, h.positiveBuckets.length);
    int target = 0;
    for (int i = 0; i < indexes.length; i++) {
      int index = indexes[i];
      if (index >= h.customValues.length) {
        target = bounds.length;
      } else {
        while (target < bounds.length && bounds[target] < h.customValues[index]) {
          target++;
        }
      }
      counts[target] += h.positiveBuckets[i];
    }
    FloatHistogram out = h.copy();
    out.customValues = bounds.clone();
    out.positiveSpans = new int[] {0, counts.length};
    out.positiveBuckets = counts;
    return out;
  }
}
