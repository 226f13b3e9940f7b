package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.QueryCancellation;
import dev.tsdb.index.storage.Queryable;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.ast.AtMode;
import dev.tsdb.promql.ast.PosRange;
import dev.tsdb.promql.ast.VectorSelector;
import dev.tsdb.testkit.EndlessStorage;
import dev.tsdb.testkit.MemStorage;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Queries built so that one stage dominates (matching postings, decoding a long range) stop in
 * about their timeout, or when their client goes away, with Prometheus's errors, and free their
 * slot.
 */
class EngineCancellationTest {
  private static final PosRange P = PosRange.NONE;
  private static final long TIMEOUT_MS = 500;
  /** Generous for CI: the query must answer well before this. */
  private static final long ANSWER_WITHIN_MS = 5_000;

  private static VectorSelector sel(String name) {
    return new VectorSelector(name, List.of(Matcher.eq("__name__", name)), 0, AtMode.NONE, 0, P);
  }

  /** Storage whose select spins like postings matching over endless label values. */
  private static Queryable endlessPostings() {
    return (mint, maxt) -> new StubQuerier() {
      @Override
      public SeriesSet select(boolean sorted, dev.tsdb.index.storage.SelectHints hints,
          Matcher... matchers) {
        for (long i = 0; ; i++) {
          QueryCancellation.checkEvery(i);
        }
      }
    };
  }

  /** One series with a sample every millisecond, forever: decoding never ends by itself. */
  private static Queryable endlessSamples() {
    return new EndlessStorage(false);
  }

  /** count_over_time(m[10y]) at 10y: 3e11 samples, decoded one by one. */
  private static final String LONG_RANGE = "count_over_time(m[10y])";
  private static final long AT = 10L * 365 * 86_400_000L;

  private static PromQLException timed(Engine engine, Queryable q, String query) {
    long t0 = System.nanoTime();
    PromQLException ex = assertThrows(PromQLException.class,
        () -> engine.instantQuery(q, query, AT, new QueryOptions(0, TIMEOUT_MS)));
    long tookMs = (System.nanoTime() - t0) / 1_000_000L;
    assertTrue(tookMs < ANSWER_WITHIN_MS, "answered after " + tookMs + " ms");
    return ex;
  }

  @Test
  void timeoutWhileMatchingPostingsIsPrometheusExpansionError() {
    Engine engine = new Engine(EngineOptions.DEFAULT.withMaxConcurrency(1));
    PromQLException ex = timed(engine, endlessPostings(), "m");
    // Prometheus 3.5 reports storage's context error as is: 422 "execution".
    assertEquals(ErrorType.EXECUTION, ex.type());
    assertEquals("expanding series: context deadline exceeded", ex.getMessage());
    assertSlotFree(engine);
  }

  @Test
  void timeoutWhileDecodingALongRangeIsTimeoutError() {
    Engine engine = new Engine(EngineOptions.DEFAULT.withMaxConcurrency(1)
        .withMaxSamples(Long.MAX_VALUE));
    PromQLException ex = timed(engine, endlessSamples(), LONG_RANGE);
    assertEquals(ErrorType.TIMEOUT, ex.type());
    assertEquals("query timed out in expression evaluation", ex.getMessage());
    assertSlotFree(engine);
  }

  @Test
  void longRangeHitsTheSampleLimit() {
    Engine engine = new Engine(EngineOptions.DEFAULT.withMaxSamples(1_000_000));
    PromQLException ex = timed(engine, endlessSamples(), LONG_RANGE);
    assertEquals(ErrorType.EXECUTION, ex.type());
    assertEquals("query processing would load too many samples into memory in query execution",
        ex.getMessage());
  }

  @Test
  void clientGoneStopsTheQueryAsCanceled() throws Exception {
    Engine engine = new Engine(EngineOptions.DEFAULT.withMaxConcurrency(1)
        .withTimeoutMs(60_000).withMaxSamples(Long.MAX_VALUE));
    QueryCancellation request = QueryCancellation.create();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<PromQLException> f = pool.submit(() -> {
        try (QueryCancellation.Scope s = request.enter()) {
          return assertThrows(PromQLException.class, () -> engine.instantQuery(endlessSamples(),
              LONG_RANGE, AT, QueryOptions.DEFAULT));
        }
      });
      Thread.sleep(200);
      long t0 = System.nanoTime();
      request.cancel();
      PromQLException ex = f.get(ANSWER_WITHIN_MS, TimeUnit.MILLISECONDS);
      assertTrue((System.nanoTime() - t0) / 1_000_000L < ANSWER_WITHIN_MS);
      assertEquals(ErrorType.CANCELED, ex.type());
      assertEquals("query was canceled in expression evaluation", ex.getMessage());
      assertSlotFree(engine);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void queuedQueryWithoutRequestTimeoutWaitsForASlot() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MemStorage mem = new MemStorage();
    var app = mem.appender();
    app.append(0, Labels.of("__name__", "m"), 0, 1);
    app.commit();
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
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> first = pool.submit(() ->
          engine.exec(blocking, sel("m"), "", 0, 0, 0, QueryOptions.DEFAULT));
      assertTrue(entered.await(5, TimeUnit.SECONDS));
      // --query.timeout alone does not bound the wait (Prometheus 3.5 starts it after the queue).
      Future<?> second = pool.submit(() ->
          engine.exec(mem, sel("m"), "", 0, 0, 0, new QueryOptions(0, 100)));
      Thread.sleep(300);
      assertTrue(!second.isDone());
      release.countDown();
      first.get(5, TimeUnit.SECONDS);
      second.get(5, TimeUnit.SECONDS);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void queuedQueryOfAGoneClientLeavesTheQueue() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MemStorage mem = new MemStorage();
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
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      pool.submit(() -> engine.exec(blocking, sel("m"), "", 0, 0, 0, QueryOptions.DEFAULT));
      assertTrue(entered.await(5, TimeUnit.SECONDS));
      QueryCancellation request = QueryCancellation.create();
      Future<PromQLException> second = pool.submit(() -> {
        try (QueryCancellation.Scope s = request.enter()) {
          return assertThrows(PromQLException.class,
              () -> engine.exec(mem, sel("m"), "", 0, 0, 0, QueryOptions.DEFAULT));
        }
      });
      Thread.sleep(100);
      request.cancel();
      PromQLException ex = second.get(2, TimeUnit.SECONDS);
      assertEquals(ErrorType.BAD_DATA, ex.type());
      assertEquals("context canceled", ex.getMessage());
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  private static void assertSlotFree(Engine engine) {
    MemStorage mem = new MemStorage();
    engine.exec(mem, sel("m"), "", 0, 0, 0, new QueryOptions(0, 1000, 1000));
  }

  private abstract static class StubQuerier implements Querier {
    @Override
    public List<String> labelValues(String name, Matcher... matchers) {
      return List.of();
    }

    @Override
    public List<String> labelNames(Matcher... matchers) {
      return List.of();
    }

    @Override
    public void close() {}
  }
}
