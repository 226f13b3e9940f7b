package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.testkit.MemStorage;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Range functions over custom-bucket histograms whose bounds change within the window: sums,
 * means and rates work on the bounds the histograms share and say so in an info (Prometheus
 * 3.8+); and changes/resets with an anchored range over series that switch between floats and
 * histograms.
 */
class HistogramRangeCustomBoundsTest {
  private static final String AGGREGATION_INFO =
      "PromQL info: mismatched custom buckets were reconciled during aggregation (1:15)";

  private MemStorage storage;
  private final Engine engine = new Engine(EngineOptions.DEFAULT.withExperimentalFunctions(true)
      .withExtendedSyntax(true));

  /** One observation in the first bucket (le 5) of a histogram with the given bounds. */
  private static FloatHistogram nhcb(double... bounds) {
    FloatHistogram h = new FloatHistogram();
    h.counterResetHint = CounterResetHint.UNKNOWN;
    h.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
    h.count = 1;
    h.sum = 1;
    h.customValues = bounds;
    h.positiveSpans = new int[] {0, 1};
    h.positiveBuckets = new double[] {1};
    return h;
  }

  private static FloatHistogram exponential(double count) {
    FloatHistogram h = new FloatHistogram();
    h.counterResetHint = CounterResetHint.UNKNOWN;
    h.count = count;
    h.sum = count;
    h.positiveSpans = new int[] {0, 1};
    h.positiveBuckets = new double[] {count};
    return h;
  }

  @BeforeEach
  void setUp() throws Exception {
    storage = new MemStorage();
    Appender app = storage.appender();
    // nhcb: bounds [5] at 0 and 6m, [5 10] at 12m and 18m.
    Labels nhcb = Labels.of("__name__", "nhcb");
    for (int i = 0; i < 4; i++) {
      app.appendHistogram(0, nhcb, i * 360_000L, null, i < 2 ? nhcb(5) : nhcb(5, 10));
    }
    // ftoh: floats 1 2 3, a histogram at 3m, floats again; htof: histograms, a float at 3m.
    Labels ftoh = Labels.of("__name__", "ftoh");
    Labels htof = Labels.of("__name__", "htof");
    for (int i = 0; i < 6; i++) {
      long t = i * 60_000L;
      if (i == 3) {
        app.appendHistogram(0, ftoh, t, null, exponential(4));
        app.append(0, htof, t, 5);
      } else {
        app.append(0, ftoh, t, i + 1);
        if (i < 3) {
          app.appendHistogram(0, htof, t, null, exponential(i + 1));
        }
      }
    }
    app.commit();
  }

  private QueryResult instant(String q, long t) {
    return engine.instantQuery(storage, q, t, QueryOptions.DEFAULT);
  }

  private static FloatHistogram onlyHistogram(QueryResult r) {
    List<Sample> s = ((Vector) r.value()).samples();
    assertEquals(1, s.size(), s.toString());
    assertNotNull(s.get(0).histogram(), s.toString());
    return s.get(0).histogram();
  }

  private static double onlyFloat(QueryResult r) {
    List<Sample> s = ((Vector) r.value()).samples();
    assertEquals(1, s.size(), s.toString());
    return s.get(0).value();
  }

  @Test
  void sumOverTimeReconcilesBoundsWithAnInfo() {
    QueryResult r = instant("sum_over_time(nhcb[13m])", 720_000L);
    FloatHistogram h = onlyHistogram(r);
    assertEquals(3.0, h.count);
    assertArrayEquals(new double[] {5}, h.customValues);
    assertArrayEquals(new double[] {3}, h.positiveBuckets);
    assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    assertEquals(List.of(AGGREGATION_INFO), r.infos());
  }

  @Test
  void avgOverTimeReconcilesBoundsWithAnInfo() {
    QueryResult r = instant("avg_over_time(nhcb[13m])", 720_000L);
    FloatHistogram h = onlyHistogram(r);
    assertEquals(1.0, h.count);
    assertArrayEquals(new double[] {5}, h.customValues);
    assertEquals(List.of(AGGREGATION_INFO), r.infos());
  }

  @Test
  void sameBoundsGiveNoInfo() {
    QueryResult r = instant("sum_over_time(nhcb[7m])", 360_000L);
    assertEquals(2.0, onlyHistogram(r).count);
    assertTrue(r.infos().isEmpty(), r.infos().toString());
  }

  @Test
  void increaseAndRateSubtractOverTheSharedBounds() {
    for (String fn : List.of("increase", "rate")) {
      QueryResult r = instant(fn + "(nhcb[13m])", 720_000L);
      FloatHistogram h = onlyHistogram(r);
      assertEquals(0.0, h.count, fn);
      assertArrayEquals(new double[] {5}, h.customValues, fn);
      assertEquals(CounterResetHint.GAUGE, h.counterResetHint, fn);
      assertTrue(r.warnings().isEmpty(), fn + ": " + r.warnings());
      assertEquals(List.of("PromQL info: mismatched custom buckets were reconciled during "
          + "subtraction (1:" + (fn.length() + 2) + ")"), r.infos(), fn);
    }
  }

  @Test
  void deltaOfCountersWarnsAndReconciles() {
    QueryResult r = instant("delta(nhcb[13m])", 1_080_000L);
    FloatHistogram h = onlyHistogram(r);
    assertEquals(0.0, h.count);
    assertArrayEquals(new double[] {5}, h.customValues);
    assertEquals(List.of("PromQL warning: this native histogram metric is not a gauge: "
        + "\"nhcb\" (1:7)"), r.warnings());
    assertEquals(List.of("PromQL info: mismatched custom buckets were reconciled during "
        + "subtraction (1:7)"), r.infos());
  }

  @Test
  void smoothedRateInterpolatesAcrossDifferentBounds() {
    // The right boundary (9m) lies between the [5] sample at 6m and the [5 10] one at 12m.
    QueryResult r = instant("increase(nhcb[7m] smoothed)", 540_000L);
    FloatHistogram h = onlyHistogram(r);
    assertEquals(0.0, h.count);
    assertArrayEquals(new double[] {5}, h.customValues);
    assertTrue(r.infos().contains("PromQL info: mismatched custom buckets were reconciled "
        + "during subtraction (1:10)"), r.infos().toString());
  }

  @Test
  void anchoredChangesAndResetsCountASwitchOfKind() {
    // Range (2m, 3m]: the anchor at 2m and the sample at 3m differ in kind.
    for (String fn : List.of("changes", "resets")) {
      assertEquals(1.0, onlyFloat(instant(fn + "(ftoh[1m] anchored)", 180_000L)), fn);
      assertEquals(1.0, onlyFloat(instant(fn + "(htof[1m] anchored)", 180_000L)), fn);
    }
  }
}
