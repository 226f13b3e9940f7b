package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.testkit.MemStorage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** info() with native histograms: histogram base samples are enriched, histogram info samples fail. */
class InfoHistogramTest {
  private static final long T = 60_000L;
  private MemStorage storage;
  private Engine engine;

  @BeforeEach
  void setUp() throws Exception {
    storage = new MemStorage();
    Appender app = storage.appender();
    app.appendHistogram(0, Labels.of("__name__", "h", "instance", "a", "job", "1"), T, null,
        HistogramAggregationTest.hist(3, CounterResetHint.GAUGE, 1, 2));
    app.append(0, Labels.of("__name__", "target_info", "instance", "a", "job", "1", "data", "x"),
        T, 1);
    app.commit();
    EngineOptions d = EngineOptions.DEFAULT;
    engine = new Engine(new EngineOptions(d.lookbackDeltaMs(), d.timeoutMs(), d.maxSamples(),
        d.maxConcurrency(), d.noStepSubqueryIntervalMs(), true, false, d.maxNestingDepth(),
        false));
  }

  @Test
  void histogramBaseSamplesAreEnriched() {
    Vector v = (Vector) engine.instantQuery(storage, "info(h)", T, QueryOptions.DEFAULT).value();
    Sample s = v.samples().get(0);
    assertEquals("x", s.metric().get("data"));
    assertEquals(3, s.histogram().sum);
  }

  @Test
  void histogramInfoSamplesAreAnError() {
    PromQLException e = assertThrows(PromQLException.class, () -> engine.instantQuery(storage,
        "info(target_info, {__name__=\"h\"})", T, QueryOptions.DEFAULT));
    assertEquals("info sample should be float", e.getMessage());
  }
}
