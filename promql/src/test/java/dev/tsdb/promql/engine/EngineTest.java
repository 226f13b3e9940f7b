package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.ast.AggregateExpr;
import dev.tsdb.promql.ast.AggregateOp;
import dev.tsdb.promql.ast.AtMode;
import dev.tsdb.promql.ast.BinaryExpr;
import dev.tsdb.promql.ast.BinaryOp;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.ExprType;
import dev.tsdb.promql.ast.Function;
import dev.tsdb.promql.ast.MatrixSelector;
import dev.tsdb.promql.ast.NumberLiteral;
import dev.tsdb.promql.ast.PosRange;
import dev.tsdb.promql.ast.SubqueryExpr;
import dev.tsdb.promql.ast.VectorMatching;
import dev.tsdb.promql.ast.VectorSelector;
import dev.tsdb.promql.value.Matrix;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.promql.value.Scalar;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.testkit.MemStorage;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Engine behaviour on hand-built expressions (the parser lives on another branch). */
class EngineTest {
  private static final PosRange P = new PosRange(0, 0);
  private MemStorage storage;
  private Engine engine;

  @BeforeEach
  void setUp() throws Exception {
    storage = new MemStorage();
    Appender app = storage.appender();
    // foo_total{job="a"} 0 10 20 ... every minute for 20 minutes; job="b" twice the rate.
    for (int i = 0; i <= 20; i++) {
      app.append(0, Labels.of("__name__", "foo_total", "job", "a"), i * 60_000L, i * 10);
      app.append(0, Labels.of("__name__", "foo_total", "job", "b"), i * 60_000L, i * 20);
    }
    app.commit();
    engine = new Engine(EngineOptions.DEFAULT, q -> {
      throw new UnsupportedOperationException();
    });
  }

  static VectorSelector sel(String name) {
    return new VectorSelector(name, List.of(Matcher.eq("__name__", name)), 0, AtMode.NONE, 0, P);
  }

  static Function fn(String name, ExprType ret, ExprType... args) {
    return new Function(name, List.of(args), 0, ret, false);
  }

  private QueryResult instant(Expr e, long t) {
    return engine.exec(storage, e, "", t, t, 0, QueryOptions.DEFAULT);
  }

  @Test
  void vectorSelectorHonoursLookback() {
    Vector v = (Vector) instant(sel("foo_total"), 10 * 60_000L).value();
    assertEquals(2, v.samples().size());
    assertEquals(100, v.samples().get(0).value());
    // 5m lookback: at 25m the last sample (20m) is exactly 5m old and excluded (left-open).
    assertEquals(0, ((Vector) instant(sel("foo_total"), 25 * 60_000L).value()).samples().size());
    assertEquals(2, ((Vector) instant(sel("foo_total"), 25 * 60_000L - 1).value()).samples()
        .size());
  }

  @Test
  void rateExtrapolates() {
    Expr e = new Call(fn("rate", ExprType.VECTOR, ExprType.MATRIX),
        List.of(new MatrixSelector(sel("foo_total"), 5 * 60_000L, P)), P);
    Vector v = (Vector) instant(e, 10 * 60_000L).value();
    assertEquals(2, v.samples().size());
    Sample a = v.samples().get(0);
    assertEquals(Labels.of("job", "a"), a.metric());
    assertEquals(10.0 / 60, a.value(), 1e-12);
  }

  @Test
  void sumByJobOverRange() {
    Expr e = new AggregateExpr(AggregateOp.SUM, sel("foo_total"), null, List.of(), false, P);
    QueryResult r = engine.exec(storage, e, "", 0, 10 * 60_000L, 60_000L, QueryOptions.DEFAULT);
    Matrix m = (Matrix) r.value();
    assertEquals(1, m.series().size());
    assertEquals(11, m.series().get(0).count());
    assertEquals(300, m.series().get(0).values()[10]);
  }

  @Test
  void binaryOneToOneAndScalar() {
    Expr e = new BinaryExpr(BinaryOp.MUL, sel("foo_total"), new NumberLiteral(2, P), null, false,
        P);
    Vector v = (Vector) instant(e, 60_000L).value();
    assertEquals(20, v.samples().get(0).value());
    assertEquals(Labels.of("job", "a"), v.samples().get(0).metric());
    Expr dup = new BinaryExpr(BinaryOp.ADD, sel("foo_total"), sel("foo_total"),
        new VectorMatching(VectorMatching.Cardinality.ONE_TO_ONE, List.of(), true, List.of()),
        false, P);
    PromQLException ex = assertThrows(PromQLException.class, () -> instant(dup, 60_000L));
    assertTrue(ex.getMessage().startsWith("found duplicate series for the match group {}"),
        ex.getMessage());
    assertEquals(ErrorType.EXECUTION, ex.type());
  }

  @Test
  void subqueryAlignsToAbsoluteSteps() {
    Expr sq = new SubqueryExpr(sel("foo_total"), 5 * 60_000L, 2 * 60_000L, 0, AtMode.NONE, 0, P);
    Expr e = new Call(fn("count_over_time", ExprType.VECTOR, ExprType.MATRIX), List.of(sq), P);
    Vector v = (Vector) instant(e, 10 * 60_000L + 30_000L).value();
    // Steps at 6m, 8m, 10m are inside (5m30s, 10m30s].
    assertEquals(3, v.samples().get(0).value());
  }

  @Test
  void scalarResultAndMaxSamples() {
    Expr e = new BinaryExpr(BinaryOp.ADD, new NumberLiteral(1, P), new NumberLiteral(2, P), null,
        false, P);
    assertEquals(3, ((Scalar) instant(e, 0).value()).value());
    Engine small = new Engine(EngineOptions.DEFAULT.withMaxSamples(5), q -> null);
    PromQLException ex = assertThrows(PromQLException.class,
        () -> small.exec(storage, sel("foo_total"), "", 0, 10 * 60_000L, 60_000L,
            QueryOptions.DEFAULT));
    assertEquals("query processing would load too many samples into memory in query execution",
        ex.getMessage());
  }
}
