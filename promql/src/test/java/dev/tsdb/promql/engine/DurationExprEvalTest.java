package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.value.Matrix;
import dev.tsdb.promql.value.SeriesPoints;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.testkit.MemStorage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Duration expressions ({@code promql-duration-expr}) resolved per query before evaluation. */
class DurationExprEvalTest {
  private MemStorage storage;
  private final Engine engine = new Engine(EngineOptions.DEFAULT.withExtendedSyntax(true));

  @BeforeEach
  void setUp() throws Exception {
    storage = new MemStorage();
    Appender app = storage.appender();
    // c_total = t in seconds, one sample per second for 100s.
    for (int i = 0; i <= 100; i++) {
      app.append(0, Labels.of("__name__", "c_total"), i * 1000L, i);
    }
    app.commit();
  }

  private double[] range(String q, long start, long end, long step) {
    Matrix m = (Matrix) engine.rangeQuery(storage, q, start, end, step, QueryOptions.DEFAULT)
        .value();
    assertEquals(1, m.series().size(), q);
    SeriesPoints s = m.series().get(0);
    double[] out = new double[s.count()];
    System.arraycopy(s.values(), 0, out, 0, s.count());
    return out;
  }

  private double instant(String q, long t) {
    Vector v = (Vector) engine.instantQuery(storage, q, t, QueryOptions.DEFAULT).value();
    assertEquals(1, v.samples().size(), q);
    return v.samples().get(0).value();
  }

  @Test
  void constantExpressionsInRangesOffsetsAndSubqueries() {
    assertEquals(30, instant("count_over_time(c_total[20s+10s])", 50_000L));
    assertEquals(40, instant("c_total offset (5s*2)", 50_000L));
    assertEquals(60, instant("c_total offset -(5s*2)", 50_000L));
    // Offset binds tighter than the operator without parentheses: (c_total offset 5) * 2.
    assertEquals(90, instant("c_total offset 5 * 2", 50_000L));
    assertEquals(3, instant("count_over_time(c_total[29s+1s:5s*2])", 50_000L));
  }

  @Test
  void stepAndRangeFollowTheQuery() {
    assertArrayEquals(new double[] {10, 10}, range("count_over_time(c_total[step()])", 50_000L,
        60_000L, 10_000L));
    assertArrayEquals(new double[] {45, 50, 55}, range("c_total offset step()", 50_000L, 60_000L,
        5_000L));
    assertArrayEquals(new double[] {40, 45, 50}, range("c_total offset range()", 50_000L,
        60_000L, 5_000L));
    assertArrayEquals(new double[] {49, 54, 59}, range("c_total offset min_of(step(), 1s)",
        50_000L, 60_000L, 5_000L));
    // Subquery step from the query step; @ end() still pins the inner selector.
    assertArrayEquals(new double[] {3, 3}, range("count_over_time(c_total[3*step():step()])",
        50_000L, 60_000L, 10_000L));
    assertArrayEquals(new double[] {50, 50}, range("c_total @ end() offset range()", 50_000L,
        70_000L, 20_000L));
    // Instant queries: step() and range() are 0.
    assertEquals(50, instant("c_total offset range()", 50_000L));
  }

  @Test
  void invalidDurationsAreBadData() {
    PromQLException zero = assertThrows(PromQLException.class,
        () -> engine.instantQuery(storage, "count_over_time(c_total[step()])", 50_000L,
            QueryOptions.DEFAULT));
    assertEquals(ErrorType.BAD_DATA, zero.type());
    assertEquals("duration must be greater than 0", zero.getMessage());
    PromQLException div = assertThrows(PromQLException.class,
        () -> engine.instantQuery(storage, "c_total offset (1s / range())", 50_000L,
            QueryOptions.DEFAULT));
    assertEquals("division by zero", div.getMessage());
  }
}
