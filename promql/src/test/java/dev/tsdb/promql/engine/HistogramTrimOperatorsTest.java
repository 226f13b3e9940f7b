package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.HistogramLayout;
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

/**
 * The trim operators {@code </} and {@code >/} through the parser and the real engine on
 * MemStorage, in the vector-scalar and both vector-vector paths. Expected values are
 * Prometheus 3.14's (native_histograms.test).
 */
class HistogramTrimOperatorsTest {
  private static final long T = 60_000L;
  private MemStorage storage;
  private final Engine engine = new Engine(EngineOptions.DEFAULT);

  /** Custom buckets [-Inf, 5] and (5, +Inf] holding 1 and 100. */
  private static FloatHistogram twoBuckets(double scale) {
    FloatHistogram h = new FloatHistogram();
    h.schema = -53;
    h.customValues = new double[] {5};
    h.count = 101 * scale;
    h.sum = 33 * scale;
    h.positiveSpans = new int[] {0, 2};
    h.positiveBuckets = new double[] {scale, 100 * scale};
    return h;
  }

  private static FloatHistogram expected(double count, double sum, double first, double second) {
    FloatHistogram h = twoBuckets(1);
    h.count = count;
    h.sum = sum;
    h.positiveBuckets = new double[] {first, second};
    return h;
  }

  @BeforeEach
  void setUp() throws Exception {
    storage = new MemStorage();
    Appender app = storage.appender();
    app.appendHistogram(0, Labels.of("__name__", "cbh", "label", "a"), T, null, twoBuckets(1));
    app.appendHistogram(0, Labels.of("__name__", "cbh", "label", "b"), T, null, twoBuckets(2));
    app.append(0, Labels.of("__name__", "threshold", "label", "a"), T, 1);
    app.append(0, Labels.of("__name__", "threshold", "label", "b"), T, 4);
    app.append(0, Labels.of("__name__", "f", "label", "a"), T, 3);
    app.commit();
  }

  private QueryResult query(String q) {
    return engine.instantQuery(storage, q, T, QueryOptions.DEFAULT);
  }

  private List<Sample> samples(String q) {
    return ((Vector) query(q).value()).samples();
  }

  private static void assertHistogram(FloatHistogram expected, Sample s) {
    assertTrue(s.isHistogram(), "expected a histogram, got " + s);
    FloatHistogram got = s.histogram();
    assertTrue(Math.abs(expected.sum - got.sum) < 1e-9 && Math.abs(expected.count - got.count)
        < 1e-9, "expected " + expected + " but got " + got);
    got = got.copy();
    got.sum = expected.sum;
    got.count = expected.count;
    assertTrue(HistogramLayout.equalsCompacted(expected, got),
        "expected " + expected + " but got " + s.histogram());
  }

  @Test
  void histogramTrimmedAtAScalarKeepsItsName() {
    List<Sample> kept = samples("cbh{label=\"a\"} >/ 2");
    assertEquals(Labels.of("__name__", "cbh", "label", "a"), kept.get(0).metric());
    assertHistogram(expected(100.6, 502.1, 0.6, 100), kept.get(0));
    assertHistogram(expected(0.4, 0.4, 0.4, 0), samples("cbh{label=\"a\"} </ 2").get(0));
    assertTrue(query("cbh >/ 2").infos().isEmpty());
  }

  @Test
  void histogramTrimmedAtMatchingFloatsInBothMatchingPaths() {
    for (boolean seriesWise : new boolean[] {true, false}) {
      BinaryOps.seriesWise = seriesWise;
      try {
        List<Sample> out = samples("cbh >/ on(label) threshold");
        assertEquals(2, out.size());
        assertEquals(Labels.of("label", "a"), out.get(0).metric());
        assertHistogram(expected(100.8, 502.4, 0.8, 100), out.get(0));
        // 2 * (1 - 4/5), as the linear share is computed (not quite 0.4).
        assertHistogram(expected(200.4, 1001.8, 2 * (1 - 4.0 / 5), 200), out.get(1));
      } finally {
        BinaryOps.seriesWise = true;
      }
    }
  }

  @Test
  void histogramCountOfATrimSeesTheTrimmedBuckets() {
    assertEquals(100, samples("histogram_count(cbh{label=\"a\"} >/ 10)").get(0).value());
    assertEquals(1000, samples("histogram_sum(cbh{label=\"a\"} >/ 10)").get(0).value());
  }

  @Test
  void floatsCannotBeTrimmed() {
    QueryResult r = query("f </ 2");
    assertTrue(((Vector) r.value()).samples().isEmpty());
    assertEquals(List.of("PromQL info: incompatible sample types encountered for binary operator"
        + " \"</\": float </ float (1:1)"), r.infos());
    r = query("2 >/ cbh{label=\"a\"}");
    assertTrue(((Vector) r.value()).samples().isEmpty());
    assertEquals(List.of("PromQL info: incompatible sample types encountered for binary operator"
        + " \">/\": float >/ histogram (1:1)"), r.infos());
    r = query("cbh </ on(label) cbh");
    assertTrue(((Vector) r.value()).samples().isEmpty());
    assertEquals(List.of("PromQL info: incompatible sample types encountered for binary operator"
        + " \"</\": histogram </ histogram (1:1)"), r.infos());
    PromQLException e = assertThrows(PromQLException.class, () -> query("1 </ 2"));
    assertEquals("operator \"</\" not allowed for Scalar operations", e.getMessage());
  }
}
