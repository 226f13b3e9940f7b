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
import dev.tsdb.promql.value.Vector;
import dev.tsdb.promql.ast.AggregateExpr;
import dev.tsdb.promql.ast.AggregateOp;
import dev.tsdb.promql.ast.AtMode;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.PosRange;
import dev.tsdb.promql.ast.StringLiteral;
import dev.tsdb.promql.ast.SubqueryExpr;
import dev.tsdb.promql.ast.UnaryExpr;
import dev.tsdb.promql.ast.VectorSelector;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Queryable;
import dev.tsdb.testkit.MemStorage;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Timeouts, the sample limit, the concurrency queue and nesting limits. */
class EngineLimitsTest {
  private static final PosRange P = PosRange.NONE;

  private static VectorSelector sel(String name) {
    return new VectorSelector(name, List.of(Matcher.eq("__name__", name)), 0, AtMode.NONE, 0, P);
  }

  private static MemStorage storage(int series, int samples) throws Exception {
    MemStorage s = new MemStorage();
    Appender app = s.appender();
    for (int i = 0; i < series; i++) {
      for (int j = 0; j < samples; j++) {
        app.append(0, Labels.of("__name__", "m", "i", Integer.toString(i)), j * 1000L, i * 1000 + j);
      }
    }
    app.commit();
    return s;
  }

  @Test
  void timeoutEndsWithTimeoutError() throws Exception {
    MemStorage s = storage(50, 3600);
    Engine engine = new Engine(EngineOptions.DEFAULT.withTimeoutMs(1), q -> null);
    // A fine-grained subquery over a large range keeps the evaluator busy well past 1ms.
    Expr e = new SubqueryExpr(sel("m"), 3_600_000L, 1000L, 0, AtMode.NONE, 0, P);
    Expr sum = new AggregateExpr(AggregateOp.SUM, sel("m"), null, List.of("i"), false, P);
    PromQLException ex = assertThrows(PromQLException.class, () -> {
      for (int i = 0; i < 50; i++) {
        engine.exec(s, sum, "", 0, 3_600_000L, 1000L, QueryOptions.DEFAULT);
        engine.exec(s, e, "", 3_600_000L, 3_600_000L, 0, QueryOptions.DEFAULT);
      }
    });
    // Where the 1 ms run out decides the error, as in Prometheus: while expanding the series
    // (storage's context error, "execution") or while evaluating (a timeout).
    if (ex.type() == ErrorType.EXECUTION) {
      assertEquals("expanding series: context deadline exceeded", ex.getMessage());
    } else {
      assertEquals(ErrorType.TIMEOUT, ex.type());
      assertTrue(ex.getMessage().startsWith("query timed out in "), ex.getMessage());
    }
  }

  @Test
  void countValuesExplosionHitsSampleLimit() throws Exception {
    MemStorage s = storage(2000, 1);
    Engine engine = new Engine(EngineOptions.DEFAULT.withMaxSamples(1000), q -> null);
    Expr e = new AggregateExpr(AggregateOp.COUNT_VALUES, sel("m"), new StringLiteral("v", P),
        List.of(), false, P);
    PromQLException ex = assertThrows(PromQLException.class,
        () -> engine.exec(s, e, "", 0, 0, 0, QueryOptions.DEFAULT));
    assertEquals("query processing would load too many samples into memory in query execution",
        ex.getMessage());
    assertEquals(ErrorType.EXECUTION, ex.type());
  }

  @Test
  void hugeSubqueryIsRejectedNotAllocated() throws Exception {
    MemStorage s = storage(1, 10);
    Engine engine = new Engine(EngineOptions.DEFAULT.withMaxSamples(1_000_000), q -> null);
    // 100 years at 1ms resolution.
    Expr e = new SubqueryExpr(sel("m"), 100L * 365 * 24 * 3_600_000L, 1, 0, AtMode.NONE, 0, P);
    PromQLException ex = assertThrows(PromQLException.class,
        () -> engine.exec(s, e, "", 0, 0, 0, QueryOptions.DEFAULT));
    assertEquals(ErrorType.EXECUTION, ex.type());
  }

  @Test
  void deepNestingEvaluatesOnALargeStackUpToTheLimit() throws Exception {
    MemStorage s = storage(1, 1);
    Engine engine = new Engine(EngineOptions.DEFAULT, q -> null);
    Expr e = sel("m");
    for (int i = 0; i < 20_000; i++) {
      e = new UnaryExpr(true, e, P);
    }
    Expr deep = e;
    // An even number of negations: the value is unchanged.
    QueryResult r = engine.exec(s, deep, "", 0, 0, 0, QueryOptions.DEFAULT);
    assertEquals(0.0, ((Vector) r.value()).samples().get(0).value());
    for (int i = 0; i < 100_000; i++) {
      e = new UnaryExpr(true, e, P);
    }
    Expr tooDeep = e;
    PromQLException ex = assertThrows(PromQLException.class,
        () -> engine.exec(s, tooDeep, "", 0, 0, 0, QueryOptions.DEFAULT));
    assertEquals(ErrorType.BAD_DATA, ex.type());
  }

  @Test
  void queriesBeyondMaxConcurrencyWaitAndTimeOutInQueue() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MemStorage mem = storage(1, 1);
    Queryable blocking = (mint, maxt) -> {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return mem.querier(mint, maxt);
    };
    Engine engine = new Engine(EngineOptions.DEFAULT.withMaxConcurrency(1), q -> null);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> first = pool.submit(() ->
          engine.exec(blocking, sel("m"), "", 0, 0, 0, QueryOptions.DEFAULT));
      assertTrue(entered.await(5, TimeUnit.SECONDS));
      // Prometheus 3.5: the request's timeout parameter bounds the wait; the API reports it as
      // invalid parameter "query": context deadline exceeded (400).
      PromQLException ex = assertThrows(PromQLException.class,
          () -> engine.exec(mem, sel("m"), "", 0, 0, 0, new QueryOptions(0, 200, 200)));
      assertEquals(ErrorType.BAD_DATA, ex.type());
      assertEquals("context deadline exceeded", ex.getMessage());
      release.countDown();
      first.get(5, TimeUnit.SECONDS);
      // The slot is free again.
      engine.exec(mem, sel("m"), "", 0, 0, 0, QueryOptions.DEFAULT);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }
}
