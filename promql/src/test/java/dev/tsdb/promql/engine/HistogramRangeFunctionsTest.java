package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.testkit.MemStorage;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Range-vector functions over native histograms, through the parser and a real engine. */
class HistogramRangeFunctionsTest {
  private MemStorage storage;
  private final Engine engine = new Engine(EngineOptions.DEFAULT.withExperimentalFunctions(true)
      .withExtendedSyntax(true));

  /** A schema-0 histogram with all observations in bucket 1 (upper bound 2). */
  private static FloatHistogram hist(double count, CounterResetHint hint) {
    FloatHistogram h = new FloatHistogram();
    h.counterResetHint = hint;
    h.count = count;
    h.sum = count;
    h.positiveSpans = new int[] {1, 1};
    h.positiveBuckets = new double[] {count};
    return h;
  }

  private static FloatHistogram hist(double count) {
    return hist(count, CounterResetHint.UNKNOWN);
  }

  @BeforeEach
  void setUp() throws Exception {
    storage = new MemStorage();
    Appender app = storage.appender();
    Labels counter = Labels.of("__name__", "lat");
    Labels gauge = Labels.of("__name__", "queue");
    Labels mixed = Labels.of("__name__", "mixed");
    Labels reset = Labels.of("__name__", "reset_hist");
    for (int i = 0; i <= 10; i++) {
      long t = i * 60_000L;
      // lat: +6 observations per minute.
      app.appendHistogram(0, counter, t, null, hist(6 * i));
      app.appendHistogram(0, gauge, t, null, hist(i % 2 == 0 ? 10 : 4, CounterResetHint.GAUGE));
      if (i < 5) {
        app.append(0, mixed, t, i);
      } else {
        app.appendHistogram(0, mixed, t, null, hist(i));
      }
      // reset_hist: 10 20 30 40 50 then 5 15 25 ... (a reset at 5m).
      app.appendHistogram(0, reset, t, null, hist(i < 5 ? 10 * (i + 1) : 10 * (i - 5) + 5));
    }
    app.commit();
  }

  private QueryResult instant(String q, long t) {
    return engine.instantQuery(storage, q, t, QueryOptions.DEFAULT);
  }

  private static List<Sample> samples(QueryResult r) {
    return ((Vector) r.value()).samples();
  }

  private static FloatHistogram onlyHistogram(QueryResult r) {
    List<Sample> s = samples(r);
    assertEquals(1, s.size(), s.toString());
    assertNotNull(s.get(0).histogram(), s.toString());
    return s.get(0).histogram();
  }

  @Test
  void rateAndIncreaseOfCounterHistogramsAreGaugeHistograms() {
    QueryResult r = instant("increase(lat[5m])", 600_000L);
    FloatHistogram inc = onlyHistogram(r);
    // 4 intervals of 6 in the window, extrapolated to the 5m range: 24 * 5/4.
    assertEquals(30, inc.count, 1e-9);
    assertEquals(30, inc.positiveBuckets[0], 1e-9);
    assertEquals(CounterResetHint.GAUGE, inc.counterResetHint);
    assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    assertTrue(r.infos().isEmpty(), "no non-counter-name info for histogram output");
    assertEquals(0.1, onlyHistogram(instant("rate(lat[5m])", 600_000L)).count, 1e-9);
    assertEquals(0.1, onlyHistogram(instant("irate(lat[5m])", 600_000L)).count, 1e-9);
  }

  @Test
  void increaseAddsBackTheHistogramBeforeAReset() {
    // Window (3m, 9m]: 50 | 5 15 25 35 45 -> (45 - 50) + 50 = 45 over 300s, x 360/300.
    assertEquals(54, onlyHistogram(instant("increase(reset_hist[6m])", 540_000L)).count, 1e-9);
    assertEquals(1.0, samples(instant("resets(reset_hist[6m])", 540_000L)).get(0).value());
    assertEquals(5.0, samples(instant("changes(reset_hist[6m])", 540_000L)).get(0).value());
  }

  @Test
  void counterAndGaugeHintsAreChecked() {
    QueryResult rate = instant("rate(queue[5m])", 600_000L);
    assertEquals(List.of("PromQL warning: this native histogram metric is not a counter: "
        + "\"queue\" (1:6)"), rate.warnings());
    QueryResult delta = instant("delta(lat[5m])", 600_000L);
    assertEquals(List.of("PromQL warning: this native histogram metric is not a gauge: "
        + "\"lat\" (1:7)"), delta.warnings());
    assertEquals(30, onlyHistogram(delta).count, 1e-9);
    QueryResult idelta = instant("idelta(queue[5m])", 600_000L);
    assertTrue(idelta.warnings().isEmpty(), idelta.warnings().toString());
    assertEquals(6, onlyHistogram(idelta).count, 1e-9);
  }

  @Test
  void aMixOfFloatsAndHistogramsGivesNoRateButAWarning() {
    QueryResult r = instant("rate(mixed[5m])", 360_000L);
    assertTrue(samples(r).isEmpty());
    assertEquals(List.of("PromQL warning: encountered a mix of histograms and floats for metric "
        + "name \"mixed\" (1:6)"), r.warnings());
    assertTrue(samples(instant("sum_over_time(mixed[5m])", 360_000L)).isEmpty());
    assertEquals(5.0, samples(instant("count_over_time(mixed[5m])", 360_000L)).get(0).value());
    assertEquals(2.0, samples(instant("changes(mixed[3m])", 360_000L)).get(0).value(),
        "a change of kind counts (4 -> h5), then h5 -> h6");
  }

  @Test
  void floatOnlyFunctionsIgnoreHistogramsWithAnInfo() {
    QueryResult max = instant("max_over_time(mixed[5m])", 360_000L);
    assertEquals(4.0, samples(max).get(0).value());
    assertEquals(List.of("PromQL info: ignored histograms in a range containing both floats and "
        + "histograms for metric name \"mixed\" (1:15)"), max.infos());
    assertTrue(samples(instant("max_over_time(lat[5m])", 600_000L)).isEmpty());
    assertTrue(samples(instant("deriv(lat[5m])", 600_000L)).isEmpty());
    assertTrue(samples(instant("quantile_over_time(0.5, lat[5m])", 600_000L)).isEmpty());
  }

  @Test
  void sumAvgLastAndFirstOverTimeReturnHistograms() {
    assertEquals(6 * (6 + 7 + 8 + 9 + 10),
        onlyHistogram(instant("sum_over_time(lat[5m])", 600_000L)).count, 1e-9);
    assertEquals(48, onlyHistogram(instant("avg_over_time(lat[5m])", 600_000L)).count, 1e-9);
    List<Sample> last = samples(instant("last_over_time(lat[5m])", 600_000L));
    assertEquals("lat", last.get(0).metric().metricName(), "last_over_time keeps the name");
    assertEquals(60, last.get(0).histogram().count);
    assertEquals(36, onlyHistogram(instant("first_over_time(lat[5m])", 600_000L)).count);
    assertEquals(600.0, samples(instant("ts_of_last_over_time(lat[5m])", 600_000L)).get(0)
        .value());
  }

  @Test
  void subqueryForgetsResetHints() throws Exception {
    Appender app = storage.appender();
    Labels l = Labels.of("__name__", "hinted");
    app.appendHistogram(0, l, 0, null, hist(100));
    app.appendHistogram(0, l, 60_000L, null, hist(3, CounterResetHint.COUNTER_RESET));
    app.appendHistogram(0, l, 120_000L, null, hist(6));
    app.commit();
    // The reset sample is repeated at 1m, 1m15s, 1m30s, 1m45s: counted once, by value.
    // Subquery points at 15s..45s (100), 60s..105s (3), 120s (6): one reset, 6 - 100 + 100,
    // extrapolated from the 105s sampled to the 120s range.
    FloatHistogram h = onlyHistogram(instant("increase(hinted[2m:15s])", 120_000L));
    assertEquals(6 * 120.0 / 105.0, h.count, 1e-9);
  }

  @Test
  void smoothedSelectorInterpolatesHistograms() {
    FloatHistogram h = onlyHistogram(instant("lat smoothed", 90_000L));
    assertEquals(9, h.count, 1e-9);
    assertThrows(PromQLException.class, () -> instant("lat[5m] anchored", 600_000L));
    assertEquals(30, onlyHistogram(instant("increase(lat[5m] anchored)", 600_000L)).count, 1e-9);
  }
}
