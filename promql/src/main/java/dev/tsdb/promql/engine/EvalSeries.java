package dev.tsdb.promql.engine;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;
import java.util.Arrays;

/**
 * One series of an intermediate result: points in time order held in primitive arrays.
 * {@code hs} is null while every point is a float; once a native histogram is added it runs
 * parallel to {@code ts}, with {@code hs[i]} the histogram of point i or null where point i is a
 * float (then {@code vs[i]} holds it). Histograms held here are never mutated: operations that
 * change one work on a copy. {@code dropName} marks series whose {@code __name__} is to be removed
 * at the end of evaluation (delayed name removal).
 */
final class EvalSeries {
  Labels metric;
  long[] ts;
  double[] vs;
  FloatHistogram[] hs;
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

  EvalSeries(Labels metric, long[] ts, double[] vs, FloatHistogram[] hs, int n) {
    this(metric, ts, vs, n);
    this.hs = hs;
  }

  void add(long t, double v) {
    if (n == ts.length) {
      grow();
    }
    ts[n] = t;
    vs[n] = v;
    n++;
  }

  void addHistogram(long t, FloatHistogram h) {
    if (hs == null) {
      hs = new FloatHistogram[ts.length];
    }
    if (n == ts.length) {
      grow();
    }
    ts[n] = t;
    vs[n] = 0;
    hs[n] = h;
    n++;
  }

  /** Adds a float ({@code h} null) or histogram point. */
  void add(long t, double v, FloatHistogram h) {
    if (h == null) {
      add(t, v);
    } else {
      addHistogram(t, h);
    }
  }

  private void grow() {
    int cap = Math.max(4, n * 2);
    ts = Arrays.copyOf(ts, cap);
    vs = Arrays.copyOf(vs, cap);
    if (hs != null) {
      hs = Arrays.copyOf(hs, cap);
    }
  }

  /** The histogram of point i, or null when it is a float. */
  FloatHistogram h(int i) {
    return hs == null ? null : hs[i];
  }

  boolean hasHistograms() {
    if (hs != null) {
      for (int i = 0; i < n; i++) {
        if (hs[i] != null) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * What a point costs against {@code --query.max-samples}: 1 for a float, and for a histogram
   * its size in 16-byte units, as Prometheus counts it (its in-memory size as Go lays it out:
   * a 168-byte struct plus 8 bytes per span, bucket and custom bound).
   */
  static int sampleCost(FloatHistogram h) {
    if (h == null) {
      return 1;
    }
    int bytes = 168 + 4 * (h.positiveSpans.length + h.negativeSpans.length)
        + 8 * (h.positiveBuckets.length + h.negativeBuckets.length + h.customValues.length);
    return (bytes + 8) / 16;
  }

  /** The cost of all points, see {@link #sampleCost}. */
  long sampleCost() {
    if (hs == null) {
      return n;
    }
    long c = 0;
    for (int i = 0; i < n; i++) {
      c += sampleCost(hs[i]);
    }
    return c;
  }

  /** Index of the point at exactly {@code t}, or -1. Points are sorted by time. */
  int indexOf(long t) {
    int i = Arrays.binarySearch(ts, 0, n, t);
    return i >= 0 ? i : -1;
  }
}
