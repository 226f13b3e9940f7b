package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.parser.HistogramDescription;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.testkit.MemStorage;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The histogram_* functions over native histograms, through the parser and engine. */
class HistogramFunctionsTest {
  private static final long T = 60_000L;
  private MemStorage storage;
  private final Engine engine =
      new Engine(EngineOptions.DEFAULT.withExperimentalFunctions(true));

  @BeforeEach
  void setUp() throws Exception {
    storage = new MemStorage();
    Appender app = storage.appender();
    native_(app, Labels.of("__name__", "lat", "job", "a"),
        "{{schema:0 count:10 sum:50 buckets:[1 2 3 4]}}");
    app.append(0, Labels.of("__name__", "lat", "job", "f"), T, 7);
    // Four observations, one NaN: the buckets hold three.
    native_(app, Labels.of("__name__", "nans"), "{{schema:0 count:4 sum:NaN buckets:[1 2]}}");
    native_(app, Labels.of("__name__", "nhcb"),
        "{{schema:-53 count:4 sum:20 custom_values:[5 10] buckets:[1 2 1]}}");
    // A native and a classic histogram under the same labels, and a classic one alone.
    native_(app, Labels.of("__name__", "mixed", "job", "x"), "{{schema:0 count:2 sum:3 buckets:[2]}}");
    app.append(0, Labels.of("__name__", "mixed", "job", "x", "le", "1"), T, 1);
    app.append(0, Labels.of("__name__", "mixed", "job", "x", "le", "+Inf"), T, 2);
    app.append(0, Labels.of("__name__", "mixed", "job", "y", "le", "1"), T, 1);
    app.append(0, Labels.of("__name__", "mixed", "job", "y", "le", "+Inf"), T, 2);
    app.commit();
  }

  private static void native_(Appender app, Labels ls, String description) throws Exception {
    app.appendHistogram(0, ls, T, null, HistogramDescription.parse(description));
  }

  private QueryResult instant(String q) {
    return engine.instantQuery(storage, q, T, QueryOptions.DEFAULT);
  }

  private static List<Sample> samples(QueryResult r) {
    return ((Vector) r.value()).samples().stream()
        .sorted(Comparator.comparing(s -> s.metric().toString())).toList();
  }

  private static double only(QueryResult r) {
    List<Sample> s = samples(r);
    assertEquals(1, s.size(), s.toString());
    assertNull(s.get(0).histogram());
    return s.get(0).value();
  }

  @Test
  void statisticsIgnoreFloatsAndDropTheName() {
    List<Sample> s = samples(instant("histogram_count(lat)"));
    assertEquals(1, s.size());
    assertEquals(Labels.of("job", "a"), s.get(0).metric());
    assertEquals(10, s.get(0).value());
    assertEquals(50, only(instant("histogram_sum(lat)")));
    assertEquals(5, only(instant("histogram_avg(lat)")));
    double variance = only(instant("histogram_stdvar(lat)"));
    assertTrue(variance > 0, "variance " + variance);
    assertEquals(Math.sqrt(variance), only(instant("histogram_stddev(lat)")), 1e-12);
  }

  @Test
  void quantileAndFractionOfExponentialBuckets() {
    // The script native_histograms.test gives 3.1748021039363987 for this histogram.
    assertEquals(3.1748021039363987, only(instant("histogram_quantile(0.5, lat)")), 1e-12);
    assertEquals(1.0, only(instant("histogram_fraction(-Inf, +Inf, lat)")));
    List<Sample> qs = samples(instant("histogram_quantiles(lat, \"q\", 0.5, 1)"));
    assertEquals(List.of(Labels.of("job", "a", "q", "0.5"), Labels.of("job", "a", "q", "1.0")),
        qs.stream().map(Sample::metric).toList());
    assertEquals(3.1748021039363987, qs.get(0).value(), 1e-12);
    assertEquals(8.0, qs.get(1).value());
  }

  @Test
  void customBucketsInterpolateLinearly() {
    assertEquals(7.5, only(instant("histogram_quantile(0.5, nhcb)")));
    assertEquals(0.5, only(instant("histogram_fraction(5, 10, nhcb)")));
  }

  @Test
  void nanObservationsGiveInfos() {
    QueryResult high = instant("histogram_quantile(0.9, nans)");
    assertTrue(Double.isNaN(only(high)));
    assertEquals(List.of("PromQL info: input to histogram_quantile has NaN observations, result "
        + "is NaN (1:25)"), high.infos());
    QueryResult mid = instant("histogram_quantile(0.5, nans)");
    assertEquals(Math.sqrt(2), only(mid), 1e-12);
    assertEquals(List.of("PromQL info: input to histogram_quantile has NaN observations, result "
        + "is skewed higher (1:25)"), mid.infos());
    QueryResult fraction = instant("histogram_fraction(0, 10, nans)");
    assertEquals(0.75, only(fraction));
    assertEquals(List.of("PromQL info: input to histogram_fraction has NaN observations, which "
        + "are excluded from all fractions (1:27)"), fraction.infos());
    // No info where no fraction is computed (empty interval).
    assertTrue(instant("histogram_fraction(1, 1, nans)").infos().isEmpty());
  }

  @Test
  void nativeAndClassicUnderTheSameLabelsAreBothLeftOut() {
    QueryResult r = instant("histogram_quantile(0.5, mixed)");
    List<Sample> s = samples(r);
    assertEquals(1, s.size(), s.toString());
    assertEquals(Labels.of("job", "y"), s.get(0).metric());
    assertEquals(List.of("PromQL warning: vector contains a mix of classic and native "
        + "histograms (1:25)"), r.warnings());
    assertEquals(1, samples(instant("histogram_fraction(0, 1, mixed)")).size());
  }

  @Test
  void delayedNameRemovalNamesTheMetricInAnnotations() {
    Engine delayed = new Engine(EngineOptions.DEFAULT.withDelayedNameRemoval(true));
    QueryResult r = delayed.instantQuery(storage, "histogram_quantile(0.5, mixed)", T,
        QueryOptions.DEFAULT);
    assertEquals(List.of("PromQL warning: vector contains a mix of classic and native "
        + "histograms for metric name \"mixed\" (1:25)"), r.warnings());
    List<Sample> s = samples(delayed.instantQuery(storage, "histogram_count(lat)", T,
        QueryOptions.DEFAULT));
    assertEquals(Labels.of("job", "a"), s.get(0).metric());
  }
}
