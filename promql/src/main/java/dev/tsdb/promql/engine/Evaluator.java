package dev.tsdb.promql.engine;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.HistogramArithmetic;
import dev.tsdb.index.histogram.IncompatibleHistogramsException;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.ast.AggregateExpr;
import dev.tsdb.promql.ast.AtMode;
import dev.tsdb.promql.ast.BinaryExpr;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.ExprType;
import dev.tsdb.promql.ast.MatrixSelector;
import dev.tsdb.promql.ast.NumberLiteral;
import dev.tsdb.promql.ast.ParenExpr;
import dev.tsdb.promql.ast.StepInvariantExpr;
import dev.tsdb.promql.ast.StringLiteral;
import dev.tsdb.promql.ast.SubqueryExpr;
import dev.tsdb.promql.ast.UnaryExpr;
import dev.tsdb.promql.ast.VectorMatching;
import dev.tsdb.promql.ast.VectorSelector;
import dev.tsdb.index.storage.Series;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates an expression at every step from {@code start} to {@code end} (inclusive) spaced
 * {@code interval} apart; an instant query is a range of one step. Every node evaluates to a list
 * of series whose points sit on the step timestamps (scalars are one series with empty labels and
 * a point at every step), except string literals and the raw range vectors of matrix selectors
 * and subqueries, whose points keep their own timestamps.
 *
 * <p>This follows the structure of Prometheus's evaluator so that edge cases (sample limits,
 * duplicate label sets, name dropping) behave alike; the data lives in primitive arrays.
 */
final class Evaluator {
  static final String ENV = "expression evaluation";

  final QueryContext ctx;
  final long start;
  final long end;
  final long interval;
  long currentSamples;

  Evaluator(QueryContext ctx, long start, long end, long interval, long currentSamples) {
    this.ctx = ctx;
    this.start = start;
    this.end = end;
    this.interval = interval;
    this.currentSamples = currentSamples;
  }

  int numSteps() {
    return (int) ((end - start) / interval) + 1;
  }

  boolean delayed() {
    return ctx.delayedNameRemoval;
  }

  PromQLException error(String msg) {
    return new PromQLException(ErrorType.EXECUTION, msg);
  }

  void addSamples(long k) {
    currentSamples += k;
    ctx.samples.holding(currentSamples);
    if (currentSamples > ctx.maxSamples) {
      throw QueryContext.tooManySamples();
    }
  }

  /** Evaluates to a List of series, or a String for string literals. */
  Object eval(Expr e) {
    ctx.checkDone(ENV);
    if (end < start) {
      return new ArrayList<EvalSeries>();
    }
    if (e instanceof AggregateExpr a) {
      return Aggregations.eval(this, a);
    }
    if (e instanceof Call c) {
      return evalCall(c);
    }
    if (e instanceof ParenExpr p) {
      return eval(p.expr());
    }
    if (e instanceof UnaryExpr u) {
      return evalUnary(u);
    }
    if (e instanceof BinaryExpr b) {
      return BinaryOps.eval(this, b);
    }
    if (e instanceof NumberLiteral n) {
      return constant(n.value());
    }
    if (e instanceof StringLiteral s) {
      return s.value();
    }
    if (e instanceof VectorSelector vs) {
      return evalVectorSelector(vs);
    }
    if (e instanceof MatrixSelector ms) {
      if (start != end) {
        throw new PromQLException(ErrorType.INTERNAL,
            "cannot do range evaluation of matrix selector");
      }
      return evalMatrixSelector(ms);
    }
    if (e instanceof SubqueryExpr sq) {
      // Evaluated for its own sake (not under a range function): its points count as read.
      List<EvalSeries> res = evalSubquery(sq);
      ctx.samples.read(totalSamples(res));
      return res;
    }
    if (e instanceof StepInvariantExpr si) {
      return evalStepInvariant(si);
    }
    throw new PromQLException(ErrorType.INTERNAL, "unhandled expression of type " + e.getClass());
  }

  @SuppressWarnings("unchecked")
  List<EvalSeries> evalMatrix(Expr e) {
    Object o = eval(e);
    if (o instanceof List<?> l) {
      return (List<EvalSeries>) l;
    }
    throw new PromQLException(ErrorType.INTERNAL, "expected series, got string");
  }

  /** A scalar: one series with empty labels and the value at every step. */
  List<EvalSeries> constant(double v) {
    int steps = numSteps();
    EvalSeries s = new EvalSeries(Labels.EMPTY, steps);
    for (long ts = start; ts <= end; ts += interval) {
      s.add(ts, v);
    }
    addSamples(steps);
    List<EvalSeries> out = new ArrayList<>(1);
    out.add(s);
    return out;
  }

  /** Values of a scalar-typed argument per step index (NaN where missing). */
  double[] scalarValues(Expr e) {
    int steps = numSteps();
    double[] out = new double[steps];
    if (e instanceof NumberLiteral n) {
      java.util.Arrays.fill(out, n.value());
      return out;
    }
    java.util.Arrays.fill(out, Double.NaN);
    List<EvalSeries> m = evalMatrix(e);
    if (!m.isEmpty()) {
      EvalSeries s = m.get(0);
      for (int i = 0; i < s.n; i++) {
        int idx = (int) ((s.ts[i] - start) / interval);
        if (idx >= 0 && idx < steps) {
          out[idx] = s.vs[i];
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Selectors

  long refTime(AtMode mode, long atMs, long ts, long offset) {
    return (mode == AtMode.NONE ? ts : atMs) - offset;
  }

  List<EvalSeries> evalVectorSelector(VectorSelector vs) {
    if (vs.smoothed()) {
      return evalSmoothedSelector(vs);
    }
    List<Series> series = ctx.series(vs);
    long offset = vs.offsetMs();
    long lb = ctx.lookbackMs;
    long minRef = refTime(vs.atMode(), vs.atMs(), start, offset);
    long maxRef = refTime(vs.atMode(), vs.atMs(), end, offset);
    SampleBuffer buf = ctx.buffer;
    List<EvalSeries> out = new ArrayList<>(series.size());
    int steps = numSteps();
    for (Series s : series) {
      ctx.checkDone(ENV);
      buf.load(s, minRef - lb + 1, maxRef, false);
      if (buf.n == 0) {
        continue;
      }
      EvalSeries es = null;
      int j = 0;
      for (long ts = start; ts <= end; ts += interval) {
        long ref = refTime(vs.atMode(), vs.atMs(), ts, offset);
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
        FloatHistogram h = buf.h(k);
        addSamples(EvalSeries.sampleCost(h));
        ctx.samples.read(EvalSeries.sampleCost(h));
        if (es == null) {
          es = new EvalSeries(s.labels(), Math.min(steps, buf.n + 1));
        }
        es.add(ts, buf.v[k], h);
      }
      if (es != null) {
        out.add(es);
      }
    }
    return out;
  }

  /**
   * A smoothed instant selector: the value at each step is interpolated between the samples
   * around it (within a lookback delta on either side), or the last sample when none follows.
   */
  private List<EvalSeries> evalSmoothedSelector(VectorSelector vs) {
    List<Series> series = ctx.series(vs);
    long offset = vs.offsetMs();
    long lb = ctx.lookbackMs;
    long minRef = refTime(vs.atMode(), vs.atMs(), start, offset);
    long maxRef = refTime(vs.atMode(), vs.atMs(), end, offset);
    SampleBuffer buf = ctx.buffer;
    List<EvalSeries> out = new ArrayList<>(series.size());
    for (Series s : series) {
      ctx.checkDone(ENV);
      buf.load(s, minRef - lb + 1, maxRef + lb, true);
      if (buf.n == 0) {
        continue;
      }
      EvalSeries es = null;
      int lo = 0;
      for (long ts = start; ts <= end; ts += interval) {
        long ref = refTime(vs.atMode(), vs.atMs(), ts, offset);
        while (lo < buf.n && buf.t[lo] <= ref - lb) {
          lo++;
        }
        int hi = lo;
        while (hi < buf.n && buf.t[hi] <= ref + lb) {
          hi++;
        }
        if (lo >= hi) {
          continue;
        }
        int i = lo;
        while (i < hi && buf.t[i] < ref) {
          i++;
        }
        if (buf.h != null && hasHistogram(buf.h, lo, hi)) {
          FloatHistogram h = smoothedHistogram(buf, lo, hi, i, ref, s.labels().metricName(),
              vs.pos());
          if (h != null) {
            addSamples(EvalSeries.sampleCost(h));
            ctx.samples.read(EvalSeries.sampleCost(h));
            if (es == null) {
              es = new EvalSeries(s.labels(), 16);
            }
            es.addHistogram(ts, h);
          }
          continue;
        }
        double v;
        if (i < hi && buf.t[i] == ref) {
          v = buf.v[i];
        } else if (i > lo && i < hi) {
          v = RangeFunctions.interpolate(buf.t[i - 1], buf.v[i - 1], buf.t[i], buf.v[i], ref,
              false);
        } else if (i > lo) {
          v = buf.v[i - 1];
        } else {
          continue;
        }
        addSamples(1);
        ctx.samples.read(1);
        if (es == null) {
          es = new EvalSeries(s.labels(), 16);
        }
        es.add(ts, v);
      }
      if (es != null) {
        out.add(es);
      }
    }
    return out;
  }

  private static boolean hasHistogram(FloatHistogram[] h, int lo, int hi) {
    for (int i = lo; i < hi; i++) {
      if (h[i] != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * The smoothed value at {@code ref} of a lookback window [lo, hi) holding histograms (i is its
   * first sample at or after ref), or null: a mix with floats gives a warning and no value; a
   * histogram at ref is taken, one on either side interpolated (as a counter unless both are
   * gauges), one only before carried forward without its counter reset hint.
   */
  private FloatHistogram smoothedHistogram(SampleBuffer buf, int lo, int hi, int i, long ref,
      String metricName, dev.tsdb.promql.ast.PosRange pos) {
    for (int k = lo; k < hi; k++) {
      if (buf.h[k] == null) {
        HistogramAnnotations.mixedFloatsHistograms(ctx.annotations, metricName, pos);
        return null;
      }
    }
    if (i < hi && buf.t[i] == ref) {
      return buf.h[i];
    }
    if (i > lo && i < hi) {
      FloatHistogram prev = buf.h[i - 1];
      FloatHistogram next = buf.h[i];
      if (prev.usesCustomBuckets() != next.usesCustomBuckets()) {
        HistogramAnnotations.mixedExponentialCustom(ctx.annotations, metricName, pos);
        return null;
      }
      boolean counter = prev.counterResetHint != CounterResetHint.GAUGE
          || next.counterResetHint != CounterResetHint.GAUGE;
      try {
        return HistogramRates.interpolate(buf.t[i - 1], prev, buf.t[i], next, ref, counter,
            ctx.annotations, pos);
      } catch (IncompatibleHistogramsException e) {
        return null;
      }
    }
    if (i > lo) {
      FloatHistogram carried = buf.h[i - 1].copy();
      carried.counterResetHint = CounterResetHint.UNKNOWN;
      return carried;
    }
    return null;
  }

  /** A matrix selector evaluated at one instant: the raw samples in its window. */
  List<EvalSeries> evalMatrixSelector(MatrixSelector ms) {
    VectorSelector vs = ms.selector();
    List<Series> series = ctx.series(vs);
    long maxt = refTime(vs.atMode(), vs.atMs(), start, vs.offsetMs());
    long mint = maxt - ms.rangeMs();
    boolean extended = vs.anchored() || vs.smoothed();
    long loadMin = extended ? mint - ctx.lookbackMs : mint;
    long loadMax = vs.smoothed() ? maxt + ctx.lookbackMs : maxt;
    SampleBuffer buf = ctx.buffer;
    List<EvalSeries> out = new ArrayList<>(series.size());
    for (Series s : series) {
      ctx.checkDone(ENV);
      buf.load(s, loadMin + 1, loadMax, true);
      if (buf.n == 0) {
        continue;
      }
      if (extended) {
        if (buf.h != null) {
          throw error((vs.anchored() ? "anchored" : "smoothed")
              + " modifier is not supported with histograms");
        }
        EvalSeries es = extendFloats(s.labels(), buf, mint, maxt, vs.smoothed());
        if (es != null) {
          addSamples(es.n);
          ctx.samples.read(es.n);
          out.add(es);
        }
        continue;
      }
      EvalSeries es = new EvalSeries(s.labels(), java.util.Arrays.copyOf(buf.t, buf.n),
          java.util.Arrays.copyOf(buf.v, buf.n),
          buf.h == null ? null : java.util.Arrays.copyOf(buf.h, buf.n), buf.n);
      addSamples(es.sampleCost());
      ctx.samples.read(es.sampleCost());
      out.add(es);
    }
    return out;
  }

  /**
   * The raw range vector of an anchored or smoothed selector: the boundary values picked or
   * interpolated at mint and maxt, with the samples strictly inside in between.
   */
  private static EvalSeries extendFloats(Labels metric, SampleBuffer buf, long mint, long maxt,
      boolean smoothed) {
    long[] t = buf.t;
    double[] v = buf.v;
    int last = buf.n - 1;
    int first = 0;
    while (first < last && t[first] <= mint) {
      first++;
    }
    first = Math.max(0, first - 1);
    if (smoothed) {
      int i = 0;
      while (i < last && t[i] < maxt) {
        i++;
      }
      last = i;
    }
    if (t[last] <= mint) {
      return null;
    }
    double left = v[first];
    if (smoothed && t[first] < mint) {
      left = RangeFunctions.interpolate(t[first], v[first], t[first + 1], v[first + 1], mint,
          false);
    }
    double right = v[last];
    if (smoothed && last > 0 && t[last] > maxt) {
      right = RangeFunctions.interpolate(t[last - 1], v[last - 1], t[last], v[last], maxt, false);
    }
    if (t[first] <= mint) {
      first++;
    }
    if (t[last] >= maxt) {
      last--;
    }
    EvalSeries es = new EvalSeries(metric, Math.max(2, last - first + 3));
    es.add(mint, left);
    for (int i = first; i <= last; i++) {
      es.add(t[i], v[i]);
    }
    es.add(maxt, right);
    return es;
  }

  List<EvalSeries> evalSubquery(SubqueryExpr e) {
    long offset = e.offsetMs();
    long rangeMs = e.rangeMs();
    long step = e.stepMs() != 0 ? e.stepMs() : ctx.noStepSubqueryIntervalMs;
    long baseStart = e.atMode() == AtMode.NONE ? start : e.atMs();
    long baseEnd = e.atMode() == AtMode.NONE ? end : e.atMs();
    long newEnd = baseEnd - offset;
    long lower = baseStart - offset - rangeMs;
    long newStart = step * (lower / step);
    if (newStart <= lower) {
      newStart += step;
    }
    long steps = newEnd < newStart ? 0 : (newEnd - newStart) / step + 1;
    if (steps > ctx.maxSamples) {
      throw QueryContext.tooManySamples();
    }
    Evaluator inner = new Evaluator(ctx, newStart, newEnd, step, currentSamples);
    ctx.samples.enterSubquery();
    List<EvalSeries> res;
    try {
      res = inner.evalMatrix(e.expr());
    } finally {
      ctx.samples.leaveSubquery();
    }
    currentSamples = inner.currentSamples;
    return res;
  }

  List<EvalSeries> evalStepInvariant(StepInvariantExpr e) {
    Evaluator inner = new Evaluator(ctx, start, start, interval, currentSamples);
    Object res = inner.eval(e.expr());
    currentSamples = inner.currentSamples;
    Expr x = unwrapParens(e.expr());
    if (x instanceof MatrixSelector || x instanceof SubqueryExpr) {
      @SuppressWarnings("unchecked")
      List<EvalSeries> m = (List<EvalSeries>) res;
      return m;
    }
    @SuppressWarnings("unchecked")
    List<EvalSeries> mat = (List<EvalSeries>) res;
    if (start == end) {
      return mat;
    }
    for (EvalSeries s : mat) {
      if (s.n != 1) {
        throw new PromQLException(ErrorType.INTERNAL, "unexpected number of samples");
      }
      double v = s.vs[0];
      FloatHistogram h = s.h(0);
      int cost = EvalSeries.sampleCost(h);
      for (long ts = start + interval; ts <= end; ts += interval) {
        s.add(ts, v, h);
        addSamples(cost);
      }
    }
    return mat;
  }

  static Expr unwrapParens(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    return e;
  }

  // ---------------------------------------------------------------------------------------------
  // Unary

  List<EvalSeries> evalUnary(UnaryExpr u) {
    List<EvalSeries> mat = evalMatrix(u.expr());
    if (!u.negate()) {
      return mat;
    }
    for (EvalSeries s : mat) {
      if (!delayed()) {
        s.metric = LabelOps.dropMetadata(s.metric);
      }
      s.dropName = true;
      for (int i = 0; i < s.n; i++) {
        FloatHistogram h = s.h(i);
        if (h == null) {
          s.vs[i] = -s.vs[i];
        } else {
          s.hs[i] = HistogramArithmetic.mul(h, -1);
        }
      }
    }
    if (!delayed()) {
      mat = mergeSeriesWithSameLabelset(mat);
    }
    return mat;
  }

  // ---------------------------------------------------------------------------------------------
  // Calls

  Object evalCall(Call c) {
    return Functions.eval(this, c);
  }

  // ---------------------------------------------------------------------------------------------
  // Generic step-wise evaluation

  /** Computes one step's output vector from the step's input vectors. */
  interface StepFn {
    void apply(StepVector[] in, StepVector out, long ts);
  }

  /**
   * Evaluates the argument expressions, then calls {@code fn} at every step with the argument
   * vectors of that step, and assembles the outputs into series. With a non-null {@code sigs}
   * builder, the join signature ordinal of every input series is computed first (see
   * {@link BinaryOps}).
   */
  List<EvalSeries> rangeEval(StepFn fn, Expr... exprs) {
    List<List<EvalSeries>> mats = new ArrayList<>(exprs.length);
    for (Expr x : exprs) {
      if (x == null || x.type() == ExprType.STRING) {
        mats.add(List.of());
      } else {
        mats.add(evalMatrix(x));
      }
    }
    return rangeEvalMats(fn, mats);
  }

  List<EvalSeries> rangeEvalMats(StepFn fn, List<List<EvalSeries>> mats) {
    long originalSamples = currentSamples;
    int k = mats.size();
    StepVector[] vectors = new StepVector[k];
    int[][] cursors = new int[k][];
    int biggest = 1;
    for (int i = 0; i < k; i++) {
      int sz = mats.get(i).size();
      vectors[i] = new StepVector(sz);
      cursors[i] = new int[sz];
      biggest = Math.max(biggest, sz);
    }
    StepVector out = new StepVector(biggest);
    long tempSamples = currentSamples;
    Map<Labels, EvalSeries> byLabels = new LinkedHashMap<>();
    int steps = numSteps();
    for (long ts = start; ts <= end; ts += interval) {
      ctx.checkDone(ENV);
      currentSamples = tempSamples;
      for (int i = 0; i < k; i++) {
        gather(ts, mats.get(i), cursors[i], vectors[i]);
      }
      out.clear();
      fn.apply(vectors, out, ts);
      long produced = out.sampleCost();
      currentSamples += produced;
      tempSamples += produced;
      ctx.samples.holding(currentSamples);
      if (currentSamples > ctx.maxSamples) {
        throw QueryContext.tooManySamples();
      }
      if (start == end) {
        if (!delayed() && containsSameLabelset(out)) {
          throw error("vector cannot contain metrics with the same labelset");
        }
        List<EvalSeries> mat = new ArrayList<>(out.n);
        for (int i = 0; i < out.n; i++) {
          EvalSeries s = new EvalSeries(out.metric[i], 1);
          s.add(ts, out.f[i], out.h[i]);
          s.dropName = out.drop[i];
          mat.add(s);
        }
        currentSamples = originalSamples + produced;
        return mat;
      }
      for (int i = 0; i < out.n; i++) {
        Labels m = out.metric[i];
        EvalSeries s = byLabels.get(m);
        if (s == null) {
          s = new EvalSeries(m, Math.min(steps, 16));
          s.dropName = out.drop[i];
          byLabels.put(m, s);
        } else if (s.n > 0 && s.ts[s.n - 1] == ts) {
          throw error("vector cannot contain metrics with the same labelset");
        }
        s.add(ts, out.f[i], out.h[i]);
      }
    }
    List<EvalSeries> mat = new ArrayList<>(byLabels.values());
    currentSamples = originalSamples + totalSamples(mat);
    return mat;
  }

  /** Fills {@code v} with the points of {@code mat} at {@code ts}, advancing the cursors. */
  void gather(long ts, List<EvalSeries> mat, int[] cursor, StepVector v) {
    v.clear();
    for (int i = 0, n = mat.size(); i < n; i++) {
      EvalSeries s = mat.get(i);
      int c = cursor[i];
      if (c < s.n && s.ts[c] == ts) {
        FloatHistogram h = s.h(c);
        v.add(s.metric, s.vs[c], h, s.dropName, ts, i);
        cursor[i] = c + 1;
        currentSamples += EvalSeries.sampleCost(h);
      }
    }
    ctx.samples.holding(currentSamples);
    if (currentSamples > ctx.maxSamples) {
      throw QueryContext.tooManySamples();
    }
  }

  static long totalSamples(List<EvalSeries> mat) {
    long n = 0;
    for (EvalSeries s : mat) {
      n += s.sampleCost();
    }
    return n;
  }

  static boolean containsSameLabelset(StepVector v) {
    if (v.n <= 1) {
      return false;
    }
    if (v.n == 2) {
      return v.metric[0].equals(v.metric[1]);
    }
    java.util.HashSet<Labels> seen = new java.util.HashSet<>(v.n * 2);
    for (int i = 0; i < v.n; i++) {
      if (!seen.add(v.metric[i])) {
        return true;
      }
    }
    return false;
  }

  /**
   * Merges series that ended up with the same labels (after dropping names); overlapping points
   * are an error, as in Prometheus.
   */
  List<EvalSeries> mergeSeriesWithSameLabelset(List<EvalSeries> mat) {
    if (mat.size() <= 1) {
      return mat;
    }
    Map<Labels, List<EvalSeries>> groups = new LinkedHashMap<>();
    boolean dup = false;
    for (EvalSeries s : mat) {
      List<EvalSeries> g = groups.computeIfAbsent(s.metric, x -> new ArrayList<>(1));
      g.add(s);
      if (g.size() > 1) {
        dup = true;
      }
    }
    if (!dup) {
      return mat;
    }
    List<EvalSeries> out = new ArrayList<>(groups.size());
    for (List<EvalSeries> g : groups.values()) {
      if (g.size() == 1) {
        out.add(g.get(0));
        continue;
      }
      int total = 0;
      for (EvalSeries s : g) {
        total += s.n;
      }
      long[] ts = new long[total];
      double[] vs = new double[total];
      FloatHistogram[] hs = new FloatHistogram[total];
      Integer[] order = new Integer[total];
      int p = 0;
      for (EvalSeries s : g) {
        System.arraycopy(s.ts, 0, ts, p, s.n);
        System.arraycopy(s.vs, 0, vs, p, s.n);
        if (s.hs != null) {
          System.arraycopy(s.hs, 0, hs, p, s.n);
        }
        p += s.n;
      }
      for (int i = 0; i < total; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, (a, b) -> Long.compare(ts[a], ts[b]));
      EvalSeries merged = new EvalSeries(g.get(0).metric, total);
      merged.dropName = g.get(0).dropName;
      for (int i = 0; i < total; i++) {
        int idx = order[i];
        if (merged.n > 0 && merged.ts[merged.n - 1] == ts[idx]) {
          throw error("vector cannot contain metrics with the same labelset");
        }
        merged.add(ts[idx], vs[idx], hs[idx]);
      }
      out.add(merged);
    }
    return out;
  }

  /** Join signature ordinals for binary operations: one per input series, shared across sides. */
  static int[][] signatures(VectorMatching matching, List<List<EvalSeries>> mats) {
    Map<Labels, Integer> ordinals = new HashMap<>();
    int[][] out = new int[mats.size()][];
    List<String> names = matching.matchingLabels();
    for (int i = 0; i < mats.size(); i++) {
      List<EvalSeries> m = mats.get(i);
      out[i] = new int[m.size()];
      for (int j = 0; j < m.size(); j++) {
        Labels ls = m.get(j).metric;
        Labels sig = matching.on() ? LabelOps.keep(ls, names) : LabelOps.without(ls, names, true);
        Integer ord = ordinals.get(sig);
        if (ord == null) {
          ord = ordinals.size();
          ordinals.put(sig, ord);
        }
        out[i][j] = ord;
      }
    }
    return out;
  }
}
