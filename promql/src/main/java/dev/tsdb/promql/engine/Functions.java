package dev.tsdb.promql.engine;

import dev.tsdb.gocompat.GoMath;
import dev.tsdb.gocompat.GoRegex;
import dev.tsdb.gocompat.GoRegexMatch;
import dev.tsdb.index.histogram.HistogramStatistics;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.MatrixSelector;
import dev.tsdb.promql.ast.StepInvariantExpr;
import dev.tsdb.promql.ast.StringLiteral;
import dev.tsdb.promql.ast.SubqueryExpr;
import dev.tsdb.promql.ast.VectorSelector;
import dev.tsdb.index.storage.Series;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * Function calls: dispatch between the special forms (label_replace, label_join, timestamp of a
 * selector), functions over range vectors ({@link RangeFunctions}) and functions over instant
 * vectors and scalars, which are implemented here as per-step functions.
 */
final class Functions {
  private Functions() {}

  /** Functions whose value depends on the evaluation time even with constant arguments. */
  static final Set<String> AT_MODIFIER_UNSAFE = Set.of("days_in_month", "day_of_month",
      "day_of_week", "day_of_year", "hour", "minute", "month", "year", "predict_linear", "time",
      "timestamp", "start", "end", "step", "range");

  static final Set<String> SORT_FUNCTIONS = Set.of("sort", "sort_desc", "sort_by_label",
      "sort_by_label_desc");

  /** Creates the per-step function of one call node (it may keep caches across steps). */
  interface Factory {
    Evaluator.StepFn create(Evaluator ev, Call call);
  }

  private static final Map<String, Factory> INSTANT = new HashMap<>();

  static Expr unwrap(Expr e) {
    while (true) {
      if (e instanceof StepInvariantExpr si) {
        e = si.expr();
      } else if (e instanceof dev.tsdb.promql.ast.ParenExpr p) {
        e = p.expr();
      } else {
        return e;
      }
    }
  }

  static Object eval(Evaluator ev, Call c) {
    String name = c.func().name();
    List<Expr> args = c.args();
    if (name.equals("timestamp") && unwrap(args.get(0)) instanceof VectorSelector vs) {
      return timestampOfSelector(ev, vs, c);
    }
    if (SORT_FUNCTIONS.contains(name) && ev.start != ev.end) {
      // As upstream: judged per evaluator, so a sort inside a subquery of an instant query
      // warns, and one under @ (evaluated once as a step-invariant) does not.
      ev.ctx.annotations.warn("sort is ineffective for range queries since results are always "
          + "ordered by labels", c.pos());
    }
    int matrixArg = -1;
    for (int i = 0; i < args.size(); i++) {
      Expr a = unwrap(args.get(i));
      if (a instanceof MatrixSelector || a instanceof SubqueryExpr) {
        matrixArg = i;
        break;
      }
    }
    switch (name) {
      case "label_replace":
        return labelReplace(ev, c);
      case "label_join":
        return labelJoin(ev, c);
      case "info":
        return InfoFunction.eval(ev, c);
      default:
        break;
    }
    if (matrixArg >= 0) {
      return RangeFunctions.eval(ev, c, matrixArg);
    }
    DoubleUnaryOperator simpleOp = SIMPLE.get(name);
    if (simpleOp != null) {
      return mapValues(ev, ev.evalMatrix(args.get(0)), (v, step) -> simpleOp.applyAsDouble(v));
    }
    switch (name) {
      case "round": {
        List<EvalSeries> mat = ev.evalMatrix(args.get(0));
        double[] to = args.size() > 1 ? ev.scalarValues(args.get(1)) : null;
        return mapValues(ev, mat, (v, step) -> {
          double inv = 1.0 / (to == null ? 1 : to[step]);
          return Math.floor(v * inv + 0.5) / inv;
        });
      }
      case "clamp":
      case "clamp_min":
      case "clamp_max": {
        List<EvalSeries> mat = ev.evalMatrix(args.get(0));
        double[] lo = null;
        double[] hi = null;
        if (name.equals("clamp")) {
          lo = ev.scalarValues(args.get(1));
          hi = ev.scalarValues(args.get(2));
        } else if (name.equals("clamp_min")) {
          lo = ev.scalarValues(args.get(1));
        } else {
          hi = ev.scalarValues(args.get(1));
        }
        double[] min = lo;
        double[] max = hi;
        return mapValues(ev, mat, (v, step) -> {
          double mn = min == null ? Double.NEGATIVE_INFINITY : min[step];
          double mx = max == null ? Double.POSITIVE_INFINITY : max[step];
          if (mx < mn) {
            return RangeFunctions.NONE; // an empty result at this step
          }
          return Math.max(mn, Math.min(mx, v));
        });
      }
      default:
        break;
    }
    Factory f = INSTANT.get(name);
    if (f == null) {
      throw new PromQLException(ErrorType.EXECUTION, "function \"" + name
          + "\" is not supported");
    }
    Evaluator.StepFn fn = f.create(ev, c);
    return ev.rangeEval(fn, args.toArray(new Expr[0]));
  }

  // ---------------------------------------------------------------------------------------------
  // Special forms

  private static List<EvalSeries> timestampOfSelector(Evaluator ev, VectorSelector vs, Call c) {
    List<Series> series = ev.ctx.series(vs);
    boolean hasAt = vs.atMode() != dev.tsdb.promql.ast.AtMode.NONE;
    long lb = ev.ctx.lookbackMs;
    // Prometheus replaces the offset by (step - @) for selectors with @, which makes the
    // original offset ineffective here; we do the same.
    long minRef = hasAt ? vs.atMs() : ev.start - vs.offsetMs();
    long maxRef = hasAt ? vs.atMs() : ev.end - vs.offsetMs();
    List<EvalSeries> inputs = new ArrayList<>(series.size());
    SampleBuffer buf = ev.ctx.buffer;
    for (Series s : series) {
      ev.ctx.checkDone(Evaluator.ENV);
      buf.load(s, minRef - lb + 1, maxRef, false);
      EvalSeries es = null;
      int j = 0;
      for (long ts = ev.start; ts <= ev.end; ts += ev.interval) {
        long ref = hasAt ? vs.atMs() : ts - vs.offsetMs();
        while (j < buf.n && buf.t[j] <= ref) {
          j++;
        }
        if (j == 0) {
          continue;
        }
        int k = j - 1;
        if (buf.t[k] <= ref - lb || buf.isStaleAt(k)) {
          continue;
        }
        if (es == null) {
          es = new EvalSeries(s.labels(), 4);
        }
        // The value carries the sample's own timestamp.
        es.add(ts, buf.t[k] / 1000.0);
      }
      if (es != null) {
        inputs.add(es);
      }
    }
    boolean delayed = ev.delayed();
    List<List<EvalSeries>> mats = new ArrayList<>();
    mats.add(inputs);
    return ev.rangeEvalMats((in, out, ts) -> {
      StepVector v = in[0];
      ev.addSamples(v.n);
      for (int i = 0; i < v.n; i++) {
        out.add(delayed ? v.metric[i] : LabelOps.dropMetadata(v.metric[i]), v.f[i], true);
      }
    }, mats);
  }

  static String stringArg(Expr e) {
    Expr x = unwrap(e);
    if (x instanceof StringLiteral s) {
      return s.value();
    }
    throw new PromQLException(ErrorType.BAD_DATA, "expected string literal argument");
  }

  private static List<EvalSeries> labelReplace(Evaluator ev, Call c) {
    List<Expr> args = c.args();
    String dst = stringArg(args.get(1));
    String repl = stringArg(args.get(2));
    String src = stringArg(args.get(3));
    String regexStr = stringArg(args.get(4));
    GoRegex regex;
    try {
      regex = GoRegex.compileAnchored(regexStr);
    } catch (IllegalArgumentException e) {
      throw new PromQLException(ErrorType.EXECUTION,
          "invalid regular expression in label_replace(): " + regexStr);
    }
    if (!LabelOps.isValidLabelName(dst)) {
      throw new PromQLException(ErrorType.EXECUTION,
          "invalid destination label name in label_replace(): " + dst);
    }
    List<EvalSeries> mat = ev.evalMatrix(args.get(0));
    for (EvalSeries s : mat) {
      String srcVal = s.metric.get(src);
      GoRegexMatch m = regex.find(srcVal);
      if (m != null) {
        String res = m.expand(repl);
        s.metric = LabelOps.with(s.metric, dst, res);
        if (dst.equals(LabelOps.NAME)) {
          s.dropName = false;
        }
      }
    }
    return ev.mergeSeriesWithSameLabelset(mat);
  }

  private static List<EvalSeries> labelJoin(Evaluator ev, Call c) {
    List<Expr> args = c.args();
    String dst = stringArg(args.get(1));
    String sep = stringArg(args.get(2));
    List<String> srcLabels = new ArrayList<>();
    for (int i = 3; i < args.size(); i++) {
      String src = stringArg(args.get(i));
      if (!LabelOps.isValidLabelName(src)) {
        throw new PromQLException(ErrorType.EXECUTION,
            "invalid source label name in label_join(): " + src);
      }
      srcLabels.add(src);
    }
    if (!LabelOps.isValidLabelName(dst)) {
      throw new PromQLException(ErrorType.EXECUTION,
          "invalid destination label name in label_join(): " + dst);
    }
    List<EvalSeries> mat = ev.evalMatrix(args.get(0));
    for (EvalSeries s : mat) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < srcLabels.size(); i++) {
        if (i > 0) {
          sb.append(sep);
        }
        sb.append(s.metric.get(srcLabels.get(i)));
      }
      s.metric = LabelOps.with(s.metric, dst, sb.toString());
      if (dst.equals(LabelOps.NAME)) {
        s.dropName = false;
      }
    }
    return ev.mergeSeriesWithSameLabelset(mat);
  }

  // ---------------------------------------------------------------------------------------------
  // Element-wise functions, evaluated series by series in place

  interface PointOp {
    /** The new value of a point at step index {@code step}, or RangeFunctions.NONE to drop it. */
    double apply(double v, int step);
  }

  private static final Map<String, DoubleUnaryOperator> SIMPLE = new HashMap<>();

  /**
   * Applies a value mapping to every float point; histogram points are dropped (these functions
   * only take floats, and upstream skips histograms without a word). The name is dropped (right
   * away, or flagged for delayed removal), and series that collide after dropping it are merged
   * as step-wise evaluation would.
   */
  static List<EvalSeries> mapValues(Evaluator ev, List<EvalSeries> mat, PointOp op) {
    boolean delayed = ev.delayed();
    List<EvalSeries> out = new ArrayList<>(mat.size());
    for (EvalSeries s : mat) {
      int w = 0;
      for (int i = 0; i < s.n; i++) {
        if (s.h(i) != null) {
          continue;
        }
        double v = op.apply(s.vs[i], (int) ((s.ts[i] - ev.start) / ev.interval));
        if (RangeFunctions.isNone(v)) {
          continue;
        }
        s.ts[w] = s.ts[i];
        s.vs[w] = v;
        w++;
      }
      s.n = w;
      s.hs = null; // only floats are left
      if (w == 0) {
        continue;
      }
      if (!delayed) {
        s.metric = LabelOps.dropMetadata(s.metric);
      }
      s.dropName = true;
      out.add(s);
    }
    return delayed ? out : ev.mergeSeriesWithSameLabelset(out);
  }

  // ---------------------------------------------------------------------------------------------
  // Instant-vector and scalar functions

  private static void simple(String name, DoubleUnaryOperator op) {
    SIMPLE.put(name, op);
  }

  private static void scalarFn(String name, ScalarOp op) {
    INSTANT.put(name, (ev, c) -> (in, out, ts) -> out.add(Labels.EMPTY, op.apply(in, ts), false));
  }

  interface ScalarOp {
    double apply(StepVector[] in, long ts);
  }

  static {
    simple("abs", Math::abs);
    simple("ceil", Math::ceil);
    simple("floor", Math::floor);
    simple("exp", GoMath::exp);
    simple("sqrt", Math::sqrt);
    simple("ln", GoMath::log);
    simple("log2", GoMath::log2);
    simple("log10", GoMath::log10);
    simple("sin", GoMath::sin);
    simple("cos", GoMath::cos);
    simple("tan", GoMath::tan);
    simple("asin", GoMath::asin);
    simple("acos", GoMath::acos);
    simple("atan", GoMath::atan);
    simple("sinh", GoMath::sinh);
    simple("cosh", GoMath::cosh);
    simple("tanh", GoMath::tanh);
    simple("asinh", GoMath::asinh);
    simple("acosh", GoMath::acosh);
    simple("atanh", GoMath::atanh);
    simple("rad", v -> v * Math.PI / 180);
    simple("deg", v -> v * 180 / Math.PI);
    simple("sgn", v -> v < 0 ? -1 : v > 0 ? 1 : v);
    // Native-histogram functions: float samples are ignored.
    INSTANT.put("histogram_count", HistogramFunctions.statistic(HistogramStatistics::count));
    INSTANT.put("histogram_sum", HistogramFunctions.statistic(HistogramStatistics::sum));
    INSTANT.put("histogram_avg", HistogramFunctions.statistic(HistogramStatistics::avg));
    INSTANT.put("histogram_stddev", HistogramFunctions.statistic(HistogramStatistics::stddev));
    INSTANT.put("histogram_stdvar", HistogramFunctions.statistic(HistogramStatistics::stdvar));

    scalarFn("pi", (in, ts) -> Math.PI);
    scalarFn("time", (in, ts) -> ts / 1000.0);
    scalarFn("min_of", (in, ts) -> goMin(in[0].f[0], in[1].f[0]));
    scalarFn("max_of", (in, ts) -> goMax(in[0].f[0], in[1].f[0]));
    scalarFn("scalar", (in, ts) -> singleFloat(in[0]));
    INSTANT.put("vector", (ev, c) -> (in, out, ts) -> out.add(Labels.EMPTY, in[0].f[0], false));

    INSTANT.put("timestamp", (ev, c) -> {
      boolean delayed = ev.delayed();
      return (in, out, ts) -> {
        StepVector v = in[0];
        for (int i = 0; i < v.n; i++) {
          out.add(delayed ? v.metric[i] : LabelOps.dropMetadata(v.metric[i]), v.t[i] / 1000.0,
              true);
        }
      };
    });

    INSTANT.put("absent", (ev, c) -> {
      Labels ls = absentLabels(c.args().get(0));
      return (in, out, ts) -> {
        if (in[0].n == 0) {
          out.add(ls, 1, false);
        }
      };
    });

    INSTANT.put("sort", (ev, c) -> (in, out, ts) -> sortByValue(in[0], out, false));
    INSTANT.put("sort_desc", (ev, c) -> (in, out, ts) -> sortByValue(in[0], out, true));
    INSTANT.put("sort_by_label", (ev, c) -> sortByLabel(c, false));
    INSTANT.put("sort_by_label_desc", (ev, c) -> sortByLabel(c, true));

    date("days_in_month", t -> t.toLocalDate().lengthOfMonth());
    date("day_of_month", t -> t.getDayOfMonth());
    date("day_of_week", t -> t.getDayOfWeek().getValue() % 7);
    date("day_of_year", t -> t.getDayOfYear());
    date("hour", t -> t.getHour());
    date("minute", t -> t.getMinute());
    date("month", t -> t.getMonthValue());
    date("year", t -> t.getYear());

    INSTANT.put("histogram_quantile", HistogramFunctions::quantile);
    INSTANT.put("histogram_quantiles", HistogramFunctions::quantiles);
    INSTANT.put("histogram_fraction", HistogramFunctions::fraction);
  }

  /** scalar(): the only float element's value; NaN for none or several (histograms ignored). */
  static double singleFloat(StepVector v) {
    double value = Double.NaN;
    boolean found = false;
    for (int i = 0; i < v.n; i++) {
      if (v.h[i] == null) {
        if (found) {
          return Double.NaN;
        }
        found = true;
        value = v.f[i];
      }
    }
    return value;
  }

  /** Go's math.Min: NaN if either is NaN, -0 preferred. */
  static double goMin(double a, double b) {
    if (Double.isInfinite(a) && a < 0 || Double.isInfinite(b) && b < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Double.NaN;
    }
    return Math.min(a, b);
  }

  static double goMax(double a, double b) {
    if (Double.isInfinite(a) && a > 0 || Double.isInfinite(b) && b > 0) {
      return Double.POSITIVE_INFINITY;
    }
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Double.NaN;
    }
    return Math.max(a, b);
  }

  interface DateOp {
    int apply(LocalDateTime t);
  }

  private static void date(String name, DateOp op) {
    INSTANT.put(name, (ev, c) -> {
      boolean delayed = ev.delayed();
      boolean noArgs = c.args().isEmpty();
      return (in, out, ts) -> {
        if (noArgs) {
          out.add(Labels.EMPTY, op.apply(toTime(Math.floorDiv(ts, 1000))), false);
          return;
        }
        StepVector v = in[0];
        for (int i = 0; i < v.n; i++) {
          if (v.h[i] != null) {
            continue; // histograms have no date
          }
          out.add(delayed ? v.metric[i] : LabelOps.dropMetadata(v.metric[i]),
              op.apply(toTime(goInt64(v.f[i]))), true);
        }
      };
    });
  }

  /** Go's float64 to int64 conversion on amd64: out of range and NaN give MinInt64. */
  static long goInt64(double f) {
    if (Double.isNaN(f) || f >= 9.223372036854775807E18 || f < -9.223372036854775808E18) {
      return Long.MIN_VALUE;
    }
    return (long) f;
  }

  private static LocalDateTime toTime(long sec) {
    try {
      return LocalDateTime.ofEpochSecond(sec, 0, ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      return LocalDateTime.ofInstant(sec < 0 ? Instant.MIN : Instant.MAX, ZoneOffset.UTC);
    }
  }

  static Labels absentLabels(Expr arg) {
    List<Matcher> ms;
    if (arg instanceof VectorSelector vs) {
      ms = vs.matchers();
    } else if (arg instanceof MatrixSelector m) {
      ms = m.selector().matchers();
    } else {
      return Labels.EMPTY;
    }
    LabelsBuilder b = new LabelsBuilder();
    Set<String> has = new HashSet<>();
    for (Matcher m : ms) {
      if (m.name().equals(LabelOps.NAME)) {
        continue;
      }
      if (m.type() == Matcher.Type.EQ && !has.contains(m.name())) {
        b.set(m.name(), m.value());
        has.add(m.name());
      } else {
        b.delete(m.name());
      }
    }
    return b.build();
  }

  /**
   * sort / sort_desc: NaNs last in both directions; histograms are left out (they have no order).
   * Go sorts small inputs with insertion sort (stable); we use a stable sort throughout.
   */
  private static void sortByValue(StepVector v, StepVector out, boolean desc) {
    Integer[] idx = new Integer[v.n];
    int n = 0;
    for (int i = 0; i < v.n; i++) {
      if (v.h[i] == null) {
        idx[n++] = i;
      }
    }
    java.util.Arrays.sort(idx, 0, n, (a, b) -> {
      double x = v.f[a];
      double y = v.f[b];
      boolean xn = Double.isNaN(x);
      boolean yn = Double.isNaN(y);
      if (xn || yn) {
        return Boolean.compare(xn, yn);
      }
      if (desc) {
        return x > y ? -1 : (x < y ? 1 : 0);
      }
      return x < y ? -1 : (x > y ? 1 : 0);
    });
    for (int k = 0; k < n; k++) {
      out.copyFrom(v, idx[k]);
    }
  }

  private static Evaluator.StepFn sortByLabel(Call c, boolean desc) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i < c.args().size(); i++) {
      names.add(stringArg(c.args().get(i)));
    }
    return (in, out, ts) -> {
      StepVector v = in[0];
      Integer[] idx = new Integer[v.n];
      for (int i = 0; i < v.n; i++) {
        idx[i] = i;
      }
      java.util.Arrays.sort(idx, (a, b) -> {
        for (String label : names) {
          String l1 = v.metric[a].get(label);
          String l2 = v.metric[b].get(label);
          if (l1.equals(l2)) {
            continue;
          }
          boolean less = NaturalSort.less(l1, l2);
          return desc ? (less ? 1 : -1) : (less ? -1 : 1);
        }
        int cmp = v.metric[a].compareTo(v.metric[b]);
        return desc ? -cmp : cmp;
      });
      for (Integer i : idx) {
        out.copyFrom(v, i);
      }
    };
  }

}
