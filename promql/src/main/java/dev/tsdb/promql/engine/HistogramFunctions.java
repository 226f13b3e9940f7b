package dev.tsdb.promql.engine;

import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.Expr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * histogram_quantile, histogram_quantiles and histogram_fraction over classic histograms: the
 * input series are grouped by their labels without {@code le}, each group's buckets fed to
 * {@link Quantiles}. Native histograms are not stored by this database, so only classic
 * buckets are handled.
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
    private int stamp;

    void reset(Evaluator ev, StepVector v, Expr arg) {
      stamp++;
      active.clear();
      for (int i = 0; i < v.n; i++) {
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
    }
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
      grouper.reset(ev, in[1], vArg);
      for (Group g : grouper.active) {
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
    Map<Labels, Map<Double, Labels>> withQuantile = new LinkedHashMap<>();
    return (in, out, ts) -> {
      int nq = in.length - 2;
      double[] qs = new double[nq];
      for (int i = 0; i < nq; i++) {
        qs[i] = in[i + 2].f[0];
        validateQuantile(ev, qs[i], c.args().get(i + 2));
      }
      grouper.reset(ev, in[0], vArg);
      for (double q : qs) {
        for (Group g : grouper.active) {
          Quantiles.Buckets copy = copyOf(g.buckets);
          double v = Quantiles.bucketQuantile(q, copy, fix);
          if (fix.forcedMonotonic) {
            ev.ctx.annotations.forcedMonotonicity(delayed ? g.metric.metricName() : "",
                vArg.pos(), ts, fix.minBucket, fix.maxBucket, fix.maxDiff);
          }
          Labels base = delayed ? g.metric : LabelOps.dropMetadata(g.metric);
          Labels m = withQuantile.computeIfAbsent(base, x -> new HashMap<>())
              .computeIfAbsent(q, x -> LabelOps.with(base, label, openMetricsFloat(x)));
          out.add(m, v, true);
        }
      }
    };
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
      grouper.reset(ev, in[2], vArg);
      for (Group g : grouper.active) {
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
