package dev.tsdb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.bench.run.BenchQuery;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.value.Matrix;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.promql.value.SeriesPoints;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Keeps {@link QueryBench} honest without timing it: its setup holds the tool's 10k-series data,
 * every query of the tool's set has a benchmark method, and each answers with the shape the data
 * implies (series counts derived from the generator, not hard-coded).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryBenchTest {
  private final QueryBench bench = new QueryBench();

  @BeforeAll
  void setUp() throws Exception {
    bench.setUp();
  }

  @AfterAll
  void tearDown() throws Exception {
    bench.tearDown();
  }

  @Test
  void storageHoldsTheToolsDataForTenThousandSeries() throws Exception {
    assertEquals(10_000, bench.fleet.seriesCount());
    assertEquals(240, bench.fleet.rounds());
    assertEquals(15_000, bench.fleet.intervalMs());
    assertTrue(bench.fleet.endMs() < QueryBench.NOW_MS, "data ends before now");
    assertTrue(bench.fleet.startMs() >= QueryBench.NOW_MS - 3_600_000L, "data within the hour");
    assertEquals(10_000, bench.db.headSeries());

    long samples = 0;
    long series = 0;
    SampleIterator it = null;
    try (Querier q = bench.db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(false, null, Matcher.re("__name__", ".+"));
      while (set.next()) {
        series++;
        it = set.at().iterator(it);
        while (it.next() != ValueType.NONE) {
          samples++;
        }
      }
    }
    assertEquals(10_000, series);
    assertEquals(10_000L * 240, samples);
  }

  @Test
  void everyQueryOfTheToolHasABenchmarkMethodWithAWellShapedAnswer() throws Exception {
    Set<String> covered = new HashSet<>();
    int methods = 0;
    for (Method m : QueryBench.class.getMethods()) {
      if (!m.isAnnotationPresent(Benchmark.class)) {
        continue;
      }
      methods++;
      QueryResult result = (QueryResult) m.invoke(bench);
      String name = bench.lastQuery;
      assertTrue(covered.add(name), m.getName() + " runs '" + name + "' again");
      checkShape(bench.queries.get(name), result);
    }
    assertEquals(bench.queries.keySet(), covered);
    assertEquals(bench.queries.size(), methods);
  }

  @Test
  void oneSeriesAnswersTheGeneratedValue() {
    Vector v = (Vector) bench.oneSeries().value();
    assertEquals(1, v.samples().size());
    int series = bench.fleet.find(0, "node_memory_MemAvailable_bytes");
    Sample s = v.samples().get(0);
    assertEquals(Labels.of(bench.fleet.labels(series)), s.metric());
    assertEquals(bench.fleet.value(series, bench.fleet.rounds() - 1), s.value());
  }

  /** Result type, series count and points per series the generated data implies. */
  private void checkShape(BenchQuery q, QueryResult result) {
    Expected e = EXPECTED.get(q.name());
    assertTrue(e != null, "no expectation for '" + q.name() + "'");
    int series = e.seriesIn(bench.fleet);
    assertTrue(series > 0, q.name());
    if (!q.isRange()) {
      Vector v = (Vector) result.value();
      assertEquals(series, v.samples().size(), q.name());
      for (Sample s : v.samples()) {
        assertTrue(Double.isFinite(s.value()), q.name() + ": " + s);
      }
      return;
    }
    Matrix m = (Matrix) result.value();
    assertEquals(series, m.series().size(), q.name());
    int points = (int) ((q.timeMs() - q.startMs()) / q.stepMs()) + 1;
    for (SeriesPoints p : m.series()) {
      assertEquals(points, p.count(), q.name() + " " + p.metric());
      for (int i = 0; i < p.count(); i++) {
        assertTrue(Double.isFinite(p.values()[i]), q.name() + " " + p.metric());
      }
    }
  }

  /**
   * The series a query selects (by the generator's labels), how many result series they make:
   * all of them, one per distinct value of {@code by} (an aggregation), or at most {@code limit}.
   */
  private record Expected(Predicate<Map<String, String>> selects, String by, int limit) {
    int seriesIn(dev.tsdb.bench.gen.Fleet fleet) {
      int count = 0;
      Set<String> groups = new HashSet<>();
      for (int i = 0; i < fleet.seriesCount(); i++) {
        Map<String, String> labels = map(fleet.labels(i));
        if (selects.test(labels)) {
          count++;
          groups.add(by == null ? "" : labels.get(by));
        }
      }
      int out = by == null ? count : groups.size();
      return limit > 0 ? Math.min(limit, out) : out;
    }

    private static Map<String, String> map(String[] pairs) {
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i < pairs.length; i += 2) {
        m.put(pairs[i], pairs[i + 1]);
      }
      return m;
    }
  }

  private static Predicate<Map<String, String>> name(String name) {
    return l -> name.equals(l.get("__name__"));
  }

  private static final Predicate<Map<String, String>> BUCKETS =
      name("http_request_duration_seconds_bucket");

  private static final Map<String, Expected> EXPECTED = Map.of(
      "one series", new Expected(name("node_memory_MemAvailable_bytes")
          .and(l -> l.get("instance").equals("10.0.0.0:9100")), null, 0),
      "rate, all node_cpu series", new Expected(name("node_cpu_seconds_total"), null, 0),
      "sum by job of rate", new Expected(name("node_cpu_seconds_total"), "job", 0),
      "histogram_quantile", new Expected(BUCKETS, null, 1),
      "topk", new Expected(name("node_network_receive_bytes_total"), null, 10),
      "regex label matchers", new Expected(name("node_filesystem_avail_bytes")
          .and(l -> l.get("mountpoint").matches("/|/var") && l.get("pod").startsWith("web-")),
          "mountpoint", 0),
      "regex on __name__", new Expected(l -> l.get("__name__").startsWith("node_memory_")
          && l.get("namespace").startsWith("ns-1"), "job", 0),
      "55m range, step 15s, sum by job of rate",
      new Expected(name("node_cpu_seconds_total"), "job", 0),
      "55m range, step 60s, histogram_quantile by job", new Expected(BUCKETS, "job", 0),
      "55m range, step 60s, rate of eth0 series", new Expected(
          name("node_network_receive_bytes_total").and(l -> "eth0".equals(l.get("device"))),
          null, 0));
}
