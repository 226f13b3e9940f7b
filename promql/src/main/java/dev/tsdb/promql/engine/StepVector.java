package dev.tsdb.promql.engine;

import dev.tsdb.index.labels.Labels;
import java.util.Arrays;

/**
 * An instant vector at one evaluation step, as parallel arrays so that functions, operators and
 * aggregations work without allocating a sample object per element. {@code src} is the index of
 * the input series an element came from (used for join signatures); {@code t} the timestamp of
 * the underlying sample (only meaningful for {@code timestamp()}).
 */
final class StepVector {
  Labels[] metric;
  double[] f;
  boolean[] drop;
  long[] t;
  int[] src;
  int n;

  StepVector(int capacity) {
    int c = Math.max(4, capacity);
    metric = new Labels[c];
    f = new double[c];
    drop = new boolean[c];
    t = new long[c];
    src = new int[c];
  }

  void clear() {
    Arrays.fill(metric, 0, n, null);
    n = 0;
  }

  int add(Labels m, double v, boolean dropName) {
    return add(m, v, dropName, 0, -1);
  }

  int add(Labels m, double v, boolean dropName, long time, int source) {
    if (n == f.length) {
      int c = n * 2;
      metric = Arrays.copyOf(metric, c);
      f = Arrays.copyOf(f, c);
      drop = Arrays.copyOf(drop, c);
      t = Arrays.copyOf(t, c);
      src = Arrays.copyOf(src, c);
    }
    metric[n] = m;
    f[n] = v;
    drop[n] = dropName;
    t[n] = time;
    src[n] = source;
    return n++;
  }

  void copyFrom(StepVector o, int i) {
    add(o.metric[i], o.f[i], o.drop[i], o.t[i], o.src[i]);
  }

  /** Swaps elements i and j (used by sorting functions and heaps). */
  void swap(int i, int j) {
    Labels m = metric[i];
    metric[i] = metric[j];
    metric[j] = m;
    double v = f[i];
    f[i] = f[j];
    f[j] = v;
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
