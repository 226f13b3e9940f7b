package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.promql.QueryStats;
import dev.tsdb.testkit.MemStorage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stats of a query: samples read and peak held (as far as the engine's accounting for
 * {@code --query.max-samples} agrees with Prometheus's), checked against what Prometheus 3.5.3
 * reported for the same queries over one series scraped every second (the numbers in the
 * comments), and timings that add up.
 */
class QueryStatsTest {
  static MemStorage storage;
  static final Engine ENGINE = new Engine(EngineOptions.DEFAULT);
  /** Half a second after the 60th sample, as Prometheus's instant query at a scrape + 0.5s. */
  static final long AT = 60_500;

  @BeforeAll
  static void load() throws Exception {
    storage = new MemStorage();
    Appender app = storage.appender();
    for (int j = 0; j <= 120; j++) {
      app.append(0, Labels.of("__name__", "up", "job", "self"), j * 1000L, 1);
    }
    app.commit();
  }

  private static QueryStats instant(String q) {
    return ENGINE.instantQuery(storage, q, AT, null).stats();
  }

  @Test
  void samplesReadAsPrometheusCountsThem() {
    assertEquals(1, instant("up").totalQueryableSamples());
    assertEquals(5, instant("up[5s]").totalQueryableSamples());
    assertEquals(5, instant("rate(up[5s])").totalQueryableSamples());
    assertEquals(1, instant("sum(up)").totalQueryableSamples());
    assertEquals(2, instant("up + up").totalQueryableSamples());
    // Only the function's windows over the subquery count, not what the subquery read.
    assertEquals(5, instant("max_over_time(up[5s:1s])").totalQueryableSamples());
    assertEquals(5, instant("max_over_time(rate(up[3s])[5s:1s])").totalQueryableSamples());
    assertEquals(5, instant("up[5s:1s]").totalQueryableSamples());
    QueryStats range = ENGINE.rangeQuery(storage, "rate(up[5s])", AT - 9000, AT, 1000, null)
        .stats();
    assertEquals(50, range.totalQueryableSamples());
  }

  @Test
  void peakSamples() {
    assertEquals(1, instant("up").peakSamples());
    assertEquals(5, instant("up[5s]").peakSamples());
    assertEquals(6, instant("rate(up[5s])").peakSamples());
    // Where this engine holds more at once than Prometheus counts (an aggregation holds its
    // inputs and its output here: 2, Prometheus says 1), the peak follows --query.max-samples.
    assertEquals(2, instant("sum(up)").peakSamples());
  }

  @Test
  void timingsAreConsistent() {
    QueryStats.Timings t = ENGINE.rangeQuery(storage, "sum(rate(up[5s]))", 0, 120_000, 1000,
        null).stats().timings();
    assertTrue(t.innerEvalTime() > 0, t.toString());
    assertTrue(t.evalTotalTime() >= t.innerEvalTime() + t.queryPreparationTime(), t.toString());
    assertTrue(t.execTotalTime() >= t.evalTotalTime(), t.toString());
    assertTrue(t.execQueueTime() >= 0 && t.resultSortTime() >= 0, t.toString());
  }
}
