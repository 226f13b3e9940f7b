package dev.tsdb.promql.engine;

import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.HistogramQuantiles;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.Expr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * histogram_quantile, histogram_quantiles and histogram_fraction over classic and native
 * histograms. Float series are grouped by their labels without {@code le}, each group's buckets
 * fed to {@link Quantiles}; native histograms go to the model's {@link HistogramQuantiles}. Where
 * a native histogram has the same labels as a classic histogram's buckets at one step, neither
 * is evaluated (with a warning), as in Prometheus. Results list the native histograms first.
 */
final class HistogramFunctions {
  private HistogramFunctions() {}

  /** One classic histogram at one step. */
  private static final class Group {
    final Labels metric;
    final Quantiles.Buckets buckets = new Quantiles.Buckets();
    int stamp = -1;

    Group(Labels metric) {
      this.metric = metric;
    }
  }

  /** Groups the bucket series of one step, caching per-series parsing across steps. */
  private static final class Grouper {
    private final Map<Labels, Group> bySignature = new HashMap<>();
    private final Map<Labels, Object> perSeries = new HashMap<>(); // Group or String (bad le)
    private final Map<Labels, Double> upperBounds = new HashMap<>();
    final List<Group> active = new ArrayList<>();
    /** Indices (into the step's vector) of the native histograms that are evaluated. */
    int[] natives = new int[8];
    int nativeCount;
    private int stamp;

    void reset(Evaluator ev, StepVector v, Expr arg) {
      stamp++;
      active.clear();
      nativeCount = 0;
      for (int i = 0; i < v.n; i++) {
        if (v.h[i] != null) {
          if (nativeCount == natives.length) {
            natives = Arrays.copyOf(natives, nativeCount * 2);
          }
          natives[nativeCount++] = i;
          continue;
        }
        Labels m = v.metric[i];
        Object o = perSeries.get(m);
        if (o == null) {
          String le = m.get("le");
          Double ub = GoNumbers.tryParseFloat(le); // upstream's ParseFloat error: malformed le
          if (ub == null) {
            o = le;
          } else {
            Labels sig = m.without("le");
            Group g = bySignature.get(sig);
            if (g == null) {
              g = new Group(sig);
              bySignature.put(sig, g);
            }
            upperBounds.put(m, ub);
            o = g;
          }
          perSeries.put(m, o);
        }
        if (o instanceof String le) {
          String name = ev.delayed() ? m.metricName() : "";
          ev.ctx.annotations.warn("bucket label \"le\" is missing or has a malformed value of "
              + GoStrings.quote(le) + Annotations.forMetricName(name), arg.pos());
          continue;
        }
        Group g = (Group) o;
        if (g.stamp != stamp) {
          g.stamp = stamp;
          g.buckets.clear();
          active.add(g);
        }
        g.buckets.add(upperBounds.get(m), v.f[i]);
      }
      dropConflicts(ev, v, arg);
    }

    /**
     * A native histogram whose labels equal a classic histogram's (without le) at this step
     * makes both unusable: both are left out, with a warning.
     */
    private void dropConflicts(Evaluator ev, StepVector v, Expr arg) {
      int kept = 0;
      for (int k = 0; k < nativeCount; k++) {
        int i = natives[k];
        Group g = active.isEmpty() ? null : bySignature.get(v.metric[i]);
        if (g != null && g.stamp == stamp && g.buckets.n > 0) {
          HistogramAnnotations.mixedClassicNative(ev.ctx.annotations,
              ev.delayed() ? v.metric[i].metricName() : "", arg.pos());
          g.buckets.clear();
          continue;
        }
        natives[kept++] = i;
      }
      nativeCount = kept;
    }
  }

  /** The labels a native histogram's result carries (metadata dropped unless delayed). */
  private static Labels nativeMetric(Evaluator ev, Labels m) {
    return ev.delayed() ? m : LabelOps.dropMetadata(m);
  }

  /** The metric name annotations about a native histogram name: none unless delayed. */
  private static String annotationName(Evaluator ev, Labels m) {
    return ev.delayed() ? m.metricName() : "";
  }

  private static double nativeQuantile(Evaluator ev, double q, FloatHistogram h, Labels m,
      Expr arg) {
    HistogramQuantiles.QuantileEstimate e = HistogramQuantiles.estimateQuantile(q, h);
    switch (e.nanObservations()) {
      case RESULT_NAN ->
          HistogramAnnotations.quantileNaNResult(ev.ctx.annotations, annotationName(ev, m),
              arg.pos());
      case SKEWED_HIGHER ->
          HistogramAnnotations.quantileNaNSkew(ev.ctx.annotations, annotationName(ev, m),
              arg.pos());
      default -> { }
    }
    return e.value();
  }

  private static double nativeFraction(Evaluator ev, double lower, double upper,
      FloatHistogram h, Labels m, Expr arg) {
    double v = HistogramQuantiles.fraction(lower, upper, h);
    // The info only where the fraction was computed (not for an empty histogram, NaN bounds
    // or an empty interval).
    boolean computed = h.count != 0 && !Double.isNaN(lower) && !Double.isNaN(upper)
        && lower < upper;
    if (computed && HistogramQuantiles.hasNaNObservations(h)) {
      HistogramAnnotations.fractionNaNs(ev.ctx.annotations, annotationName(ev, m), arg.pos());
    }
    return v;
  }

  /**
   * histogram_count, histogram_sum, histogram_avg, histogram_stddev and histogram_stdvar: one
   * number per native histogram; float samples are ignored. Without delayed name removal only
   * the name is dropped (type and unit stay), as in Prometheus.
   */
  static Functions.Factory statistic(ToDoubleFunction<FloatHistogram> stat) {
    return (ev, c) -> {
      boolean delayed = ev.delayed();
      return (in, out, ts) -> {
        StepVector v = in[0];
        for (int i = 0; i < v.n; i++) {
          if (v.h[i] != null) {
            Labels m = delayed ? v.metric[i] : v.metric[i].without(Labels.METRIC_NAME);
            out.add(m, stat.applyAsDouble(v.h[i]), true);
          }
        }
      };
    };
  }

  static void validateQuantile(Evaluator ev, double q, Expr arg) {
    if (Double.isNaN(q) || q < 0 || q > 1) {
      ev.ctx.annotations.warn("quantile value should be between 0 and 1, got " + GoFloat.formatG(q),
          arg.pos());
    }
  }

  static Evaluator.StepFn quantile(Evaluator ev, Call c) {
    Grouper grouper = new Grouper();
    Quantiles.Fix fix = new Quantiles.Fix();
    Expr qArg = c.args().get(0);
    Expr vArg = c.args().get(1);
    boolean delayed = ev.delayed();
    return (in, out, ts) -> {
      if (in[0].n == 0) {
        return;
      }
      double q = in[0].f[0];
      validateQuantile(ev, q, qArg);
      StepVector vec = in[1];
      grouper.reset(ev, vec, vArg);
      for (int k = 0; k < grouper.nativeCount; k++) {
        int i = grouper.natives[k];
        Labels m = nativeMetric(ev, vec.metric[i]);
        out.add(m, nativeQuantile(ev, q, vec.h[i], m, vArg), true);
      }
      for (Group g : grouper.active) {
        if (g.buckets.n == 0) {
          continue;
        }
        double v = Quantiles.bucketQuantile(q, g.buckets, fix);
        if (fix.forcedMonotonic) {
          ev.ctx.annotations.forcedMonotonicity(delayed ? g.metric.metricName() : "",
              vArg.pos(), ts, fix.minBucket, fix.maxBucket, fix.maxDiff);
        }
        out.add(delayed ? g.metric : LabelOps.dropMetadata(g.metric), v, true);
      }
    };
  }

  static Evaluator.StepFn quantiles(Evaluator ev, Call c) {
    Grouper grouper = new Grouper();
    Quantiles.Fix fix = new Quantiles.Fix();
    Expr vArg = c.args().get(0);
    String label = Functions.stringArg(c.args().get(1));
    boolean delayed = ev.delayed();
    Map<Labels, Map<Double, Labels>> quantileLabels = new LinkedHashMap<>();
    return (in, out, ts) -> {
      int nq = in.length - 2;
      double[] qs = new double[nq];
      for (int i = 0; i < nq; i++) {
        qs[i] = in[i + 2].f[0];
        validateQuantile(ev, qs[i], c.args().get(i + 2));
      }
      StepVector vec = in[0];
      grouper.reset(ev, vec, vArg);
      for (double q : qs) {
        for (int k = 0; k < grouper.nativeCount; k++) {
          int i = grouper.natives[k];
          Labels base = nativeMetric(ev, vec.metric[i]);
          double v = nativeQuantile(ev, q, vec.h[i], base, vArg);
          out.add(withQuantile(quantileLabels, base, label, q), v, true);
        }
        for (Group g : grouper.active) {
          if (g.buckets.n == 0) {
            continue;
          }
          Quantiles.Buckets copy = copyOf(g.buckets);
          double v = Quantiles.bucketQuantile(q, copy, fix);
          if (fix.forcedMonotonic) {
            ev.ctx.annotations.forcedMonotonicity(delayed ? g.metric.metricName() : "",
                vArg.pos(), ts, fix.minBucket, fix.maxBucket, fix.maxDiff);
          }
          Labels base = delayed ? g.metric : LabelOps.dropMetadata(g.metric);
          out.add(withQuantile(quantileLabels, base, label, q), v, true);
        }
      }
    };
  }

  /** The labels with the quantile label, cached per label set and quantile across steps. */
  private static Labels withQuantile(Map<Labels, Map<Double, Labels>> cache, Labels base,
      String label, double q) {
    return cache.computeIfAbsent(base, x -> new HashMap<>())
        .computeIfAbsent(q, x -> LabelOps.with(base, label, openMetricsFloat(x)));
  }

  private static Quantiles.Buckets copyOf(Quantiles.Buckets b) {
    Quantiles.Buckets c = new Quantiles.Buckets();
    for (int i = 0; i < b.n; i++) {
      c.add(b.upper[i], b.count[i]);
    }
    return c;
  }

  static Evaluator.StepFn fraction(Evaluator ev, Call c) {
    Grouper grouper = new Grouper();
    Expr vArg = c.args().get(2);
    boolean delayed = ev.delayed();
    return (in, out, ts) -> {
      if (in[0].n == 0 || in[1].n == 0) {
        return;
      }
      double lower = in[0].f[0];
      double upper = in[1].f[0];
      StepVector vec = in[2];
      grouper.reset(ev, vec, vArg);
      for (int k = 0; k < grouper.nativeCount; k++) {
        int i = grouper.natives[k];
        Labels m = nativeMetric(ev, vec.metric[i]);
        out.add(m, nativeFraction(ev, lower, upper, vec.h[i], m, vArg), true);
      }
      for (Group g : grouper.active) {
        if (g.buckets.n == 0) {
          continue;
        }
        double v = Quantiles.bucketFraction(lower, upper, g.buckets);
        out.add(delayed ? g.metric : LabelOps.dropMetadata(g.metric), v, true);
      }
    };
  }

  /** labels.FormatOpenMetricsFloat. */
  static String openMetricsFloat(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    String s = GoFloat.formatG(f);
    if (s.indexOf('e') >= 0 || s.indexOf('.') >= 0) {
      return s;
    }
    return s + ".0";
  }
}
