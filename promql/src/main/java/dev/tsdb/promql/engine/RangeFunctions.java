package dev.tsdb.promql.engine;

import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.gocompat.KahanSum;
import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.ast.AtMode;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.MatrixSelector;
import dev.tsdb.promql.ast.SubqueryExpr;
import dev.tsdb.promql.ast.VectorSelector;
import dev.tsdb.index.storage.Series;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Functions over range vectors. Each input series is loaded once into primitive arrays; for every
 * step the window {@code (ref - range, ref]} is a pair of indexes that only move forward, and the
 * function reads the window in place. Nothing is allocated per step.
 */
final class RangeFunctions {
  private RangeFunctions() {}

  private static final long NONE_BITS = 0x7ffdead00000beefL;
  /** Returned by a function that produces no value for a window. */
  static final double NONE = Double.longBitsToDouble(NONE_BITS);

  static boolean isNone(double v) {
    return Double.doubleToRawLongBits(v) == NONE_BITS;
  }

  /** The samples a function sees at one step, plus the step's context. */
  static final class Window {
    long[] t;
    double[] v;
    /**
     * The histograms parallel to t/v (null where the sample is a float); null for a series
     * without histograms, which then only meets the float functions.
     */
    FloatHistogram[] h;
    /** Set by a function whose value at this step is a histogram (its return value is unused). */
    FloatHistogram outH;
    /** Reusable arrays of the histogram functions (see HistogramRangeFunctions.split). */
    HistogramRangeFunctions.Split split;
    int lo;
    int hi;
    long stepTs;
    long rangeStart;
    long rangeEnd;
    long rangeMs;
    double p0;
    double p1;
    Labels metric;
    Evaluator ev;
    Call call;
    boolean anchored;
    boolean smoothed;
    /**
     * For rate and increase: resetsUpTo[i] is the number of counter resets (a value below its
     * predecessor) among samples 1..i of the loaded series, so a window without resets is known
     * in O(1) and not scanned; null when not computed.
     */
    int[] resetsUpTo;
    double[] scratch = new double[16];

    int count() {
      return hi - lo;
    }

    /**
     * Takes everything but the samples from {@code w}: its step, range, parameters and query
     * context (no reset counts, they belong to w's samples).
     */
    void stepContextFrom(Window w) {
      stepTs = w.stepTs;
      rangeStart = w.rangeStart;
      rangeEnd = w.rangeEnd;
      rangeMs = w.rangeMs;
      p0 = w.p0;
      p1 = w.p1;
      metric = w.metric;
      ev = w.ev;
      call = w.call;
      anchored = w.anchored;
      smoothed = w.smoothed;
      resetsUpTo = null;
      scratch = w.scratch;
    }

    double[] scratch(int n) {
      if (scratch.length < n) {
        scratch = new double[Math.max(n, scratch.length * 2)];
      }
      return scratch;
    }
  }

  interface Fn {
    double apply(Window w);
  }

  private static final Map<String, Fn> FNS = new HashMap<>();
  /** Functions that keep the metric name (they act like an offset). */
  private static final Set<String> KEEP_NAME = Set.of("last_over_time", "first_over_time");
  /** Functions that accept the anchored / smoothed range modifiers. */
  private static final Set<String> ANCHORED_SAFE = Set.of("resets", "changes", "rate",
      "increase", "delta");
  private static final Set<String> SMOOTHED_SAFE = Set.of("rate", "increase", "delta");

  static {
    FNS.put("rate", w -> w.anchored || w.smoothed ? extendedRate(w, true, true)
        : extrapolatedRate(w, true, true));
    FNS.put("increase", w -> w.anchored || w.smoothed ? extendedRate(w, true, false)
        : extrapolatedRate(w, true, false));
    FNS.put("delta", w -> w.anchored || w.smoothed ? extendedRate(w, false, false)
        : extrapolatedRate(w, false, false));
    FNS.put("irate", w -> instantValue(w, true));
    FNS.put("idelta", w -> instantValue(w, false));
    FNS.put("deriv", RangeFunctions::deriv);
    FNS.put("predict_linear", RangeFunctions::predictLinear);
    FNS.put("double_exponential_smoothing", RangeFunctions::doubleExponentialSmoothing);
    FNS.put("holt_winters", RangeFunctions::doubleExponentialSmoothing);
    FNS.put("avg_over_time", RangeFunctions::avgOverTime);
    FNS.put("sum_over_time", RangeFunctions::sumOverTime);
    FNS.put("count_over_time", w -> w.count());
    FNS.put("min_over_time", w -> compareOverTime(w, false, false));
    FNS.put("max_over_time", w -> compareOverTime(w, true, false));
    FNS.put("ts_of_min_over_time", w -> compareOverTime(w, false, true));
    FNS.put("ts_of_max_over_time", w -> compareOverTime(w, true, true));
    FNS.put("stddev_over_time", w -> Math.sqrt(variance(w)));
    FNS.put("stdvar_over_time", RangeFunctions::variance);
    FNS.put("quantile_over_time", RangeFunctions::quantileOverTime);
    FNS.put("mad_over_time", RangeFunctions::madOverTime);
    FNS.put("last_over_time", w -> w.v[w.hi - 1]);
    FNS.put("first_over_time", w -> w.v[w.lo]);
    FNS.put("ts_of_last_over_time", w -> w.t[w.hi - 1] / 1000.0);
    FNS.put("ts_of_first_over_time", w -> w.t[w.lo] / 1000.0);
    FNS.put("present_over_time", w -> 1);
    FNS.put("absent_over_time", w -> 1);
    FNS.put("changes", RangeFunctions::changes);
    FNS.put("resets", RangeFunctions::resets);
  }

  static List<EvalSeries> eval(Evaluator ev, Call c, int matrixArg) {
    String name = c.func().name();
    Fn fn = FNS.get(name);
    if (fn == null) {
      throw new PromQLException(ErrorType.EXECUTION,
          "function \"" + name + "\" is not supported over range vectors");
    }
    List<Expr> args = c.args();
    List<double[]> params = new ArrayList<>(2);
    for (int i = 0; i < args.size(); i++) {
      if (i != matrixArg) {
        params.add(ev.scalarValues(args.get(i)));
      }
    }
    Expr arg = Functions.unwrap(args.get(matrixArg));
    boolean dropName = !KEEP_NAME.contains(name);
    boolean delayed = ev.delayed();
    boolean counterCheck = name.equals("rate") || name.equals("increase");

    long rangeMs;
    long offset;
    AtMode atMode;
    long atMs;
    boolean anchored = false;
    boolean smoothed = false;
    List<Series> storageSeries = null;
    List<EvalSeries> subquerySeries = null;
    long subquerySamples = 0;
    if (arg instanceof MatrixSelector ms) {
      VectorSelector vs = ms.selector();
      rangeMs = ms.rangeMs();
      offset = vs.offsetMs();
      atMode = vs.atMode();
      atMs = vs.atMs();
      anchored = vs.anchored();
      smoothed = vs.smoothed();
      if (anchored && !ANCHORED_SAFE.contains(name)) {
        throw ev.error("anchored modifier can only be used with: changes, delta, increase, "
            + "rate, resets - not with " + name);
      }
      if (smoothed && !SMOOTHED_SAFE.contains(name)) {
        throw ev.error("smoothed modifier can only be used with: delta, increase, rate - not with "
            + name);
      }
      storageSeries = ev.ctx.series(vs);
    } else {
      SubqueryExpr sq = (SubqueryExpr) arg;
      rangeMs = sq.rangeMs();
      offset = sq.offsetMs();
      atMode = sq.atMode();
      atMs = sq.atMs();
      long before = ev.currentSamples;
      subquerySeries = ev.evalSubquery(sq);
      subquerySamples = Evaluator.totalSamples(subquerySeries);
      ev.currentSamples = before + subquerySamples;
      ev.ctx.samples.holding(ev.currentSamples);
      if (ev.currentSamples > ev.ctx.maxSamples) {
        throw QueryContext.tooManySamples();
      }
    }
    int nSeries = storageSeries != null ? storageSeries.size() : subquerySeries.size();
    List<EvalSeries> mat = new ArrayList<>(nSeries);
    Fn histogramFn = HistogramRangeFunctions.forName(name, fn);
    Window w = new Window();
    w.ev = ev;
    w.call = c;
    w.rangeMs = rangeMs;
    w.anchored = anchored;
    w.smoothed = smoothed;
    // Extended selectors also see the samples up to a lookback delta around the range.
    long extraBefore = anchored || smoothed ? ev.ctx.lookbackMs : 0;
    long extraAfter = smoothed ? ev.ctx.lookbackMs : 0;
    double[] p0 = params.size() > 0 ? params.get(0) : null;
    double[] p1 = params.size() > 1 ? params.get(1) : null;
    long minRef = ev.refTime(atMode, atMs, ev.start, offset);
    long maxRef = ev.refTime(atMode, atMs, ev.end, offset);
    int steps = ev.numSteps();
    SampleBuffer buf = ev.ctx.buffer;
    // Distinct inputs that agree on __name__, __type__ and __unit__ stay distinct when those
    // are dropped: then the duplicate check at the end is not needed.
    Labels firstMetric = null;
    boolean uniformMetadata = true;
    for (int si = 0; si < nSeries; si++) {
      ev.ctx.checkDone(Evaluator.ENV);
      Labels metric;
      boolean inputDropsName = false;
      if (storageSeries != null) {
        Series s = storageSeries.get(si);
        metric = s.labels();
        buf.load(s, minRef - rangeMs - extraBefore + 1, maxRef + extraAfter, true);
        w.t = buf.t;
        w.v = buf.v;
        w.h = buf.h;
        w.hi = buf.n;
      } else {
        EvalSeries s = subquerySeries.get(si);
        metric = s.metric;
        // A name-dropping function inside the subquery is respected even by functions that
        // otherwise keep the name (last_over_time(abs(x)[5m:]) has no name).
        inputDropsName = s.dropName;
        if (s.hs != null) {
          forgetCounterResetHints(s);
        }
        w.t = s.ts;
        w.v = s.vs;
        w.h = s.hasHistograms() ? s.hs : null;
        w.hi = s.n;
      }
      int total = w.hi;
      if (total == 0) {
        continue;
      }
      if (counterCheck && !anchored && !smoothed) {
        w.resetsUpTo = countResets(w.v, total, w.resetsUpTo);
      }
      w.metric = metric;
      // Only series that hold histograms pay for looking at them.
      Fn seriesFn = w.h == null ? fn : histogramFn;
      boolean floatOut = false;
      EvalSeries out = null;
      int lo = 0;
      int hi = 0;
      int step = 0;
      for (long ts = ev.start; ts <= ev.end; ts += ev.interval, step++) {
        long ref = ev.refTime(atMode, atMs, ts, offset);
        long mint = ref - rangeMs - extraBefore;
        long maxt = ref + extraAfter;
        while (hi < total && w.t[hi] <= maxt) {
          hi++;
        }
        while (lo < hi && w.t[lo] <= mint) {
          lo++;
        }
        if (lo >= hi) {
          continue;
        }
        long windowCost = w.h == null ? hi - lo : windowCost(w.h, lo, hi);
        ev.ctx.samples.read(windowCost);
        ev.ctx.samples.holding(ev.currentSamples + windowCost);
        if (ev.currentSamples + windowCost > ev.ctx.maxSamples) {
          throw QueryContext.tooManySamples();
        }
        w.lo = lo;
        w.hi = hi;
        w.stepTs = ts;
        w.rangeStart = ref - rangeMs;
        w.rangeEnd = ref;
        w.p0 = p0 != null ? p0[step] : Double.NaN;
        w.p1 = p1 != null ? p1[step] : Double.NaN;
        double r = seriesFn.apply(w);
        w.hi = total;
        FloatHistogram rh = w.outH;
        if (rh == null && isNone(r)) {
          continue;
        }
        if (out == null) {
          Labels m = (!delayed && dropName) ? LabelOps.dropMetadata(metric) : metric;
          out = new EvalSeries(m, Math.min(steps, 16));
          out.dropName = dropName || inputDropsName;
        }
        if (rh != null) {
          w.outH = null;
          out.addHistogram(ts, rh);
        } else {
          floatOut = true;
          out.add(ts, r);
        }
        // Prometheus holds the window and this series' points so far at once.
        ev.ctx.samples.holding(ev.currentSamples + windowCost + out.sampleCost());
      }
      if (out != null) {
        ev.addSamples(out.sampleCost());
        mat.add(out);
        if (firstMetric == null) {
          firstMetric = metric;
        } else if (uniformMetadata && !LabelOps.sameMetadata(firstMetric, metric)) {
          uniformMetadata = false;
        }
        if (counterCheck && floatOut) {
          String metricName = metric.metricName();
          if (!metricName.isEmpty() && !metricName.endsWith("_total")
              && !metricName.endsWith("_sum") && !metricName.endsWith("_count")
              && !metricName.endsWith("_bucket")) {
            ev.ctx.annotations.info("metric might not be a counter, name does not end in "
                + "_total/_sum/_count/_bucket: " + GoStrings.quote(metricName), args.get(0).pos());
          }
        }
      }
    }
    ev.currentSamples -= subquerySamples;

    if (name.equals("absent_over_time")) {
      return absentOverTime(ev, mat, arg);
    }
    if (!delayed && !uniformMetadata && containsSameLabelset(mat)) {
      throw ev.error("vector cannot contain metrics with the same labelset");
    }
    return mat;
  }

  /** What the samples [lo, hi) cost against the sample limit (histograms by their size). */
  private static long windowCost(FloatHistogram[] h, int lo, int hi) {
    long cost = 0;
    for (int i = lo; i < hi; i++) {
      cost += EvalSeries.sampleCost(h[i]);
    }
    return cost;
  }

  /**
   * Makes the reset / not-reset hints of a subquery's histograms unknown, so that resets are
   * detected from the values: a subquery may skip the sample that carried a reset hint, or
   * repeat it at several steps (which would count one reset several times).
   */
  private static void forgetCounterResetHints(EvalSeries s) {
    for (int i = 0; i < s.n; i++) {
      FloatHistogram h = s.hs[i];
      if (h != null && (h.counterResetHint == CounterResetHint.COUNTER_RESET
          || h.counterResetHint == CounterResetHint.NOT_COUNTER_RESET)) {
        FloatHistogram unknown = h.copy();
        unknown.counterResetHint = CounterResetHint.UNKNOWN;
        s.hs[i] = unknown;
      }
    }
  }

  /** Running count of counter resets (see Window.resetsUpTo), reusing {@code buf} if it fits. */
  private static int[] countResets(double[] v, int n, int[] buf) {
    int[] out = buf != null && buf.length >= n ? buf : new int[Math.max(n, 256)];
    int resets = 0;
    out[0] = 0;
    for (int i = 1; i < n; i++) {
      if (v[i] < v[i - 1]) {
        resets++;
      }
      out[i] = resets;
    }
    return out;
  }

  private static boolean containsSameLabelset(List<EvalSeries> mat) {
    if (mat.size() <= 1) {
      return false;
    }
    Set<Labels> seen = new HashSet<>(mat.size() * 2);
    for (EvalSeries s : mat) {
      if (!seen.add(s.metric)) {
        return true;
      }
    }
    return false;
  }

  private static List<EvalSeries> absentOverTime(Evaluator ev, List<EvalSeries> mat, Expr arg) {
    int steps = ev.numSteps();
    for (EvalSeries s : mat) {
      if (s.n == steps) {
        return new ArrayList<>();
      }
    }
    Set<Long> found = new HashSet<>();
    for (int i = 0; i < mat.size(); i++) {
      EvalSeries s = mat.get(i);
      for (int j = 0; j < s.n; j++) {
        found.add(s.ts[j]);
      }
      if (i > 0 && found.size() == steps) {
        return new ArrayList<>();
      }
    }
    EvalSeries out = new EvalSeries(Functions.absentLabels(arg), Math.max(1, steps - found.size()));
    out.dropName = true;
    for (long ts = ev.start; ts <= ev.end; ts += ev.interval) {
      if (!found.contains(ts)) {
        out.add(ts, 1);
      }
    }
    List<EvalSeries> res = new ArrayList<>(1);
    res.add(out);
    return res;
  }

  // ---------------------------------------------------------------------------------------------

  /** Neumaier-improved Kahan summation step; returns the new sum, the compensation in c[0]. */
  static double kahanInc(double inc, double sum, double[] c) {
    return KahanSum.inc(inc, sum, c);
  }

  static double extrapolatedRate(Window w, boolean isCounter, boolean isRate) {
    int n = w.count();
    if (n < 2) {
      return NONE;
    }
    long[] t = w.t;
    double[] v = w.v;
    int first = w.lo;
    int last = w.hi - 1;
    double result = v[last] - v[first];
    if (isCounter && (w.resetsUpTo == null || w.resetsUpTo[last] != w.resetsUpTo[first])) {
      for (int i = first + 1; i <= last; i++) {
        if (v[i] < v[i - 1]) {
          result += v[i - 1];
        }
      }
    }
    double durationToStart = (t[first] - w.rangeStart) / 1000.0;
    double durationToEnd = (w.rangeEnd - t[last]) / 1000.0;
    double sampledInterval = (t[last] - t[first]) / 1000.0;
    double averageDurationBetweenSamples = sampledInterval / (n - 1);
    double extrapolationThreshold = averageDurationBetweenSamples * 1.1;
    if (durationToStart >= extrapolationThreshold) {
      durationToStart = averageDurationBetweenSamples / 2;
    }
    if (isCounter) {
      double durationToZero = durationToStart;
      if (result > 0 && v[first] >= 0) {
        durationToZero = sampledInterval * (v[first] / result);
      }
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    if (durationToEnd >= extrapolationThreshold) {
      durationToEnd = averageDurationBetweenSamples / 2;
    }
    double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
    if (isRate) {
      factor /= w.rangeMs / 1000.0;
    }
    return result * factor;
  }

  /** First index i in [from, to) with t[i] &gt; x (to if none). */
  static int searchAfter(long[] t, int from, int to, long x) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (t[mid] > x) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** First index i in [from, to) with t[i] &gt;= x (to if none). */
  static int searchAtOrAfter(long[] t, int from, int to, long x) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (t[mid] >= x) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  static double interpolate(long t1, double y1, long t2, double y2, long t, boolean isCounter) {
    if (isCounter && y2 < y1) {
      y1 = 0;
    }
    return y1 + (y2 - y1) * (double) (t - t1) / (double) (t2 - t1);
  }

  /**
   * rate/increase/delta over an anchored or smoothed range: the window holds samples up to a
   * lookback delta outside the range; the boundary values are picked (anchored) or interpolated
   * (smoothed) exactly at the range boundaries, without extrapolation.
   */
  static double extendedRate(Window w, boolean isCounter, boolean isRate) {
    long[] t = w.t;
    double[] v = w.v;
    int last = w.hi - 1;
    int first = Math.max(w.lo, searchAfter(t, w.lo, last, w.rangeStart) - 1);
    if (w.smoothed) {
      last = searchAtOrAfter(t, w.lo, last, w.rangeEnd);
    }
    if (t[last] <= w.rangeStart) {
      return NONE; // only data before the range
    }
    if (w.smoothed && t[w.lo] > w.rangeEnd) {
      return NONE; // only data after the range
    }
    double left = v[first];
    if (w.smoothed && t[first] < w.rangeStart) {
      left = interpolate(t[first], v[first], t[first + 1], v[first + 1], w.rangeStart, isCounter);
    }
    double right = v[last];
    if (w.smoothed && last > w.lo && t[last] > w.rangeEnd) {
      right = interpolate(t[last - 1], v[last - 1], t[last], v[last], w.rangeEnd, isCounter);
    }
    double result = right - left;
    if (isCounter) {
      if (t[first] <= w.rangeStart) {
        first++;
      }
      if (t[last] >= w.rangeEnd) {
        last--;
      }
      double correction = 0;
      double prev = left;
      for (int i = first; i <= last; i++) {
        if (v[i] < prev) {
          correction += prev;
        }
        prev = v[i];
      }
      if (right < prev) {
        correction += prev;
      }
      result += correction;
    }
    if (isRate) {
      result /= w.rangeMs / 1000.0;
    }
    return result;
  }

  /** Where changes/resets start: with anchored, the last sample at or before the range start. */
  static int firstSampleIndex(Window w) {
    if (!w.anchored) {
      return w.lo;
    }
    if (w.t[w.hi - 1] <= w.rangeStart) {
      return -1;
    }
    return Math.max(w.lo, searchAfter(w.t, w.lo, w.hi - 1, w.rangeStart) - 1);
  }

  static double instantValue(Window w, boolean isRate) {
    if (w.count() < 2) {
      return NONE;
    }
    int i1 = w.hi - 1;
    int i0 = w.hi - 2;
    long sampledInterval = w.t[i1] - w.t[i0];
    if (sampledInterval == 0) {
      return NONE;
    }
    double result = w.v[i1];
    if (!isRate || !(w.v[i1] < w.v[i0])) {
      result = w.v[i1] - w.v[i0];
    }
    if (isRate) {
      result /= sampledInterval / 1000.0;
    }
    return result;
  }

  /** Least-squares slope and intercept (at interceptTime) of the window, in out[0..1]. */
  static void linearRegression(Window w, long interceptTime, double[] out) {
    double n = 0;
    double sumX = 0;
    double sumY = 0;
    double sumXY = 0;
    double sumX2 = 0;
    double[] cX = {0};
    double[] cY = {0};
    double[] cXY = {0};
    double[] cX2 = {0};
    double initY = w.v[w.lo];
    boolean constY = true;
    for (int i = w.lo; i < w.hi; i++) {
      double y = w.v[i];
      if (constY && i > w.lo && y != initY) {
        constY = false;
      }
      n += 1.0;
      double x = (w.t[i] - interceptTime) / 1e3;
      sumX = kahanInc(x, sumX, cX);
      sumY = kahanInc(y, sumY, cY);
      sumXY = kahanInc(x * y, sumXY, cXY);
      sumX2 = kahanInc(x * x, sumX2, cX2);
    }
    if (constY) {
      if (Double.isInfinite(initY)) {
        out[0] = Double.NaN;
        out[1] = Double.NaN;
        return;
      }
      out[0] = 0;
      out[1] = initY;
      return;
    }
    sumX += cX[0];
    sumY += cY[0];
    sumXY += cXY[0];
    sumX2 += cX2[0];
    double covXY = sumXY - sumX * sumY / n;
    double varX = sumX2 - sumX * sumX / n;
    double slope = covXY / varX;
    out[0] = slope;
    out[1] = sumY / n - slope * sumX / n;
  }

  static double deriv(Window w) {
    if (w.count() < 2) {
      return NONE;
    }
    double[] r = new double[2];
    linearRegression(w, w.t[w.lo], r);
    return r[0];
  }

  static double predictLinear(Window w) {
    if (w.count() < 2) {
      return NONE;
    }
    double[] r = new double[2];
    linearRegression(w, w.stepTs, r);
    return r[0] * w.p0 + r[1];
  }

  static double doubleExponentialSmoothing(Window w) {
    double sf = w.p0;
    double tf = w.p1;
    if (sf <= 0 || sf >= 1 || Double.isNaN(sf)) {
      throw new PromQLException(ErrorType.EXECUTION, String.format(java.util.Locale.ROOT,
          "invalid smoothing factor. Expected: 0 < sf < 1, got: %f", sf));
    }
    if (tf <= 0 || tf >= 1 || Double.isNaN(tf)) {
      throw new PromQLException(ErrorType.EXECUTION, String.format(java.util.Locale.ROOT,
          "invalid trend factor. Expected: 0 < tf < 1, got: %f", tf));
    }
    int l = w.count();
    if (l < 2) {
      return NONE;
    }
    double[] v = w.v;
    int o = w.lo;
    double s0 = 0;
    double s1 = v[o];
    double b = v[o + 1] - v[o];
    for (int i = 1; i < l; i++) {
      double x = sf * v[o + i];
      // Trend at this point: the raw difference for the first step, then smoothed.
      if (i - 1 != 0) {
        b = tf * (s1 - s0) + (1 - tf) * b;
      }
      double y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  }

  static double avgOverTime(Window w) {
    double[] v = w.v;
    double sum = v[w.lo];
    double count = 1;
    double mean = 0;
    double[] c = {0};
    boolean incremental = false;
    for (int i = w.lo + 1; i < w.hi; i++) {
      double f = v[i];
      count = i - w.lo + 1;
      if (!incremental) {
        double[] c2 = {c[0]};
        double newSum = kahanInc(f, sum, c2);
        if (!Double.isInfinite(newSum)) {
          sum = newSum;
          c[0] = c2[0];
          continue;
        }
        incremental = true;
        mean = sum / (count - 1);
        c[0] /= (count - 1);
      }
      double q = (count - 1) / count;
      double[] c3 = {q * c[0]};
      mean = kahanInc(f / count, q * mean, c3);
      c[0] = c3[0];
    }
    if (incremental) {
      return mean + c[0];
    }
    return sum / count + c[0] / count;
  }

  static double sumOverTime(Window w) {
    double sum = 0;
    double[] c = {0};
    for (int i = w.lo; i < w.hi; i++) {
      sum = kahanInc(w.v[i], sum, c);
    }
    if (Double.isInfinite(sum)) {
      return sum;
    }
    return sum + c[0];
  }

  static double compareOverTime(Window w, boolean max, boolean returnTimestamp) {
    double best = w.v[w.lo];
    long bestTs = w.t[w.lo];
    for (int i = w.lo; i < w.hi; i++) {
      double cur = w.v[i];
      boolean take;
      if (returnTimestamp) {
        take = max ? (cur >= best || Double.isNaN(best)) : (cur <= best || Double.isNaN(best));
      } else {
        take = max ? (cur > best || Double.isNaN(best)) : (cur < best || Double.isNaN(best));
      }
      if (take) {
        best = cur;
        bestTs = w.t[i];
      }
    }
    return returnTimestamp ? bestTs / 1000.0 : best;
  }

  static double variance(Window w) {
    double count = 0;
    double mean = 0;
    double aux = 0;
    double[] cMean = {0};
    double[] cAux = {0};
    for (int i = w.lo; i < w.hi; i++) {
      double f = w.v[i];
      count++;
      double delta = f - (mean + cMean[0]);
      mean = kahanInc(delta / count, mean, cMean);
      aux = kahanInc(delta * (f - (mean + cMean[0])), aux, cAux);
    }
    return (aux + cAux[0]) / count;
  }

  static double quantileOverTime(Window w) {
    double q = w.p0;
    if (Double.isNaN(q) || q < 0 || q > 1) {
      w.ev.ctx.annotations.warn("quantile value should be between 0 and 1, got "
          + GoFloat.formatG(q), w.call.args().get(0).pos());
    }
    int n = w.count();
    double[] vals = w.scratch(n);
    System.arraycopy(w.v, w.lo, vals, 0, n);
    return Quantiles.quantile(q, vals, n);
  }

  static double madOverTime(Window w) {
    int n = w.count();
    for (int i = w.lo; i < w.hi; i++) {
      if (Double.isNaN(w.v[i])) {
        return Double.NaN; // a NaN sample makes the deviation undefined, not ignored
      }
    }
    double[] vals = w.scratch(n);
    System.arraycopy(w.v, w.lo, vals, 0, n);
    double median = Quantiles.quantile(0.5, vals, n);
    for (int i = 0; i < n; i++) {
      vals[i] = Math.abs(w.v[w.lo + i] - median);
    }
    return Quantiles.quantile(0.5, vals, n);
  }

  static double changes(Window w) {
    int first = firstSampleIndex(w);
    if (first < 0) {
      return NONE;
    }
    int changes = 0;
    for (int i = first + 1; i < w.hi; i++) {
      double prev = w.v[i - 1];
      double cur = w.v[i];
      if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) {
        changes++;
      }
    }
    return changes;
  }

  static double resets(Window w) {
    int first = firstSampleIndex(w);
    if (first < 0) {
      return NONE;
    }
    int resets = 0;
    for (int i = first + 1; i < w.hi; i++) {
      if (w.v[i] < w.v[i - 1]) {
        resets++;
      }
    }
    return resets;
  }
}
