package dev.tsdb.promql.engine;

import dev.tsdb.index.labels.Labels;
import java.util.Arrays;

/**
 * One series of an intermediate result: float points in time order held in two primitive arrays.
 * {@code dropName} marks series whose {@code __name__} is to be removed at the end of evaluation
 * (delayed name removal).
 */
final class EvalSeries {
  Labels metric;
  long[] ts;
  double[] vs;
  int n;
  boolean dropName;

  EvalSeries(Labels metric, int capacity) {
    this.metric = metric;
    this.ts = new long[Math.max(1, capacity)];
    this.vs = new double[Math.max(1, capacity)];
  }

  EvalSeries(Labels metric, long[] ts, double[] vs, int n) {
    this.metric = metric;
    this.ts = ts;
    this.vs = vs;
    this.n = n;
  }

  void add(long t, double v) {
    if (n == ts.length) {
      int cap = Math.max(4, n * 2);
      ts = Arrays.copyOf(ts, cap);
      vs = Arrays.copyOf(vs, cap);
    }
    ts[n] = t;
    vs[n] = v;
    n++;
  }

  /** Index of the point at exactly {@code t}, or -1. Points are sorted by time. */
  int indexOf(long t) {
    int i = Arrays.binarySearch(ts, 0, n, t);
    return i >= 0 ? i : -1;
  }
}
