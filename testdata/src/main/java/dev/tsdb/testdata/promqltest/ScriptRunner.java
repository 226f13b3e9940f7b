package dev.tsdb.testdata.promqltest;

import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.index.histogram.ClassicHistogramBuilder;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.ast.AggregateExpr;
import dev.tsdb.promql.ast.AtMode;
import dev.tsdb.promql.ast.BinaryExpr;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.MatrixSelector;
import dev.tsdb.promql.ast.ParenExpr;
import dev.tsdb.promql.ast.SubqueryExpr;
import dev.tsdb.promql.ast.UnaryExpr;
import dev.tsdb.promql.ast.VectorSelector;
import dev.tsdb.promql.engine.Engine;
import dev.tsdb.promql.value.Matrix;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.promql.value.Scalar;
import dev.tsdb.promql.value.SeriesPoints;
import dev.tsdb.promql.value.StringValue;
import dev.tsdb.promql.value.Value;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Storage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Runs a {@link TestScript} against the engine the way Prometheus's promqltest does: every instant
 * eval is also run with {@code @ <eval time>} added to its selectors at several other evaluation
 * times, and as a range query around the eval time, and must give the same result each time.
 */
public final class ScriptRunner {
  /** Parses a query (with the options Prometheus's test engine enables). */
  public interface QueryParser {
    Expr parse(String query);
  }

  public enum Status {
    PASSED, FAILED, SKIPPED
  }

  /** The outcome of one eval command. */
  public record Outcome(int line, String expr, Status status, String detail) {}

  /** Per-file results. {@code fatal} is set when the script itself could not be run. */
  public record FileReport(String file, List<Outcome> outcomes, String fatal) {
    public long count(Status s) {
      return outcomes.stream().filter(o -> o.status == s).count();
    }
  }

  static final double EPSILON = 0.000001;
  private static final Pattern QUERY_CONTEXT_FUNCS =
      Pattern.compile("(start|end|range|step)\\(\\)");
  /** Upstream's AtModifierUnsafeFunctions plus the query-context functions. */
  static final Set<String> AT_UNSAFE = Set.of("days_in_month", "day_of_month", "day_of_week",
      "day_of_year", "hour", "minute", "month", "year", "predict_linear", "time", "timestamp",
      "start", "end", "step", "range");

  private final Engine engine;
  private final QueryParser parser;

  public ScriptRunner(Engine engine, QueryParser parser) {
    this.engine = engine;
    this.parser = parser;
  }

  /** Thrown internally for a failed expectation. */
  private static final class EvalFailure extends RuntimeException {
    EvalFailure(String msg) {
      super(msg, null, false, false);
    }
  }

  public FileReport run(String file, String content) {
    List<Outcome> outcomes = new ArrayList<>();
    TestScript script;
    try {
      script = TestScript.parse(content);
    } catch (RuntimeException e) {
      return new FileReport(file, outcomes, "script parse error: " + e.getMessage());
    }
    Storage storage = TestStorage.create();
    List<Labels> startTimestampSeries = new ArrayList<>();
    for (TestScript.Command c : script.commands) {
      if (c instanceof TestScript.Clear) {
        closeQuietly(storage);
        storage = TestStorage.create();
        startTimestampSeries.clear();
      } else if (c instanceof TestScript.Load l) {
        startTimestampSeries.addAll(l.startTimestampSeries());
        try {
          load(storage, l);
        } catch (Exception e) {
          return new FileReport(file, outcomes, "load at line " + l.line() + ": " + e);
        }
      } else if (c instanceof TestScript.Eval ev) {
        outcomes.add(runEval(storage, ev, startTimestampSeries));
      }
    }
    closeQuietly(storage);
    return new FileReport(file, outcomes, null);
  }

  private static void closeQuietly(Storage s) {
    try {
      s.close();
    } catch (Exception e) {
      // nothing to do for in-memory storage
    }
  }

  private static void load(Storage storage, TestScript.Load l) throws Exception {
    Appender app = storage.appender();
    // A later line for the same series replaces an earlier one, as upstream's load map does.
    Map<Labels, SeriesDesc> byLabels = new java.util.LinkedHashMap<>();
    for (SeriesDesc sd : l.series()) {
      byLabels.put(sd.labels, sd);
    }
    for (SeriesDesc sd : byLabels.values()) {
      for (int i = 0; i < sd.values.size(); i++) {
        SeriesDesc.Value v = sd.values.get(i);
        if (v.omitted()) {
          continue;
        }
        if (v.histogram()) {
          app.appendHistogram(0, sd.labels, i * l.gapMs(), null, v.hist());
        } else {
          app.append(0, sd.labels, i * l.gapMs(), v.value());
        }
      }
    }
    if (l.withNhcb()) {
      appendNhcb(app, byLabels.values(), l.gapMs());
    }
    app.commit();
  }

  /**
   * load_with_nhcb: the classic histograms among {@code series} (the _bucket, _count and _sum
   * series of one base name and label set) also become native histograms with custom buckets,
   * one per timestamp, under the base name.
   */
  private static void appendNhcb(Appender app, java.util.Collection<SeriesDesc> series, long gap)
      throws Exception {
    Map<Labels, java.util.TreeMap<Long, ClassicHistogramBuilder>> byBase =
        new java.util.LinkedHashMap<>();
    for (SeriesDesc sd : series) {
      Labels base = nhcbSeries(sd.labels);
      if (base == null) {
        continue;
      }
      String name = sd.labels.metricName();
      double le = Double.NaN;
      if (name.endsWith("_bucket")) {
        try {
          le = GoNumbers.parseFloat(sd.labels.get("le"));
        } catch (RuntimeException e) {
          continue;
        }
        if (Double.isNaN(le)) {
          continue;
        }
      }
      java.util.TreeMap<Long, ClassicHistogramBuilder> byTime =
          byBase.computeIfAbsent(base, x -> new java.util.TreeMap<>());
      for (int i = 0; i < sd.values.size(); i++) {
        SeriesDesc.Value v = sd.values.get(i);
        if (v.omitted() || v.histogram()) {
          continue;
        }
        ClassicHistogramBuilder b = byTime.computeIfAbsent(i * gap,
            x -> new ClassicHistogramBuilder());
        if (name.endsWith("_bucket")) {
          b.bucket(le, v.value());
        } else if (name.endsWith("_count")) {
          b.count(v.value());
        } else {
          b.sum(v.value());
        }
      }
    }
    for (Map.Entry<Labels, java.util.TreeMap<Long, ClassicHistogramBuilder>> e
        : byBase.entrySet()) {
      for (Map.Entry<Long, ClassicHistogramBuilder> p : e.getValue().entrySet()) {
        app.appendHistogram(0, e.getKey(), p.getKey(), null, p.getValue().build());
      }
    }
  }

  /** The native histogram series load_with_nhcb derives from a classic histogram series, or null. */
  static Labels nhcbSeries(Labels m) {
    String name = m.metricName();
    String base;
    if (name.endsWith("_bucket")) {
      if (!m.has("le")) {
        return null;
      }
      base = name.substring(0, name.length() - "_bucket".length());
    } else if (name.endsWith("_count")) {
      base = name.substring(0, name.length() - "_count".length());
    } else if (name.endsWith("_sum")) {
      base = name.substring(0, name.length() - "_sum".length());
    } else {
      return null;
    }
    return m.toBuilder().set(Labels.METRIC_NAME, base).delete("le").build();
  }

  private Outcome runEval(Storage storage, TestScript.Eval cmd,
      List<Labels> startTimestampSeries) {
    Expr expr;
    try {
      expr = parser.parse(cmd.expr);
    } catch (RuntimeException e) {
      return new Outcome(cmd.line, cmd.expr, Status.FAILED, "parse error: " + e.getMessage());
    }
    if (selectsAny(expr, startTimestampSeries)) {
      return new Outcome(cmd.line, cmd.expr, Status.SKIPPED, "start timestamps");
    }
    try {
      if (cmd.range) {
        execRange(storage, cmd, expr);
      } else {
        execInstant(storage, cmd, expr);
      }
      return new Outcome(cmd.line, cmd.expr, Status.PASSED, "");
    } catch (EvalFailure e) {
      return new Outcome(cmd.line, cmd.expr, Status.FAILED, e.getMessage());
    } catch (RuntimeException | StackOverflowError e) {
      return new Outcome(cmd.line, cmd.expr, Status.FAILED, "unexpected " + e);
    }
  }

  static boolean selectsAny(Expr e, List<Labels> series) {
    if (series.isEmpty()) {
      return false;
    }
    List<VectorSelector> sels = new ArrayList<>();
    collectSelectors(e, sels);
    for (VectorSelector vs : sels) {
      for (Labels ls : series) {
        boolean all = true;
        for (Matcher m : vs.matchers()) {
          if (!m.matches(ls.get(m.name()))) {
            all = false;
            break;
          }
        }
        if (all) {
          return true;
        }
      }
    }
    return false;
  }

  private static void collectSelectors(Expr e, List<VectorSelector> out) {
    if (e instanceof VectorSelector vs) {
      out.add(vs);
      return;
    }
    for (Expr c : e.children()) {
      collectSelectors(c, out);
    }
  }

  // -----------------------------------------------------------------------------------------------

  private void execRange(Storage storage, TestScript.Eval cmd, Expr expr) {
    QueryResult res;
    try {
      res = engine.exec(storage, expr, cmd.expr, cmd.start, cmd.end, cmd.step,
          QueryOptions.DEFAULT);
    } catch (PromQLException e) {
      if (cmd.isFail()) {
        checkExpectedFailure(cmd, e);
        return;
      }
      throw new EvalFailure("error evaluating query: " + e.getMessage());
    }
    if (cmd.isFail()) {
      throw new EvalFailure("expected error evaluating query but got none");
    }
    checkAnnotations(cmd, res);
    compareResult(cmd, res.value(), cmd.start, cmd.end, cmd.step);
  }

  private record InstantCase(Expr expr, long time) {}

  private void execInstant(Storage storage, TestScript.Eval cmd, Expr expr) {
    List<InstantCase> cases = new ArrayList<>();
    cases.add(new InstantCase(expr, cmd.evalTime));
    cases.addAll(atModifierCases(expr, cmd.evalTime));
    for (InstantCase ic : cases) {
      runInstant(storage, cmd, ic);
    }
  }

  private void runInstant(Storage storage, TestScript.Eval cmd, InstantCase ic) {
    QueryResult res;
    try {
      res = engine.exec(storage, ic.expr, cmd.expr, ic.time, ic.time, 0, QueryOptions.DEFAULT);
    } catch (PromQLException e) {
      if (cmd.isFail()) {
        checkExpectedFailure(cmd, e);
        return;
      }
      throw new EvalFailure("error evaluating query at t=" + ic.time + ": " + e.getMessage());
    }
    if (cmd.isFail()) {
      throw new EvalFailure("expected error evaluating query at t=" + ic.time
          + " but got none");
    }
    String variant = ic.time == cmd.evalTime ? "" : " (with @ " + ic.time + "ms)";
    try {
      checkAnnotations(cmd, res);
      compareResult(cmd, res.value(), cmd.start, cmd.end, cmd.step);
    } catch (EvalFailure f) {
      throw new EvalFailure(f.getMessage() + variant);
    }
    if (cmd.excludeFromRangeQuery || QUERY_CONTEXT_FUNCS.matcher(cmd.expr).find()) {
      return;
    }
    QueryResult rangeRes;
    try {
      rangeRes = engine.exec(storage, ic.expr, cmd.expr, ic.time - 60_000, ic.time + 60_000,
          60_000, QueryOptions.DEFAULT);
    } catch (PromQLException e) {
      throw new EvalFailure("error evaluating query in range mode" + variant + ": "
          + e.getMessage());
    }
    if (cmd.isOrdered()) {
      return;
    }
    Matrix mat = (Matrix) rangeRes.value();
    assertSorted(mat);
    List<Sample> vec = new ArrayList<>();
    for (SeriesPoints s : mat.series()) {
      for (int i = 0; i < s.count(); i++) {
        if (s.timestampsMs()[i] == ic.time) {
          vec.add(new Sample(s.metric(), ic.time, s.values()[i],
              s.isHistogram(i) ? s.histograms()[i] : null));
          break;
        }
      }
    }
    try {
      if (res.value() instanceof Scalar) {
        if (vec.isEmpty()) {
          throw new EvalFailure("range mode returned no scalar point");
        }
        compareResult(cmd, new Scalar(ic.time, vec.get(0).value()), cmd.start, cmd.end,
            cmd.step);
      } else {
        compareResult(cmd, new Vector(vec), cmd.start, cmd.end, cmd.step);
      }
    } catch (EvalFailure f) {
      throw new EvalFailure(f.getMessage() + " in range mode" + variant);
    }
  }

  /** Upstream's atModifierTestCases: pin every selector to the eval time, move the eval time. */
  private static List<InstantCase> atModifierCases(Expr expr, long ts) {
    boolean[] unsafe = {false};
    Expr rewritten = pinAt(expr, ts, false, unsafe);
    if (unsafe[0]) {
      return List.of();
    }
    long[] times = ts == 0 ? new long[] {-1000, 0, 1000}
        : new long[] {-10 * ts, 0, ts / 5, ts, 10 * ts};
    List<InstantCase> out = new ArrayList<>();
    for (long t : times) {
      out.add(new InstantCase(rewritten, t));
    }
    return out;
  }

  private static Expr pinAt(Expr e, long ts, boolean insideAtSubquery, boolean[] unsafe) {
    if (insideAtSubquery) {
      return e;
    }
    if (e instanceof VectorSelector vs) {
      if (vs.atMode() != AtMode.NONE) {
        return vs;
      }
      return new VectorSelector(vs.name(), vs.matchers(), vs.offsetMs(), AtMode.TIMESTAMP, ts,
          vs.pos(), vs.anchored(), vs.smoothed(), vs.offsetExpr());
    }
    if (e instanceof MatrixSelector m) {
      return new MatrixSelector((VectorSelector) pinAt(m.selector(), ts, false, unsafe),
          m.rangeMs(), m.pos(), m.rangeExpr());
    }
    if (e instanceof SubqueryExpr s) {
      if (s.atMode() != AtMode.NONE) {
        return s;
      }
      return new SubqueryExpr(s.expr(), s.rangeMs(), s.stepMs(), s.offsetMs(), AtMode.TIMESTAMP,
          ts, s.pos(), s.rangeExpr(), s.stepExpr(), s.offsetExpr());
    }
    if (e instanceof Call c) {
      if (AT_UNSAFE.contains(c.func().name())) {
        unsafe[0] = true;
      }
      List<Expr> args = new ArrayList<>();
      for (Expr a : c.args()) {
        args.add(pinAt(a, ts, false, unsafe));
      }
      return new Call(c.func(), args, c.pos());
    }
    if (e instanceof AggregateExpr a) {
      return new AggregateExpr(a.op(), pinAt(a.expr(), ts, false, unsafe),
          a.param() == null ? null : pinAt(a.param(), ts, false, unsafe), a.grouping(),
          a.without(), a.pos());
    }
    if (e instanceof BinaryExpr b) {
      return new BinaryExpr(b.op(), pinAt(b.lhs(), ts, false, unsafe),
          pinAt(b.rhs(), ts, false, unsafe), b.matching(), b.returnBool(), b.pos());
    }
    if (e instanceof ParenExpr p) {
      return new ParenExpr(pinAt(p.expr(), ts, false, unsafe), p.pos());
    }
    if (e instanceof UnaryExpr u) {
      return new UnaryExpr(u.negate(), pinAt(u.expr(), ts, false, unsafe), u.pos());
    }
    return e;
  }

  // -----------------------------------------------------------------------------------------------

  private static void checkExpectedFailure(TestScript.Eval cmd, PromQLException e) {
    String actual = e.getMessage();
    if (cmd.expectedFailMessage != null && !cmd.expectedFailMessage.isEmpty()
        && !cmd.expectedFailMessage.equals(actual)) {
      throw new EvalFailure("expected error \"" + cmd.expectedFailMessage + "\", but got: "
          + actual);
    }
    if (cmd.expectedFailRegexp != null && !cmd.expectedFailRegexp.matches(actual)) {
      throw new EvalFailure("expected error matching pattern \""
          + cmd.expectedFailRegexp.source() + "\", but got: " + actual);
    }
    List<TestScript.Expect> fails = cmd.expects(TestScript.ExpectType.FAIL);
    if (!fails.isEmpty() && !fails.get(0).matches(actual)) {
      throw new EvalFailure("expected error matching \"" + fails.get(0) + "\", but got: "
          + actual);
    }
  }

  private static void checkAnnotations(TestScript.Eval cmd, QueryResult res) {
    List<String> warnings = res.warnings();
    List<String> infos = res.infos();
    if (cmd.legacyWarn && warnings.isEmpty()) {
      throw new EvalFailure("expected warnings but got none");
    }
    if (cmd.legacyInfo && infos.isEmpty()) {
      throw new EvalFailure("expected info annotations but got none");
    }
    validate(cmd.expects(TestScript.ExpectType.WARN), warnings, "warn", res);
    validate(cmd.expects(TestScript.ExpectType.INFO), infos, "info", res);
    if (!cmd.expects(TestScript.ExpectType.NO_WARN).isEmpty() && !warnings.isEmpty()) {
      throw new EvalFailure("unexpected warning annotations: " + warnings);
    }
    if (!cmd.expects(TestScript.ExpectType.NO_INFO).isEmpty() && !infos.isEmpty()) {
      throw new EvalFailure("unexpected info annotations: " + infos);
    }
  }

  private static void validate(List<TestScript.Expect> expected, List<String> actual,
      String type, QueryResult res) {
    if (expected.isEmpty()) {
      return;
    }
    if (actual.isEmpty()) {
      throw new EvalFailure("expected " + type + " annotations but none were found");
    }
    for (TestScript.Expect e : expected) {
      if (actual.stream().noneMatch(e::matches)) {
        throw new EvalFailure("expected " + type + " annotation matching \"" + e
            + "\" but no matching annotation was found, found: warnings=" + res.warnings()
            + " infos=" + res.infos());
      }
    }
    for (String a : actual) {
      if (expected.stream().noneMatch(e -> e.matches(a))) {
        throw new EvalFailure("unexpected " + type + " annotation \"" + a + "\"");
      }
    }
  }

  private static void assertSorted(Matrix m) {
    List<SeriesPoints> s = m.series();
    for (int i = 0; i + 1 < s.size(); i++) {
      if (s.get(i).metric().compareTo(s.get(i + 1).metric()) > 0) {
        throw new EvalFailure("matrix results should always be sorted by labels, but "
            + s.get(i + 1).metric() + " sorts before " + s.get(i).metric());
      }
    }
  }

  static boolean almostEqual(double a, double b) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double minNormal = Double.longBitsToDouble(0x0010000000000000L);
    double absSum = Math.abs(a) + Math.abs(b);
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || absSum < minNormal) {
      return diff < EPSILON * minNormal;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < EPSILON;
  }

  private static void compareResult(TestScript.Eval cmd, Value result, long start, long end,
      long step) {
    if (result instanceof Matrix mat) {
      if (cmd.isOrdered()) {
        throw new EvalFailure("expected ordered result, but query returned a matrix");
      }
      if (cmd.expectScalar) {
        throw new EvalFailure("expected scalar result, but got matrix " + format(mat));
      }
      assertSorted(mat);
      Set<Labels> seen = new HashSet<>();
      for (SeriesPoints s : mat.series()) {
        TestScript.Expected exp = cmd.expected.get(s.metric());
        if (exp == null) {
          throw new EvalFailure("unexpected metric " + s.metric() + " in result, has "
              + formatPoints(s));
        }
        seen.add(s.metric());
        List<Long> ts = new ArrayList<>();
        List<SeriesDesc.Value> vals = new ArrayList<>();
        for (int i = 0; i < exp.values().size(); i++) {
          long t = start + i * step;
          if (t > end) {
            throw new EvalFailure("expected " + exp.values().size() + " points for "
                + s.metric() + ", but query time range cannot return this many points");
          }
          SeriesDesc.Value v = exp.values().get(i);
          if (!v.omitted()) {
            ts.add(t);
            vals.add(v);
          }
        }
        if (ts.size() != s.count()) {
          throw new EvalFailure("expected " + ts.size() + " points for " + s.metric()
              + ", but got " + formatPoints(s));
        }
        for (int i = 0; i < ts.size(); i++) {
          if (ts.get(i) != s.timestampsMs()[i]) {
            throw new EvalFailure("expected value at index " + i + " for " + s.metric()
                + " to have timestamp " + ts.get(i) + ", but it had timestamp "
                + s.timestampsMs()[i] + " (result has " + formatPoints(s) + ")");
          }
          String mismatch = mismatch(vals.get(i), s.values()[i],
              s.isHistogram(i) ? s.histograms()[i] : null);
          if (mismatch != null) {
            throw new EvalFailure("at index " + i + " (t=" + s.timestampsMs()[i] + ") for "
                + s.metric() + ": " + mismatch + " (result has " + formatPoints(s) + ")");
          }
        }
      }
      for (Labels l : cmd.expected.keySet()) {
        if (!seen.contains(l)) {
          throw new EvalFailure("expected metric " + l + " not found; got " + format(mat));
        }
      }
    } else if (result instanceof Vector vec) {
      if (cmd.expectScalar) {
        throw new EvalFailure("expected scalar result, but got vector " + format(vec));
      }
      Set<Labels> seen = new HashSet<>();
      int pos = 0;
      for (Sample s : vec.samples()) {
        pos++;
        TestScript.Expected exp = cmd.expected.get(s.metric());
        if (exp == null) {
          throw new EvalFailure("unexpected metric " + s.metric() + " in result, has value "
              + s.value() + "; got " + format(vec));
        }
        if (cmd.isOrdered() && exp.pos() != pos) {
          throw new EvalFailure("expected metric " + s.metric() + " at position " + exp.pos()
              + " but was at " + pos + "; got " + format(vec));
        }
        String mismatch = mismatch(exp.values().get(0), s.value(), s.histogram());
        if (mismatch != null) {
          throw new EvalFailure("for " + s.metric() + ": " + mismatch);
        }
        seen.add(s.metric());
      }
      for (Map.Entry<Labels, TestScript.Expected> e : cmd.expected.entrySet()) {
        if (!seen.contains(e.getKey())) {
          throw new EvalFailure("expected metric " + e.getKey() + " with "
              + describe(e.getValue().values().get(0)) + " not found; got " + format(vec));
        }
      }
    } else if (result instanceof Scalar sc) {
      if (!cmd.expectScalar) {
        throw new EvalFailure("expected vector or matrix result, but got scalar "
            + sc.value());
      }
      if (!almostEqual(cmd.scalar, sc.value())) {
        throw new EvalFailure("expected scalar " + cmd.scalar + " but got " + sc.value());
      }
    } else if (result instanceof StringValue sv) {
      if (!java.util.Objects.equals(cmd.expectedString, sv.value())) {
        throw new EvalFailure("expected string \"" + cmd.expectedString + "\" but got \""
            + sv.value() + "\"");
      }
    }
  }

  /** Why an actual float or histogram differs from the expected value, or null if it does not. */
  static String mismatch(SeriesDesc.Value want, double f, FloatHistogram h) {
    if (want.histogram()) {
      if (h == null) {
        return "expected histogram " + want.hist() + " but got float " + f;
      }
      if (!ExpectedHistograms.matches(want.hist(), h, want.hintSet())) {
        return "expected histogram " + want.hist() + " but got " + h;
      }
      return null;
    }
    if (h != null) {
      return "expected float " + want.value() + " but got histogram " + h;
    }
    return almostEqual(want.value(), f) ? null : "expected " + want.value() + " but got " + f;
  }

  private static String describe(SeriesDesc.Value v) {
    return v.histogram() ? v.hist().toString() : String.valueOf(v.value());
  }

  private static String format(Vector v) {
    StringBuilder sb = new StringBuilder("[");
    for (Sample s : v.samples()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(s.metric()).append(" => ")
          .append(s.isHistogram() ? s.histogram() : String.valueOf(s.value()));
    }
    return sb.append(']').toString();
  }

  private static String format(Matrix m) {
    StringBuilder sb = new StringBuilder("[");
    for (SeriesPoints s : m.series()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(s.metric()).append(" => ").append(formatPoints(s));
    }
    return sb.append(']').toString();
  }

  private static String formatPoints(SeriesPoints s) {
    StringBuilder sb = new StringBuilder();
    sb.append(s.count()).append(" points [");
    for (int i = 0; i < s.count(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(s.isHistogram(i) ? s.histograms()[i] : String.valueOf(s.values()[i]))
          .append(" @").append(s.timestampsMs()[i]);
    }
    return sb.append(']').toString();
  }
}
