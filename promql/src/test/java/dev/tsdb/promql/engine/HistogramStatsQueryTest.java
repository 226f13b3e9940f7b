package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.VectorSelector;
import dev.tsdb.promql.parser.Parser;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.testkit.MemStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * histogram_count/sum/avg read their selectors as statistics only: the hints decided there can
 * conflict in an aggregation, where a full read leaves them unknown.
 */
class HistogramStatsQueryTest {
  private static final long T = 60_000L;
  private static final String CONFLICT =
      "PromQL warning: conflicting counter resets during histogram aggregation";
  private MemStorage storage;
  private final Engine engine = new Engine(EngineOptions.DEFAULT);

  @BeforeEach
  void setUp() throws Exception {
    storage = new MemStorage();
    // "down" drops (a reset), "up" grows (no reset); no sample carries a hint of its own.
    add("down", 0, 5, 50);
    add("down", T, 2, 20);
    add("up", 0, 1, 10);
    add("up", T, 3, 30);
  }

  private void add(String name, long t, double count, double sum) throws Exception {
    add("x", name, t, count, sum);
  }

  private void add(String metric, String name, long t, double count, double sum)
      throws Exception {
    FloatHistogram h = HistogramAggregationTest.hist(sum, CounterResetHint.UNKNOWN, count);
    Appender app = storage.appender();
    app.appendHistogram(0, Labels.of("__name__", metric, "s", name), t, null, h);
    app.commit();
  }

  private QueryResult instant(String q) {
    return engine.instantQuery(storage, q, T, QueryOptions.DEFAULT);
  }

  private static double only(QueryResult r) {
    List<Sample> s = ((Vector) r.value()).samples();
    assertEquals(1, s.size());
    return s.get(0).value();
  }

  private static boolean conflicts(QueryResult r) {
    return r.warnings().stream().anyMatch(w -> w.startsWith(CONFLICT));
  }

  @Test
  void statisticsOfAnAggregationSeeTheDecidedHints() {
    QueryResult r = instant("histogram_count(sum(x))");
    assertEquals(5, only(r));
    assertTrue(conflicts(r), r.warnings().toString());
    QueryResult avg = instant("histogram_sum(avg(x))");
    assertEquals(25, only(avg));
    assertTrue(conflicts(avg), avg.warnings().toString());
  }

  @Test
  void aFullReadLeavesTheHintsUnknown() {
    QueryResult r = instant("sum(x)");
    assertEquals(List.of(), r.warnings());
    FloatHistogram h = ((Vector) r.value()).samples().get(0).histogram();
    assertEquals(CounterResetHint.UNKNOWN, h.counterResetHint);
    assertEquals(1, h.positiveBuckets.length);
  }

  @Test
  void aSubqueryOrABucketFunctionAboveKeepsTheBuckets() {
    QueryResult r = instant("histogram_count(last_over_time(sum(x)[1m:1m]))");
    assertEquals(5, only(r));
    assertEquals(List.of(), r.warnings());
  }

  @Test
  void rangeFunctionsBelowReadStatisticsToo() {
    QueryResult r = instant("histogram_count(sum_over_time(x{s=\"down\"}[2m]))");
    assertEquals(7, only(r));
    assertEquals(List.of(), r.warnings());
    QueryResult both = instant("histogram_count(sum(sum_over_time(x[2m])))");
    assertEquals(11, only(both));
  }

  @Test
  void aRangeWindowDecidesItsFirstSampleAgainstTheOneOnItsOpenBound() throws Exception {
    add("y", "a", 0, 5, 5);
    add("y", "a", T, 2, 2); // a reset against the sample at 0, just outside the window
    add("y", "a", 2 * T, 3, 3);
    // The querier holds the sample at 0 only because another selector reaches back to it
    // (as in Prometheus, whose querier trims samples before its range too).
    QueryResult alone = engine.instantQuery(storage, "histogram_count(sum_over_time(y[2m]))",
        2 * T, QueryOptions.DEFAULT);
    assertEquals(5, only(alone));
    assertEquals(List.of(), alone.warnings());
    QueryResult r = engine.instantQuery(storage,
        "histogram_count(sum_over_time(y[2m])) or histogram_count(y offset 2m)", 2 * T,
        QueryOptions.DEFAULT);
    assertEquals(5, only(r));
    assertTrue(conflicts(r), r.warnings().toString());
  }

  private static List<String> statsSelectors(String q) throws Exception {
    Expr e = Parser.parseExpr(q);
    Set<VectorSelector> found = HistogramStatsSelectors.of(e);
    List<String> out = new ArrayList<>();
    for (VectorSelector vs : found) {
      out.add(vs.toString());
    }
    out.sort(null);
    return out;
  }

  @Test
  void selectorsReadAsStatisticsAreThoseUpstreamPicks() throws Exception {
    assertEquals(List.of("a"), statsSelectors("histogram_count(a)"));
    assertEquals(List.of("a"), statsSelectors("histogram_sum(rate(a[5m])) + b"));
    assertEquals(List.of("a", "b"), statsSelectors("histogram_avg(sum by (l) (a) / b)"));
    assertEquals(List.of("a"), statsSelectors("abs(histogram_count(-a))"));
    assertEquals(List.of(), statsSelectors("sum(a)"));
    assertEquals(List.of(), statsSelectors("histogram_count(rate(a[5m:1m]))"));
    assertEquals(List.of(),
        statsSelectors("histogram_quantile(0.5, histogram_count(a))"));
    assertEquals(List.of("b"),
        statsSelectors("histogram_quantile(0.5, a) + histogram_count(b)"));
  }
}
