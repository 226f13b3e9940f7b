package dev.tsdb.promql.engine;

import dev.tsdb.index.histogram.Buckets;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.CounterResets;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.HistogramArithmetic;
import dev.tsdb.index.histogram.HistogramKahanSum;
import dev.tsdb.index.histogram.HistogramLayout;
import dev.tsdb.index.histogram.IncompatibleHistogramsException;
import dev.tsdb.promql.engine.RangeFunctions.Fn;
import dev.tsdb.promql.engine.RangeFunctions.Window;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The range-vector functions for series that hold native histograms, as Prometheus defines them:
 * the float-only functions see the window's floats and give an info when histograms were left
 * out; rate/increase/delta, irate/idelta and sum/avg_over_time compute histograms (a mix of both
 * kinds in a window gives a warning and no value); changes/resets compare neighbours of either
 * kind. A function returns a histogram through {@link Window#outH}.
 *
 * <p>Series without histograms never come here: {@link RangeFunctions} keeps its float path.
 */
final class HistogramRangeFunctions {
  private HistogramRangeFunctions() {}

  private static final Map<String, Fn> FNS = new HashMap<>();

  static {
    FNS.put("rate", w -> rate(w, true, true));
    FNS.put("increase", w -> rate(w, true, false));
    FNS.put("delta", w -> rate(w, false, false));
    FNS.put("irate", w -> instantValue(w, true));
    FNS.put("idelta", w -> instantValue(w, false));
    FNS.put("sum_over_time", w -> sumOrAvg(w, false));
    FNS.put("avg_over_time", w -> sumOrAvg(w, true));
    FNS.put("last_over_time", w -> pick(w, w.hi - 1));
    FNS.put("first_over_time", w -> pick(w, w.lo));
    FNS.put("changes", w -> compareNeighbours(w, false));
    FNS.put("resets", w -> compareNeighbours(w, true));
  }

  /**
   * The function {@code name} for a series holding histograms: its own histogram-aware variant,
   * or {@code floatFn} over the window's floats (for the functions that count samples or read
   * timestamps, {@code floatFn} itself, which reads no values).
   */
  static Fn forName(String name, Fn floatFn) {
    Fn fn = FNS.get(name);
    if (fn != null) {
      return fn;
    }
    switch (name) {
      case "count_over_time", "present_over_time", "absent_over_time", "ts_of_last_over_time",
          "ts_of_first_over_time":
        return floatFn;
      case "double_exponential_smoothing", "holt_winters":
        // Its factors are checked even when the window holds no floats.
        return w -> floatsOnly(w, floatFn, true);
      default:
        return w -> floatsOnly(w, floatFn, false);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Splitting a window into its floats and its histograms

  /** The floats and the histograms of one window, in reusable arrays. */
  static final class Split {
    long[] ft = new long[16];
    double[] fv = new double[16];
    int nf;
    long[] ht = new long[16];
    FloatHistogram[] hh = new FloatHistogram[16];
    int nh;
    /** A window over the floats alone, with the step context of the split window. */
    final Window floats = new Window();
  }

  static Split split(Window w) {
    Split s = w.split;
    if (s == null) {
      s = new Split();
      w.split = s;
    }
    int n = w.count();
    if (s.ft.length < n) {
      s.ft = new long[n];
      s.fv = new double[n];
      s.ht = new long[n];
      s.hh = new FloatHistogram[n];
    }
    Arrays.fill(s.hh, 0, s.nh, null);
    s.nf = 0;
    s.nh = 0;
    for (int i = w.lo; i < w.hi; i++) {
      FloatHistogram h = w.h[i];
      if (h == null) {
        s.ft[s.nf] = w.t[i];
        s.fv[s.nf++] = w.v[i];
      } else {
        s.ht[s.nh] = w.t[i];
        s.hh[s.nh++] = h;
      }
    }
    Window f = s.floats;
    f.stepContextFrom(w);
    f.t = s.ft;
    f.v = s.fv;
    f.lo = 0;
    f.hi = s.nf;
    return s;
  }

  // ---------------------------------------------------------------------------------------------
  // Annotations

  private static Annotations annotations(Window w) {
    return w.ev.ctx.annotations;
  }

  private static dev.tsdb.promql.ast.PosRange pos(Window w) {
    return w.call.args().get(0).pos();
  }

  private static String metricName(Window w) {
    return w.metric.metricName();
  }

  static void mixedFloatsHistograms(Window w) {
    HistogramAnnotations.mixedFloatsHistograms(annotations(w), metricName(w), pos(w));
  }

  static void mixedExponentialCustom(Window w) {
    HistogramAnnotations.mixedExponentialCustom(annotations(w), metricName(w), pos(w));
  }

  static void notCounter(Window w) {
    HistogramAnnotations.notCounter(annotations(w), metricName(w), pos(w));
  }

  static void notGauge(Window w) {
    HistogramAnnotations.notGauge(annotations(w), metricName(w), pos(w));
  }

  /** Reports an addition or subtraction that could not be done; always null. */
  static FloatHistogram incompatible(Window w, IncompatibleHistogramsException e) {
    if (IncompatibleHistogramsException.MIXED_SCHEMAS.equals(e.getMessage())) {
      mixedExponentialCustom(w);
    }
    return null;
  }

  static double result(Window w, FloatHistogram h) {
    if (h == null) {
      return RangeFunctions.NONE;
    }
    w.outH = h;
    return 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Functions over floats only

  private static double floatsOnly(Window w, Fn floatFn, boolean evenWithoutFloats) {
    Split s = split(w);
    if (s.nf == 0 && !evenWithoutFloats) {
      return RangeFunctions.NONE;
    }
    double r = floatFn.apply(s.floats);
    if (s.nf > 0 && s.nh > 0) {
      HistogramAnnotations.ignoredInMixedRange(annotations(w), metricName(w), pos(w));
    }
    return r;
  }

  // ---------------------------------------------------------------------------------------------
  // last_over_time, first_over_time, changes, resets

  private static double pick(Window w, int i) {
    FloatHistogram h = w.h[i];
    if (h == null) {
      return w.v[i];
    }
    w.outH = h;
    return 0;
  }

  private static double compareNeighbours(Window w, boolean resets) {
    int first = RangeFunctions.firstSampleIndex(w);
    if (first < 0) {
      return RangeFunctions.NONE;
    }
    int n = 0;
    for (int i = first + 1; i < w.hi; i++) {
      FloatHistogram prev = w.h[i - 1];
      FloatHistogram cur = w.h[i];
      boolean counts;
      if (prev == null && cur == null) {
        double p = w.v[i - 1];
        double c = w.v[i];
        counts = resets ? c < p : c != p && !(Double.isNaN(c) && Double.isNaN(p));
      } else if (prev == null || cur == null) {
        counts = true; // a change of kind is both a change and a reset
      } else {
        counts = resets ? CounterResets.detect(prev, cur) : !sameHistogram(prev, cur);
      }
      if (counts) {
        n++;
      }
    }
    return n;
  }

  /**
   * Prometheus's Equals: the same layout (bucket indexes, empty buckets included) and the same
   * counts bit for bit; the counter reset hint does not matter.
   */
  static boolean sameHistogram(FloatHistogram a, FloatHistogram b) {
    return a.schema == b.schema
        && Double.doubleToLongBits(a.zeroThreshold) == Double.doubleToLongBits(b.zeroThreshold)
        && Double.doubleToLongBits(a.zeroCount) == Double.doubleToLongBits(b.zeroCount)
        && Double.doubleToLongBits(a.count) == Double.doubleToLongBits(b.count)
        && Double.doubleToLongBits(a.sum) == Double.doubleToLongBits(b.sum)
        && (!a.usesCustomBuckets() || Arrays.equals(a.customValues, b.customValues))
        && Arrays.equals(a.positiveBuckets, b.positiveBuckets)
        && Arrays.equals(a.negativeBuckets, b.negativeBuckets)
        && Arrays.equals(Buckets.indexes(a.positiveSpans, a.positiveBuckets.length),
            Buckets.indexes(b.positiveSpans, b.positiveBuckets.length))
        && Arrays.equals(Buckets.indexes(a.negativeSpans, a.negativeBuckets.length),
            Buckets.indexes(b.negativeSpans, b.negativeBuckets.length));
  }

  // ---------------------------------------------------------------------------------------------
  // sum_over_time, avg_over_time

  private static double sumOrAvg(Window w, boolean avg) {
    Split s = split(w);
    if (s.nf > 0 && s.nh > 0) {
      mixedFloatsHistograms(w);
      return RangeFunctions.NONE;
    }
    if (s.nh == 0) {
      return avg ? RangeFunctions.avgOverTime(s.floats) : RangeFunctions.sumOverTime(s.floats);
    }
    boolean resetSeen = false;
    boolean notResetSeen = false;
    for (int i = 0; i < s.nh; i++) {
      CounterResetHint hint = s.hh[i].counterResetHint;
      resetSeen |= hint == CounterResetHint.COUNTER_RESET;
      notResetSeen |= hint == CounterResetHint.NOT_COUNTER_RESET;
    }
    Aggregate r;
    try {
      r = avg ? histogramMean(s.hh, s.nh) : histogramSum(s.hh, s.nh);
    } catch (IncompatibleHistogramsException e) {
      return result(w, incompatible(w, e));
    }
    if (resetSeen && notResetSeen) {
      HistogramAnnotations.counterResetCollision(annotations(w),
          HistogramAnnotations.Operation.AGGREGATION, pos(w));
    }
    if (r.customBoundsReconciled) {
      HistogramAnnotations.mismatchedCustomBuckets(annotations(w),
          HistogramAnnotations.Operation.AGGREGATION, pos(w));
    }
    return result(w, r.histogram);
  }

  /** A sum or mean over a window, and whether custom bounds had to be reconciled on the way. */
  record Aggregate(FloatHistogram histogram, boolean customBoundsReconciled) {}

  static Aggregate histogramSum(FloatHistogram[] hs, int n) {
    HistogramKahanSum sum = HistogramKahanSum.of(hs[0]);
    boolean reconciled = false;
    for (int i = 1; i < n; i++) {
      reconciled |= sum.add(hs[i]);
    }
    return new Aggregate(sum.result(), reconciled);
  }

  /**
   * The mean as avg_over_time computes it: a compensated sum divided by the count, or, once the
   * sum would overflow, an incremental mean (each histogram divided by the running count).
   */
  static Aggregate histogramMean(FloatHistogram[] hs, int n) {
    HistogramKahanSum sum = HistogramKahanSum.of(hs[0]);
    boolean reconciled = false;
    boolean incremental = false;
    for (int i = 1; i < n; i++) {
      double count = i + 1;
      if (!incremental) {
        HistogramKahanSum trial = sum.copy();
        // Reconciled bounds count even when this trial is dropped for the incremental mean:
        // the same bounds are reconciled there again.
        reconciled |= trial.add(hs[i]);
        if (!trial.hasOverflow()) {
          sum = trial;
          continue;
        }
        incremental = true;
        sum.div(count - 1);
      }
      sum.mul((count - 1) / count);
      reconciled |= sum.add(HistogramArithmetic.div(hs[i], count));
    }
    if (!incremental) {
      sum.div(n);
    }
    return new Aggregate(sum.result(), reconciled);
  }

  // ---------------------------------------------------------------------------------------------
  // irate, idelta

  private static double instantValue(Window w, boolean isRate) {
    if (w.count() < 2) {
      return RangeFunctions.NONE;
    }
    int i1 = w.hi - 1;
    int i0 = w.hi - 2;
    FloatHistogram h1 = w.h[i1];
    FloatHistogram h0 = w.h[i0];
    if (h1 == null && h0 == null) {
      return RangeFunctions.instantValue(w, isRate);
    }
    long sampledInterval = w.t[i1] - w.t[i0];
    if (sampledInterval == 0) {
      return RangeFunctions.NONE;
    }
    if (h1 == null || h0 == null) {
      mixedFloatsHistograms(w);
      return RangeFunctions.NONE;
    }
    boolean gauge1 = h1.counterResetHint == CounterResetHint.GAUGE;
    boolean gauge0 = h0.counterResetHint == CounterResetHint.GAUGE;
    if (isRate && (gauge1 || gauge0)) {
      notCounter(w);
    }
    if (!isRate && (!gauge1 || !gauge0)) {
      notGauge(w);
    }
    FloatHistogram r = h1;
    if (!isRate || !CounterResets.detect(h0, h1)) {
      try {
        r = HistogramRates.sub(h1, h0, annotations(w), pos(w));
      } catch (IncompatibleHistogramsException e) {
        return result(w, incompatible(w, e));
      }
    }
    if (isRate) {
      r = HistogramArithmetic.div(r, sampledInterval / 1000.0);
    }
    r = gauge(r);
    return result(w, HistogramLayout.compact(r));
  }

  /** {@code h} marked as a gauge; a copy unless it already is one. */
  static FloatHistogram gauge(FloatHistogram h) {
    if (h.counterResetHint == CounterResetHint.GAUGE) {
      return h;
    }
    FloatHistogram g = h.copy();
    g.counterResetHint = CounterResetHint.GAUGE;
    return g;
  }

  // ---------------------------------------------------------------------------------------------
  // rate, increase, delta

  private static double rate(Window w, boolean isCounter, boolean isRate) {
    Split s = split(w);
    if (s.nf > 0 && s.nh > 0) {
      mixedFloatsHistograms(w);
      return RangeFunctions.NONE;
    }
    boolean extended = w.anchored || w.smoothed;
    if (s.nh == 0) {
      return extended ? RangeFunctions.extendedRate(s.floats, isCounter, isRate)
          : RangeFunctions.extrapolatedRate(s.floats, isCounter, isRate);
    }
    return extended ? HistogramRates.extended(w, s, isCounter, isRate)
        : HistogramRates.extrapolated(w, s, isCounter, isRate);
  }
}
