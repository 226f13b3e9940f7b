package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.HistogramLayout;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.promql.value.Scalar;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.testkit.MemStorage;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Binary operators and instant functions over native histograms, through the parser and the real
 * engine on MemStorage. Expected values and annotation texts are Prometheus 3.14's.
 */
class HistogramBinaryOpsTest {
  private static final long T = 60_000L;
  private MemStorage storage;
  private final Engine engine = new Engine(EngineOptions.DEFAULT);

  /** An exponential histogram with one positive span from bucket 0. */
  static FloatHistogram exp(double count, double sum, double... buckets) {
    FloatHistogram h = new FloatHistogram();
    h.schema = 0;
    h.count = count;
    h.sum = sum;
    h.positiveSpans = new int[] {0, buckets.length};
    h.positiveBuckets = buckets;
    return h;
  }

  static FloatHistogram custom(double[] bounds, double count, double... buckets) {
    FloatHistogram h = exp(count, count, buckets);
    h.schema = -53;
    h.customValues = bounds;
    return h;
  }

  static FloatHistogram hinted(FloatHistogram h, CounterResetHint hint) {
    h.counterResetHint = hint;
    return h;
  }

  @BeforeEach
  void setUp() throws Exception {
    storage = new MemStorage();
    Appender app = storage.appender();
    app.appendHistogram(0, Labels.of("__name__", "h", "job", "a"), T, null, exp(4, 10, 1, 2, 1));
    app.appendHistogram(0, Labels.of("__name__", "g", "job", "a"), T, null, exp(2, 3, 1, 1));
    app.append(0, Labels.of("__name__", "f", "job", "a"), T, 3);
    app.append(0, Labels.of("__name__", "mixed", "k", "1"), T, -2.5);
    app.appendHistogram(0, Labels.of("__name__", "mixed", "k", "2"), T, null, exp(1, 1, 1));
    app.append(0, Labels.of("__name__", "mixed", "k", "3"), T, 7);
    app.appendHistogram(0, Labels.of("__name__", "nhcb", "b", "10"), T, null,
        custom(new double[] {10}, 1, 1));
    app.appendHistogram(0, Labels.of("__name__", "nhcb", "b", "2_10"), T, null,
        custom(new double[] {2, 10}, 1, 1));
    app.appendHistogram(0, Labels.of("__name__", "reset", "job", "a"), T, null,
        hinted(exp(1, 1, 1), CounterResetHint.COUNTER_RESET));
    app.appendHistogram(0, Labels.of("__name__", "noreset", "job", "a"), T, null,
        hinted(exp(1, 1, 1), CounterResetHint.NOT_COUNTER_RESET));
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
    assertTrue(HistogramLayout.equalsCompacted(expected, s.histogram()),
        "expected " + expected + " but got " + s.histogram());
  }

  @Test
  void histogramsAddAndSubtractAcrossBothMatchingPaths() {
    for (boolean seriesWise : new boolean[] {true, false}) {
      BinaryOps.seriesWise = seriesWise;
      try {
        List<Sample> sum = samples("h + g");
        assertEquals(1, sum.size());
        assertEquals(Labels.of("job", "a"), sum.get(0).metric());
        assertHistogram(exp(6, 13, 2, 3, 1), sum.get(0));
        Sample diff = samples("h - g").get(0);
        assertHistogram(exp(2, 7, 0, 1, 1), diff);
        assertEquals(CounterResetHint.GAUGE, diff.histogram().counterResetHint);
      } finally {
        BinaryOps.seriesWise = true;
      }
    }
  }

  @Test
  void histogramsScaleByFloatsOnEitherSide() {
    assertHistogram(exp(8, 20, 2, 4, 2), samples("h * 2").get(0));
    assertHistogram(exp(8, 20, 2, 4, 2), samples("2 * h").get(0));
    assertHistogram(exp(2, 5, 0.5, 1, 0.5), samples("h / 2").get(0));
    // Vector-vector with a float on the other side.
    assertHistogram(exp(12, 30, 3, 6, 3), samples("f * on(job) h").get(0));
    assertHistogram(exp(12, 30, 3, 6, 3), samples("h * on(job) f").get(0));
  }

  @Test
  void otherPairingsGiveNothingAndAnInfo() {
    QueryResult r = query("h + 1");
    assertTrue(((Vector) r.value()).samples().isEmpty());
    assertEquals(List.of("PromQL info: incompatible sample types encountered for binary operator"
        + " \"+\": histogram + float (1:1)"), r.infos());
    r = query("1 - h");
    assertEquals(List.of("PromQL info: incompatible sample types encountered for binary operator"
        + " \"-\": float - histogram (1:1)"), r.infos());
    r = query("h / on(job) g");
    assertTrue(((Vector) r.value()).samples().isEmpty());
    assertEquals(List.of("PromQL info: incompatible sample types encountered for binary operator"
        + " \"/\": histogram / histogram (1:1)"), r.infos());
    // Not even bool gives a result.
    assertTrue(samples("h > bool 1").isEmpty());
    assertTrue(samples("h > bool on(job) g").isEmpty());
  }

  @Test
  void histogramsCompareForEquality() {
    List<Sample> eq = samples("h == h");
    assertEquals(1, eq.size());
    assertHistogram(exp(4, 10, 1, 2, 1), eq.get(0));
    assertTrue(samples("h != h").isEmpty());
    assertTrue(query("h == h").infos().isEmpty());
    Sample b = samples("h == bool on(job) g").get(0);
    assertNull(b.histogram());
    assertEquals(0, b.value());
    assertEquals(1, samples("h != bool on(job) g").get(0).value());
    // Floats of a mixed vector still compare; the histogram only brings an info.
    QueryResult r = query("mixed > 0");
    assertEquals(1, ((Vector) r.value()).samples().size());
    assertEquals(1, r.infos().size());
  }

  @Test
  void layoutConflictsWarn() {
    QueryResult r = query("h + ignoring(job, b) nhcb{b=\"10\"}");
    assertTrue(((Vector) r.value()).samples().isEmpty());
    assertEquals(List.of("PromQL warning: incompatible bucket layout encountered for binary "
        + "operator + (1:1)"), r.warnings());
    r = query("reset + noreset");
    assertTrue(((Vector) r.value()).samples().isEmpty());
    assertEquals(List.of("PromQL warning: conflicting counter resets during histogram addition "
        + "(1:1)"), r.warnings());
  }

  @Test
  void mismatchedCustomBucketsAreReconciled() {
    QueryResult r = query("nhcb{b=\"10\"} + ignoring(b) nhcb{b=\"2_10\"}");
    assertHistogram(custom(new double[] {10}, 2, 2), ((Vector) r.value()).samples().get(0));
    assertEquals(List.of("PromQL info: mismatched custom buckets were reconciled during addition"
        + " (1:1)"), r.infos());
  }

  @Test
  void setOperatorsPassHistogramsThrough() {
    assertHistogram(exp(4, 10, 1, 2, 1), samples("h and on(job) f").get(0));
    List<Sample> or = samples("mixed or h");
    assertEquals(4, or.size());
    assertEquals(2, or.stream().filter(Sample::isHistogram).count());
    assertHistogram(exp(4, 10, 1, 2, 1), samples("h unless mixed").get(0));
  }

  @Test
  void floatFunctionsDropHistograms() {
    List<Sample> abs = samples("abs(mixed)");
    assertEquals(2, abs.size());
    assertTrue(abs.stream().noneMatch(Sample::isHistogram));
    assertEquals(2, samples("clamp(mixed, 0, 5)").size());
    assertEquals(2, samples("round(mixed)").size());
    assertEquals(2, samples("hour(mixed)").size());
    List<Sample> sorted = samples("sort(mixed)");
    assertEquals(List.of(-2.5, 7.0), sorted.stream().map(Sample::value).toList());
  }

  @Test
  void scalarTimestampAndLabelFunctionsWithHistograms() {
    assertEquals(3.0, ((Scalar) query("scalar(f or h)").value()).value());
    assertTrue(Double.isNaN(((Scalar) query("scalar(h)").value()).value()));
    assertEquals(60.0, samples("timestamp(h)").get(0).value());
    assertEquals(60.0, samples("timestamp(-h)").get(0).value());
    Sample relabelled = samples("label_replace(h, \"x\", \"$1\", \"job\", \"(.*)\")").get(0);
    assertEquals("a", relabelled.metric().get("x"));
    assertHistogram(exp(4, 10, 1, 2, 1), relabelled);
    assertHistogram(exp(4, 10, 1, 2, 1), samples("label_join(h, \"y\", \"-\", \"job\")").get(0));
  }
}
