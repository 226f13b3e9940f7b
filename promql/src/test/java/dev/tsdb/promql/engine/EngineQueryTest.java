package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.value.Matrix;
import dev.tsdb.promql.value.Scalar;
import dev.tsdb.promql.value.StringValue;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.testkit.MemStorage;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Queries through the parser: result shapes, annotations and error texts as upstream. */
class EngineQueryTest {
  private MemStorage storage;
  private final Engine engine = new Engine(EngineOptions.DEFAULT);

  @BeforeEach
  void setUp() throws Exception {
    storage = new MemStorage();
    Appender app = storage.appender();
    for (int i = 0; i <= 10; i++) {
      long t = i * 60_000L;
      app.append(0, Labels.of("__name__", "requests", "job", "a"), t, i * 60);
      app.append(0, Labels.of("__name__", "requests_total", "job", "b"), t, i * 120);
      app.append(0, Labels.of("__name__", "lat_bucket", "le", "0.1"), t, i * 10);
      app.append(0, Labels.of("__name__", "lat_bucket", "le", "1"), t, i * 5);
      app.append(0, Labels.of("__name__", "lat_bucket", "le", "+Inf"), t, i * 20);
    }
    app.commit();
  }

  private QueryResult instant(String q, long t) {
    return engine.instantQuery(storage, q, t, QueryOptions.DEFAULT);
  }

  @Test
  void rateOfNonCounterNameGivesPositionedInfo() {
    QueryResult r = instant("sum(rate(requests[5m]))", 600_000L);
    assertEquals(List.of("PromQL info: metric might not be a counter, name does not end in "
        + "_total/_sum/_count/_bucket: \"requests\" (1:10)"), r.infos());
    assertEquals(1.0, ((Vector) r.value()).samples().get(0).value(), 1e-9);
    assertTrue(instant("rate(requests_total[5m])", 600_000L).infos().isEmpty());
  }

  @Test
  void histogramQuantileRepairsMonotonicityAndWarnsOnBadQuantile() {
    QueryResult r = instant("histogram_quantile(0.5, lat_bucket)", 600_000L);
    assertEquals(1, ((Vector) r.value()).samples().size());
    assertEquals(1, r.infos().size());
    assertTrue(r.infos().get(0).startsWith("PromQL info: input to histogram_quantile needed to be "
        + "fixed for monotonicity"), r.infos().get(0));
    assertTrue(r.infos().get(0).endsWith("(1:25)"), r.infos().get(0));
    QueryResult w = instant("histogram_quantile(1.5, lat_bucket)", 600_000L);
    assertEquals(List.of("PromQL warning: quantile value should be between 0 and 1, got 1.5 (1:20)"),
        w.warnings());
    assertEquals(Double.POSITIVE_INFINITY, ((Vector) w.value()).samples().get(0).value());
  }

  @Test
  void resultShapes() {
    assertEquals(3.0, ((Scalar) instant("1 + 2", 0).value()).value());
    assertEquals("foo", ((StringValue) instant("\"foo\"", 0).value()).value());
    Matrix m = (Matrix) instant("requests[3m]", 600_000L).value();
    assertEquals(3, m.series().get(0).count());
    Matrix range = (Matrix) engine.rangeQuery(storage, "requests_total or requests", 0, 600_000L,
        60_000L, QueryOptions.DEFAULT).value();
    // Range results are sorted by labels.
    assertEquals("requests", range.series().get(0).metric().metricName());
    assertEquals("requests_total", range.series().get(1).metric().metricName());
    assertEquals(11, range.series().get(0).count());
  }

  @Test
  void errorsCarryPrometheusTexts() {
    PromQLException dup = assertThrows(PromQLException.class,
        () -> instant("requests + on() lat_bucket", 0));
    assertEquals("found duplicate series for the match group {} on the right hand-side of the "
        + "operation: [{__name__=\"lat_bucket\", le=\"+Inf\"}, {__name__=\"lat_bucket\", le=\"0.1\"}]"
        + ";many-to-many matching not allowed: matching labels must be unique on one side",
        dup.getMessage());
    PromQLException type = assertThrows(PromQLException.class,
        () -> engine.rangeQuery(storage, "requests[5m]", 0, 60_000L, 60_000L,
            QueryOptions.DEFAULT));
    assertEquals(ErrorType.BAD_DATA, type.type());
    assertEquals("invalid expression type \"range vector\" for range query, must be Scalar or "
        + "instant Vector", type.getMessage());
    PromQLException parse = assertThrows(PromQLException.class, () -> instant("sum(", 0));
    assertEquals(ErrorType.BAD_DATA, parse.type());
    PromQLException sameLabels = assertThrows(PromQLException.class,
        () -> instant("label_replace(abs({__name__=~\"requests|requests_total\"}), \"job\", \"\", "
            + "\"\", \"\")", 600_000L));
    assertEquals("vector cannot contain metrics with the same labelset", sameLabels.getMessage());
  }

  @Test
  void delayedNameRemovalKeepsNameUntilTheEnd() {
    Engine delayed = new Engine(EngineOptions.DEFAULT.withDelayedNameRemoval(true));
    String q = "label_replace(rate(requests_total[5m]), \"n\", \"$1\", \"__name__\", \"(.*)\")";
    // rate() drops the name at once by default, so label_replace sees none ...
    Vector now = (Vector) instant(q, 600_000L).value();
    assertEquals(Labels.of("job", "b"), now.samples().get(0).metric());
    // ... and only at the end with delayed name removal.
    Vector later = (Vector) delayed.instantQuery(storage, q, 600_000L, QueryOptions.DEFAULT)
        .value();
    assertEquals(Labels.of("job", "b", "n", "requests_total"), later.samples().get(0).metric());
  }

  @Test
  void experimentalFunctionsNeedTheFlag() {
    assertThrows(PromQLException.class, () -> instant("mad_over_time(requests[5m])", 0));
    Engine exp = new Engine(EngineOptions.DEFAULT.withExperimentalFunctions(true));
    Vector v = (Vector) exp.instantQuery(storage, "mad_over_time(requests[5m])", 600_000L,
        QueryOptions.DEFAULT).value();
    assertEquals(60.0, v.samples().get(0).value());
  }

  @Test
  void sortWarnsWhereItsEvaluatorSpansSeveralSteps() {
    String warn = "PromQL warning: sort is ineffective for range queries since results are "
        + "always ordered by labels";
    assertEquals(List.of(warn + " (1:1)"), engine.rangeQuery(storage, "sort(requests)", 0,
        600_000L, 60_000L, QueryOptions.DEFAULT).warnings());
    assertEquals(List.of(warn + " (1:5)"), engine.rangeQuery(storage, "sum(sort_desc(requests))",
        0, 600_000L, 60_000L, QueryOptions.DEFAULT).warnings());
    // Instant query, but the subquery evaluates sort over several steps.
    assertEquals(List.of(warn + " (1:15)"), instant("max_over_time(sort(requests)[5m:1m])",
        600_000L).warnings());
    assertTrue(instant("sort(requests)", 600_000L).warnings().isEmpty());
    // Pinned by @, sort is evaluated once even in a range query.
    assertTrue(engine.rangeQuery(storage, "sort(requests @ 300)", 0, 600_000L, 60_000L,
        QueryOptions.DEFAULT).warnings().isEmpty());
  }
}
