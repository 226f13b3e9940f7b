package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.value.Matrix;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.promql.value.SeriesPoints;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.testkit.MemStorage;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Aggregations over native histograms, through the parser and a real engine. */
class HistogramAggregationTest {
  private static final long T = 60_000L;
  private MemStorage storage;
  private final Engine engine = new Engine(EngineOptions.DEFAULT);

  /** An exponential (schema 0) histogram with positive buckets 1..n at index 0.. . */
  static FloatHistogram hist(double sum, CounterResetHint hint, double... buckets) {
    FloatHistogram h = new FloatHistogram();
    h.counterResetHint = hint;
    h.sum = sum;
    double count = 0;
    for (double b : buckets) {
      count += b;
    }
    h.count = count;
    h.positiveSpans = new int[] {0, buckets.length};
    h.positiveBuckets = buckets.clone();
    return h;
  }

  static FloatHistogram custom(double[] bounds, double... buckets) {
    FloatHistogram h = hist(1, CounterResetHint.GAUGE, buckets);
    h.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
    h.customValues = bounds;
    return h;
  }

  @BeforeEach
  void setUp() throws Exception {
    storage = new MemStorage();
  }

  private void add(Labels l, long t, FloatHistogram h) throws Exception {
    Appender app = storage.appender();
    app.appendHistogram(0, l, t, null, h);
    app.commit();
  }

  private void add(Labels l, long t, double v) throws Exception {
    Appender app = storage.appender();
    app.append(0, l, t, v);
    app.commit();
  }

  private QueryResult instant(String q) {
    return engine.instantQuery(storage, q, T, QueryOptions.DEFAULT);
  }

  private static List<Sample> samples(QueryResult r) {
    return ((Vector) r.value()).samples();
  }

  @Test
  void sumAndAvgAddHistogramsWithCompensation() throws Exception {
    add(Labels.of("__name__", "h", "i", "0"), T, hist(3.1, CounterResetHint.GAUGE, 1, 2));
    add(Labels.of("__name__", "h", "i", "1"), T, hist(1e100, CounterResetHint.GAUGE, 1));
    add(Labels.of("__name__", "h", "i", "2"), T, hist(-1e100, CounterResetHint.GAUGE, 0, 1));
    Sample sum = samples(instant("sum(h)")).get(0);
    assertEquals(3.1, sum.histogram().sum); // plain addition would lose 3.1 next to 1e100
    assertEquals(5, sum.histogram().count);
    assertArrayEquals(new double[] {2, 3}, sum.histogram().positiveBuckets);
    assertEquals(CounterResetHint.GAUGE, sum.histogram().counterResetHint);
    FloatHistogram avg = samples(instant("avg(h)")).get(0).histogram();
    assertEquals(5 / 3.0, avg.count, 1e-12);
    assertEquals(3.1 / 3, avg.sum, 1e-12);
    assertEquals(4.0, samples(instant("count(h) + group(h)")).get(0).value());
  }

  @Test
  void avgSwitchesToAnIncrementalMeanBeforeOverflowing() throws Exception {
    add(Labels.of("__name__", "h", "i", "0"), T, hist(1, CounterResetHint.GAUGE, 1.5e308));
    add(Labels.of("__name__", "h", "i", "1"), T, hist(3, CounterResetHint.GAUGE, 1.5e308));
    FloatHistogram avg = samples(instant("avg(h)")).get(0).histogram();
    assertEquals(1.5e308, avg.positiveBuckets[0], 1e293);
    assertEquals(2, avg.sum, 1e-12);
  }

  @Test
  void mixedFloatsAndHistogramsGiveNoResultForTheGroup() throws Exception {
    add(Labels.of("__name__", "m", "g", "a"), T, hist(1, CounterResetHint.GAUGE, 1));
    add(Labels.of("__name__", "m", "g", "a", "x", "f"), T, 2);
    add(Labels.of("__name__", "m", "g", "b"), T, 3);
    QueryResult r = instant("sum by (g) (m)");
    assertEquals(1, samples(r).size());
    assertEquals(3, samples(r).get(0).value());
    assertEquals(List.of("PromQL warning: encountered a mix of histograms and floats for "
        + "aggregation (1:13)"), r.warnings());
  }

  @Test
  void conflictingCounterResetHintsWarn() throws Exception {
    add(Labels.of("__name__", "c", "i", "0"), T, hist(1, CounterResetHint.COUNTER_RESET, 1));
    add(Labels.of("__name__", "c", "i", "1"), T, hist(1, CounterResetHint.NOT_COUNTER_RESET, 1));
    QueryResult r = instant("sum(c)");
    assertEquals(CounterResetHint.UNKNOWN, samples(r).get(0).histogram().counterResetHint);
    assertEquals(List.of("PromQL warning: conflicting counter resets during histogram "
        + "aggregation (1:5)"), r.warnings());
  }

  @Test
  void exponentialAndCustomBucketsDoNotAdd() throws Exception {
    add(Labels.of("__name__", "x", "i", "0"), T, hist(1, CounterResetHint.GAUGE, 1));
    add(Labels.of("__name__", "x", "i", "1"), T, custom(new double[] {1}, 1));
    QueryResult r = instant("sum(x)");
    assertTrue(samples(r).isEmpty());
    assertEquals(List.of("PromQL warning: vector contains a mix of histograms with exponential "
        + "and custom buckets schemas for metric name \"x\" (1:5)"), r.warnings());
  }

  @Test
  void mismatchedCustomBoundsAreReconciledWithAnInfo() throws Exception {
    add(Labels.of("__name__", "n", "i", "0"), T, custom(new double[] {5, 10}, 1, 2, 4));
    add(Labels.of("__name__", "n", "i", "1"), T, custom(new double[] {10}, 8));
    QueryResult r = instant("sum(n)");
    FloatHistogram h = samples(r).get(0).histogram();
    assertArrayEquals(new double[] {10}, h.customValues);
    assertArrayEquals(new double[] {11, 4}, h.positiveBuckets);
    assertEquals(List.of("PromQL info: mismatched custom buckets were reconciled during "
        + "aggregation (1:5)"), r.infos());
  }

  @Test
  void floatOnlyAggregationsIgnoreHistogramsWithAnInfo() throws Exception {
    add(Labels.of("__name__", "m", "i", "0"), T, hist(1, CounterResetHint.GAUGE, 1));
    add(Labels.of("__name__", "m", "i", "1"), T, 7);
    for (String op : List.of("min", "max", "stddev", "stdvar", "topk", "bottomk", "quantile")) {
      String q = op.equals("topk") || op.equals("bottomk") ? op + "(1, m)"
          : op.equals("quantile") ? op + "(0.5, m)" : op + "(m)";
      QueryResult r = instant(q);
      assertEquals(1, samples(r).size(), q);
      assertFalse(samples(r).get(0).isHistogram(), q);
      assertEquals(1, r.infos().size(), q);
      assertTrue(r.infos().get(0).contains("ignored histogram in " + op + " aggregation"), q);
    }
  }

  @Test
  void limitkKeepsHistogramsInRangeQueries() throws Exception {
    for (int i = 0; i <= 2; i++) {
      add(Labels.of("__name__", "l"), i * T, hist(i, CounterResetHint.GAUGE, 1));
    }
    EngineOptions d = EngineOptions.DEFAULT;
    Engine experimental = new Engine(new EngineOptions(d.lookbackDeltaMs(), d.timeoutMs(),
        d.maxSamples(), d.maxConcurrency(), d.noStepSubqueryIntervalMs(), true, false,
        d.maxNestingDepth(), false));
    QueryResult r = experimental.rangeQuery(storage, "limitk(1, l)", 0, 2 * T, T,
        QueryOptions.DEFAULT);
    SeriesPoints s = ((Matrix) r.value()).series().get(0);
    assertEquals(3, s.count());
    assertEquals(2, s.histograms()[2].sum);
  }

  @Test
  void rangeSumOverHistogramsBypassesTheSeriesMajorPath() throws Exception {
    for (int i = 0; i <= 2; i++) {
      add(Labels.of("__name__", "r", "i", "0"), i * T, hist(i, CounterResetHint.GAUGE, 1));
      add(Labels.of("__name__", "r", "i", "1"), i * T, hist(1, CounterResetHint.GAUGE, 2));
    }
    QueryResult r = engine.rangeQuery(storage, "sum(r)", 0, 2 * T, T, QueryOptions.DEFAULT);
    SeriesPoints s = ((Matrix) r.value()).series().get(0);
    assertEquals(3, s.count());
    assertEquals(3, s.histograms()[2].sum);
    assertEquals(3, s.histograms()[1].count);
    assertTrue(r.warnings().isEmpty());
  }

  @Test
  void countValuesLabelsHistogramsWithTheirText() throws Exception {
    add(Labels.of("__name__", "v", "i", "0"), T, hist(10, CounterResetHint.GAUGE, 1, 2));
    add(Labels.of("__name__", "v", "i", "1"), T, hist(10, CounterResetHint.GAUGE, 1, 2));
    Sample s = samples(instant("count_values(\"value\", v)")).get(0);
    assertEquals("{count:3, sum:10, (0.5,1]:1, (1,2]:2}", s.metric().get("value"));
    assertEquals(2, s.value());
  }
}
