package dev.tsdb.promql.engine;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;
import java.util.Arrays;

/**
 * An instant vector at one evaluation step, as parallel arrays so that functions, operators and
 * aggregations work without allocating a sample object per element. {@code src} is the index of
 * the input series an element came from (used for join signatures); {@code t} the timestamp of
 * the underlying sample (only meaningful for {@code timestamp()}). {@code h[i]} is the native
 * histogram of element i, or null where it is a float (then {@code f[i]} holds it).
 */
final class StepVector {
  Labels[] metric;
  double[] f;
  FloatHistogram[] h;
  boolean[] drop;
  long[] t;
  int[] src;
  int n;

  StepVector(int capacity) {
    int c = Math.max(4, capacity);
    metric = new Labels[c];
    f = new double[c];
    h = new FloatHistogram[c];
    drop = new boolean[c];
    t = new long[c];
    src = new int[c];
  }

  void clear() {
    Arrays.fill(metric, 0, n, null);
    Arrays.fill(h, 0, n, null);
    n = 0;
  }

  int add(Labels m, double v, boolean dropName) {
    return add(m, v, dropName, 0, -1);
  }

  int add(Labels m, double v, boolean dropName, long time, int source) {
    return add(m, v, null, dropName, time, source);
  }

  /** Adds a histogram element. */
  int addHistogram(Labels m, FloatHistogram hist, boolean dropName) {
    return add(m, 0, hist, dropName, 0, -1);
  }

  /** Adds a float ({@code hist} null) or histogram element. */
  int add(Labels m, double v, FloatHistogram hist, boolean dropName, long time, int source) {
    if (n == f.length) {
      int c = n * 2;
      metric = Arrays.copyOf(metric, c);
      f = Arrays.copyOf(f, c);
      h = Arrays.copyOf(h, c);
      drop = Arrays.copyOf(drop, c);
      t = Arrays.copyOf(t, c);
      src = Arrays.copyOf(src, c);
    }
    metric[n] = m;
    f[n] = v;
    h[n] = hist;
    drop[n] = dropName;
    t[n] = time;
    src[n] = source;
    return n++;
  }

  void copyFrom(StepVector o, int i) {
    add(o.metric[i], o.f[i], o.h[i], o.drop[i], o.t[i], o.src[i]);
  }

  /** The cost of the elements against the sample limit, see {@link EvalSeries#sampleCost}. */
  long sampleCost() {
    long c = 0;
    for (int i = 0; i < n; i++) {
      c += h[i] == null ? 1 : EvalSeries.sampleCost(h[i]);
    }
    return c;
  }

  /** Swaps elements i and j (used by sorting functions and heaps). */
  void swap(int i, int j) {
    Labels m = metric[i];
    metric[i] = metric[j];
    metric[j] = m;
    double v = f[i];
    f[i] = f[j];
    f[j] = v;
    FloatHistogram hh = h[i];
    h[i] = h[j];
    h[j] = hh;
    boolean d = drop[i];
    drop[i] = drop[j];
    drop[j] = d;
    long tt = t[i];
    t[i] = t[j];
    t[j] = tt;
    int s = src[i];
    src[i] = src[j];
    src[j] = s;
  }
}
