package dev.tsdb.promql.engine;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.CounterResets;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.HistogramArithmetic;
import dev.tsdb.index.histogram.HistogramCombination;
import dev.tsdb.index.histogram.HistogramLayout;
import dev.tsdb.index.histogram.IncompatibleHistogramsException;
import dev.tsdb.promql.ast.PosRange;
import dev.tsdb.promql.engine.HistogramRangeFunctions.Split;
import dev.tsdb.promql.engine.RangeFunctions.Window;

/**
 * rate, increase and delta over windows of native histograms: the difference between the last
 * and the first histogram, corrected for counter resets (each histogram before a reset added
 * back), then extrapolated like the float rate (plain ranges) or taken between the histograms
 * picked or interpolated at the range boundaries (anchored and smoothed ranges). Results are
 * gauge histograms. Gauge-hinted inputs to rate/increase and counter inputs to delta are flagged
 * with Prometheus's "not a counter" / "not a gauge" warnings. Custom-bucket histograms whose
 * bounds differ are added and subtracted over the bounds they share, with Prometheus's
 * "reconciled" info.
 */
final class HistogramRates {
  private HistogramRates() {}

  private static boolean isGauge(FloatHistogram h) {
    return h.counterResetHint == CounterResetHint.GAUGE;
  }

  /**
   * {@code a - b}, custom bounds reconciled (then said in an info at {@code pos}); a counter
   * reset hint collision is not reported: the rates handle resets themselves.
   */
  static FloatHistogram sub(FloatHistogram a, FloatHistogram b, Annotations annos, PosRange pos) {
    return reported(HistogramCombination.sub(a, b), HistogramAnnotations.Operation.SUBTRACTION,
        annos, pos);
  }

  /** {@code a + b}, as {@link #sub}. */
  static FloatHistogram add(FloatHistogram a, FloatHistogram b, Annotations annos, PosRange pos) {
    return reported(HistogramCombination.add(a, b), HistogramAnnotations.Operation.ADDITION,
        annos, pos);
  }

  private static FloatHistogram reported(HistogramCombination c,
      HistogramAnnotations.Operation op, Annotations annos, PosRange pos) {
    if (c.customBoundsReconciled) {
      HistogramAnnotations.mismatchedCustomBuckets(annos, op, pos);
    }
    return c.histogram;
  }

  private static Annotations annotations(Window w) {
    return w.ev.ctx.annotations;
  }

  private static PosRange pos(Window w) {
    return w.call.args().get(0).pos();
  }

  // ---------------------------------------------------------------------------------------------
  // Plain ranges: extrapolated

  static double extrapolated(Window w, Split s, boolean isCounter, boolean isRate) {
    int n = s.nh;
    if (n < 2) {
      return RangeFunctions.NONE;
    }
    FloatHistogram increase = increase(w, s.hh, n, isCounter);
    if (increase == null) {
      return RangeFunctions.NONE;
    }
    long firstT = s.ht[0];
    long lastT = s.ht[n - 1];
    double durationToStart = (firstT - w.rangeStart) / 1000.0;
    double durationToEnd = (w.rangeEnd - lastT) / 1000.0;
    double sampledInterval = (lastT - firstT) / 1000.0;
    double averageDurationBetweenSamples = sampledInterval / (n - 1);
    double extrapolationThreshold = averageDurationBetweenSamples * 1.1;
    if (durationToStart >= extrapolationThreshold) {
      durationToStart = averageDurationBetweenSamples / 2;
    }
    if (isCounter) {
      // Where the count would have reached zero, extrapolating backwards: no further.
      double firstCount = s.hh[0].count;
      if (increase.count > 0 && firstCount >= 0) {
        durationToStart = Math.min(durationToStart,
            sampledInterval * (firstCount / increase.count));
      }
    }
    if (durationToEnd >= extrapolationThreshold) {
      durationToEnd = averageDurationBetweenSamples / 2;
    }
    double factor = 1;
    if (sampledInterval != 0) {
      factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
    }
    if (isRate) {
      factor /= w.rangeMs / 1000.0;
    }
    return HistogramRangeFunctions.result(w, HistogramArithmetic.mul(increase, factor));
  }

  /**
   * The last histogram minus the first, plus (for counters) every histogram that preceded a
   * reset; null when the window cannot be combined (a warning then says why). Annotations found
   * before such a failure are dropped with it, as Prometheus does.
   */
  private static FloatHistogram increase(Window w, FloatHistogram[] hh, int n,
      boolean isCounter) {
    FloatHistogram prev = hh[0];
    FloatHistogram last = hh[n - 1];
    boolean custom = prev.usesCustomBuckets();
    boolean notCounter = isCounter && (isGauge(prev) || isGauge(last));
    if (isCounter && CounterResets.detect(prev, hh[1])) {
      // The first histogram does not count: its layout may even be incompatible.
      FloatHistogram second = hh[1];
      prev = new FloatHistogram();
      prev.schema = second.schema;
      prev.customValues = second.customValues;
      custom = second.usesCustomBuckets();
    }
    if (last.usesCustomBuckets() != custom) {
      if (notCounter) {
        HistogramRangeFunctions.notCounter(w);
      }
      HistogramRangeFunctions.mixedExponentialCustom(w);
      return null;
    }
    int minSchema = Math.min(last.schema, prev.schema);
    for (int i = 1; i < n - 1 && isCounter; i++) {
      FloatHistogram cur = hh[i];
      notCounter |= isGauge(cur);
      minSchema = Math.min(minSchema, cur.schema);
      if (cur.usesCustomBuckets() != custom) {
        HistogramRangeFunctions.mixedExponentialCustom(w);
        return null;
      }
    }
    if (notCounter) {
      HistogramRangeFunctions.notCounter(w);
    }
    FloatHistogram h = custom || last.schema == minSchema ? last
        : HistogramLayout.reduceResolution(last, minSchema);
    try {
      h = sub(h, prev, annotations(w), pos(w));
      if (isCounter) {
        for (int i = 1; i < n; i++) {
          FloatHistogram cur = hh[i];
          if (CounterResets.detect(prev, cur)) {
            h = add(h, prev, annotations(w), pos(w));
          }
          prev = cur;
        }
      }
    } catch (IncompatibleHistogramsException e) {
      return HistogramRangeFunctions.incompatible(w, e);
    }
    if (!isCounter && (!isGauge(hh[0]) || !isGauge(last))) {
      HistogramRangeFunctions.notGauge(w);
    }
    h = HistogramRangeFunctions.gauge(h);
    return HistogramLayout.compact(h);
  }

  // ---------------------------------------------------------------------------------------------
  // Anchored and smoothed ranges

  static double extended(Window w, Split s, boolean isCounter, boolean isRate) {
    long[] t = s.ht;
    FloatHistogram[] hh = s.hh;
    int last = s.nh - 1;
    int first = Math.max(0, RangeFunctions.searchAfter(t, 0, last, w.rangeStart) - 1);
    if (w.smoothed) {
      last = RangeFunctions.searchAtOrAfter(t, 0, last, w.rangeEnd);
    }
    if (t[last] <= w.rangeStart) {
      return RangeFunctions.NONE; // only data before the range
    }
    if (w.smoothed && t[first] > w.rangeEnd) {
      return RangeFunctions.NONE; // only data after the range
    }
    boolean custom = hh[first].usesCustomBuckets();
    for (int i = first; i <= last; i++) {
      if (hh[i].usesCustomBuckets() != custom) {
        HistogramRangeFunctions.mixedExponentialCustom(w);
        return RangeFunctions.NONE;
      }
      if (isCounter && isGauge(hh[i])) {
        HistogramRangeFunctions.notCounter(w);
      }
    }
    try {
      Annotations annos = annotations(w);
      PosRange pos = pos(w);
      FloatHistogram left = hh[first];
      if (w.smoothed && t[first] < w.rangeStart) {
        left = interpolate(t[first], hh[first], t[first + 1], hh[first + 1], w.rangeStart,
            isCounter, annos, pos);
      }
      FloatHistogram right = hh[last];
      if (w.smoothed && last > 0 && t[last] > w.rangeEnd) {
        right = interpolate(t[last - 1], hh[last - 1], t[last], hh[last], w.rangeEnd, isCounter,
            annos, pos);
      }
      if (!isCounter && (!isGauge(left) || !isGauge(right))) {
        HistogramRangeFunctions.notGauge(w);
      }
      FloatHistogram result = sub(right, left, annos, pos);
      if (isCounter) {
        FloatHistogram correction = resetCorrection(w, t, hh, first, last, left, right);
        if (correction != null) {
          result = add(result, correction, annos, pos);
        }
      }
      if (isRate) {
        result = HistogramArithmetic.div(result, w.rangeMs / 1000.0);
      }
      result = HistogramRangeFunctions.gauge(result);
      return HistogramRangeFunctions.result(w, HistogramLayout.compact(result));
    } catch (IncompatibleHistogramsException e) {
      return HistogramRangeFunctions.result(w, HistogramRangeFunctions.incompatible(w, e));
    }
  }

  /**
   * The sum of the histograms that preceded a counter reset between the boundary values
   * {@code left} (standing for sample {@code first}) and {@code right} (for {@code last}), or
   * null when there was none. A reset the left interpolation already spanned is not counted
   * again.
   */
  private static FloatHistogram resetCorrection(Window w, long[] t, FloatHistogram[] hh,
      int first, int last, FloatHistogram left, FloatHistogram right) {
    int from = first + 1;
    FloatHistogram prev = left;
    if (w.smoothed && t[first] < w.rangeStart && CounterResets.detect(hh[first], hh[first + 1])) {
      prev = hh[first + 1];
      from++;
    }
    // The last sample is right itself (or what right was interpolated towards): compared last.
    int to = last - 1;
    if (from > to + 1) {
      return null;
    }
    Annotations annos = annotations(w);
    PosRange pos = pos(w);
    FloatHistogram correction = null;
    for (int i = from; i <= to; i++) {
      if (CounterResets.detect(prev, hh[i])) {
        correction = correction == null ? prev : add(correction, prev, annos, pos);
      }
      prev = hh[i];
    }
    if (CounterResets.detect(prev, right)) {
      correction = correction == null ? prev : add(correction, prev, annos, pos);
    }
    return correction;
  }

  /**
   * The histogram at {@code t} on the straight line between {@code h1} at {@code t1} and
   * {@code h2} at {@code t2}; for a counter with a reset in between, the line from zero to
   * {@code h2}. Reconciled custom bounds are reported in {@code annos} at {@code pos}.
   */
  static FloatHistogram interpolate(long t1, FloatHistogram h1, long t2, FloatHistogram h2, long t,
      boolean isCounter, Annotations annos, PosRange pos) {
    if (t == t1) {
      return h1;
    }
    if (t == t2) {
      return h2;
    }
    double fraction = (double) (t - t1) / (double) (t2 - t1);
    if (isCounter && CounterResets.detect(h1, h2)) {
      return HistogramArithmetic.mul(h2, fraction);
    }
    FloatHistogram diff = sub(h2, h1, annos, pos);
    return add(HistogramArithmetic.mul(diff, fraction), h1, annos, pos);
  }
}
