package dev.tsdb.api.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.rules.config.OtlpConfig;
import dev.tsdb.rules.config.OtlpTranslationStrategy;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OTLP to Prometheus series as Prometheus 3.5's receiver translates them. */
class OtlpTranslatorTest {
  private static final long T = 1_700_000_000_000L;
  static final long T_NANOS = T * 1_000_000;
  private static final String TRACE = "0102030405060708090a0b0c0d0e0f10";
  private static final String SPAN = "1112131415161718";

  static KeyValue attr(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  static Resource resource(KeyValue... attrs) {
    return Resource.newBuilder().addAllAttributes(List.of(attrs)).build();
  }

  static final Resource SERVICE = resource(attr("service.name", "api"),
      attr("service.namespace", "shop"), attr("service.instance.id", "pod-1"),
      attr("host.name", "node-a"), attr("k8s.cluster.name", "prod"));

  static ExportMetricsServiceRequest request(Resource r, Metric... metrics) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(
        ResourceMetrics.newBuilder().setResource(r).addScopeMetrics(ScopeMetrics.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("lib").setVersion("1.2"))
            .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
            .addAllMetrics(List.of(metrics)))).build();
  }

  static NumberDataPoint.Builder point(double v, KeyValue... attrs) {
    return NumberDataPoint.newBuilder().setTimeUnixNano(T_NANOS).setAsDouble(v)
        .addAllAttributes(List.of(attrs));
  }

  static Metric gauge(String name, String unit, NumberDataPoint.Builder... points) {
    Gauge.Builder g = Gauge.newBuilder();
    for (NumberDataPoint.Builder p : points) {
      g.addDataPoints(p);
    }
    return Metric.newBuilder().setName(name).setUnit(unit).setDescription("help of " + name)
        .setGauge(g).build();
  }

  static Metric sum(String name, String unit, boolean monotonic, AggregationTemporality t,
      NumberDataPoint.Builder... points) {
    Sum.Builder s = Sum.newBuilder().setIsMonotonic(monotonic).setAggregationTemporality(t);
    for (NumberDataPoint.Builder p : points) {
      s.addDataPoints(p);
    }
    return Metric.newBuilder().setName(name).setUnit(unit).setSum(s).build();
  }

  static Exemplar exemplar(double v) {
    return Exemplar.newBuilder().setAsDouble(v).setTimeUnixNano(T_NANOS - 1_000_000)
        .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(TRACE)))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(SPAN)))
        .addFilteredAttributes(attr("user", "u1")).build();
  }

  static HistogramDataPoint.Builder explicit() {
    return HistogramDataPoint.newBuilder().setTimeUnixNano(T_NANOS).setCount(10).setSum(7.5)
        .addAllExplicitBounds(List.of(0.5, 1.0)).addAllBucketCounts(List.of(3L, 5L, 2L));
  }

  static Metric histogram(String name, String unit, HistogramDataPoint.Builder p) {
    return Metric.newBuilder().setName(name).setUnit(unit).setHistogram(
        io.opentelemetry.proto.metrics.v1.Histogram.newBuilder().addDataPoints(p)
            .setAggregationTemporality(
                AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)).build();
  }

  static RecordingWriter translate(OtlpConfig c, ExportMetricsServiceRequest r) {
    RecordingWriter w = new RecordingWriter();
    new OtlpTranslator(c, false).translate(r, w);
    return w;
  }

  static OtlpConfig config(OtlpTranslationStrategy s, List<String> promote, boolean all,
      List<String> ignore, boolean keepIdentifying, boolean nhcb, boolean scope) {
    return new OtlpConfig(s, promote, all, ignore, keepIdentifying, nhcb, scope, true, true);
  }

  @Test
  void gaugeLabelsJobInstanceAndTargetInfo() {
    RecordingWriter w = translate(OtlpConfig.DEFAULT, request(SERVICE,
        gauge("system.memory.usage", "By", point(42, attr("state", "used"),
            attr("http.method", "GET")))));
    RecordingWriter.Sample s = w.only("system_memory_usage_bytes");
    assertEquals(Labels.of("__name__", "system_memory_usage_bytes", "http_method", "GET",
        "instance", "pod-1", "job", "shop/api", "state", "used"), s.labels());
    assertEquals(T, s.t());
    assertEquals(42, s.v());
    assertEquals(new MetricMetadata("gauge", "help of system.memory.usage", "By"),
        w.metadata.get("system_memory_usage_bytes"));
    // target_info carries the other resource attributes, at the newest point's time.
    RecordingWriter.Sample info = w.only("target_info");
    assertEquals(Labels.of("__name__", "target_info", "host_name", "node-a", "instance",
        "pod-1", "job", "shop/api", "k8s_cluster_name", "prod"), info.labels());
    assertEquals(T, info.t());
    assertEquals(1, info.v());
  }

  @Test
  void targetInfoNeedsOtherAttributesAndAnIdentity() {
    RecordingWriter w = translate(OtlpConfig.DEFAULT, request(resource(
        attr("service.name", "api")), gauge("g", "", point(1))));
    assertTrue(w.samples.stream().noneMatch(s -> s.labels().metricName().equals("target_info")));
    w = translate(OtlpConfig.DEFAULT, request(resource(attr("host.name", "x")),
        gauge("g", "", point(1))));
    assertTrue(w.samples.stream().noneMatch(s -> s.labels().metricName().equals("target_info")));
    assertEquals(Labels.of("__name__", "g"), w.only("g").labels());
  }

  @Test
  void keepIdentifyingAttributesOnTargetInfo() {
    OtlpConfig c = config(OtlpTranslationStrategy.UnderscoreEscapingWithSuffixes, List.of(),
        false, List.of(), true, false, false);
    RecordingWriter w = translate(c, request(SERVICE, gauge("g", "", point(1))));
    assertEquals(Labels.of("__name__", "target_info", "host_name", "node-a", "instance", "pod-1",
        "job", "shop/api", "k8s_cluster_name", "prod", "service_instance_id", "pod-1",
        "service_name", "api", "service_namespace", "shop"), w.only("target_info").labels());
  }

  @Test
  void monotonicCumulativeSumIsACounterWithExemplars() {
    RecordingWriter w = translate(OtlpConfig.DEFAULT, request(SERVICE,
        sum("http.server.requests", "{request}", true,
            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
            point(5).addExemplars(exemplar(1)))));
    RecordingWriter.Sample s = w.only("http_server_requests_total");
    assertEquals(5, s.v());
    assertEquals("counter", w.metadata.get("http_server_requests_total").type());
    assertEquals(1, w.exemplars.size());
    RecordingWriter.ExemplarAt e = w.exemplars.get(0);
    assertEquals(s.labels(), e.series());
    assertEquals(Labels.of("span_id", SPAN, "trace_id", TRACE, "user", "u1"),
        e.exemplar().labels());
    assertEquals(T - 1, e.exemplar().timestampMs());
  }

  @Test
  void upDownCounterIsAGauge() {
    RecordingWriter w = translate(OtlpConfig.DEFAULT, request(SERVICE, sum("queue.length", "",
        false, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, point(-3))));
    assertEquals(-3, w.only("queue_length").v());
    assertEquals("gauge", w.metadata.get("queue_length").type());
  }

  @Test
  void deltaIsRefusedUnlessNativeDeltaIsOn() {
    ExportMetricsServiceRequest r = request(SERVICE, sum("jobs.done", "", true,
        AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, point(3), point(4)),
        gauge("g", "", point(1)));
    RecordingWriter w = new RecordingWriter();
    OtlpTranslator.Result res = new OtlpTranslator(OtlpConfig.DEFAULT, false).translate(r, w);
    assertEquals(2, res.rejectedPoints);
    assertTrue(res.errors.get(0).startsWith(
        "invalid temporality and type combination for metric \"jobs.done\": delta temporality"),
        res.errors.toString());
    assertTrue(w.samples.stream().noneMatch(s -> s.labels().metricName().startsWith("jobs")));
    w.only("g"); // the rest of the request goes in

    w = new RecordingWriter();
    res = new OtlpTranslator(OtlpConfig.DEFAULT, true).translate(r, w);
    assertEquals(0, res.rejectedPoints);
    assertEquals("unknown", w.metadata.get("jobs_done_total").type());
    assertEquals(2, w.samples.stream()
        .filter(s -> s.labels().metricName().equals("jobs_done_total")).count());
  }

  @Test
  void classicHistogramWithExemplarInItsBucket() {
    RecordingWriter w = translate(OtlpConfig.DEFAULT, request(SERVICE, histogram(
        "http.server.duration", "s", explicit().addExemplars(exemplar(0.7)))));
    assertEquals(7.5, w.only("http_server_duration_seconds_sum").v());
    assertEquals(10, w.only("http_server_duration_seconds_count").v());
    List<RecordingWriter.Sample> buckets = w.samples.stream()
        .filter(s -> s.labels().metricName().equals("http_server_duration_seconds_bucket"))
        .toList();
    assertEquals(List.of("0.5", "1", "+Inf"), buckets.stream().map(s -> s.labels().get("le"))
        .toList());
    assertEquals(List.of(3.0, 8.0, 10.0), buckets.stream().map(RecordingWriter.Sample::v)
        .toList());
    assertEquals("histogram", w.metadata.get("http_server_duration_seconds").type());
    assertEquals(1, w.exemplars.size());
    assertEquals("1", w.exemplars.get(0).series().get("le"));
  }

  @Test
  void histogramAsNativeWithCustomBuckets() {
    OtlpConfig c = config(OtlpTranslationStrategy.UnderscoreEscapingWithSuffixes, List.of(),
        false, List.of(), false, true, false);
    RecordingWriter w = translate(c, request(SERVICE, histogram("http.server.duration", "s",
        HistogramDataPoint.newBuilder().setTimeUnixNano(T_NANOS).setCount(5).setSum(2)
            .addAllExplicitBounds(List.of(0.5, 1.0, 2.0))
            .addAllBucketCounts(List.of(0L, 3L, 0L, 2L)))));
    assertTrue(w.samples.stream().noneMatch(s -> !s.labels().metricName().equals("target_info")));
    Histogram h = w.histograms.get(0).h();
    assertEquals("http_server_duration_seconds", w.histograms.get(0).labels().metricName());
    assertEquals(Histogram.CUSTOM_BUCKETS_SCHEMA, h.schema);
    assertArrayEquals(new double[] {0.5, 1.0, 2.0}, h.customValues);
    assertArrayEquals(new int[] {1, 3}, h.positiveSpans);
    assertArrayEquals(new long[] {3, -3, 2}, h.positiveBuckets);
    assertEquals(5, h.count);
    assertEquals(2, h.sum);
  }

  static Metric exponential(ExponentialHistogramDataPoint.Builder p,
      AggregationTemporality t) {
    return Metric.newBuilder().setName("rpc.latency").setUnit("ms").setExponentialHistogram(
        ExponentialHistogram.newBuilder().setAggregationTemporality(t).addDataPoints(p)).build();
  }

  @Test
  void exponentialHistogramsAreNativeAndScaledDownPastEight() {
    ExponentialHistogramDataPoint.Builder p = ExponentialHistogramDataPoint.newBuilder()
        .setTimeUnixNano(T_NANOS).setScale(10).setCount(13).setSum(100).setZeroCount(1)
        .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(0)
            .addAllBucketCounts(List.of(4L, 3L, 2L, 1L)))
        .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-2)
            .addAllBucketCounts(List.of(1L, 1L)));
    RecordingWriter w = translate(OtlpConfig.DEFAULT, request(SERVICE,
        exponential(p, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)));
    RecordingWriter.HistogramSample s = w.histograms.get(0);
    assertEquals("rpc_latency_milliseconds", s.labels().metricName());
    Histogram h = s.h();
    assertEquals(8, h.schema);
    assertEquals(1e-128, h.zeroThreshold);
    assertEquals(1, h.zeroCount);
    assertArrayEquals(new int[] {1, 1}, h.positiveSpans);
    assertArrayEquals(new long[] {10}, h.positiveBuckets);
    assertArrayEquals(new int[] {0, 1}, h.negativeSpans);
    assertArrayEquals(new long[] {2}, h.negativeBuckets);
    assertEquals(CounterResetHint.UNKNOWN, h.counterResetHint);
    assertEquals("histogram", w.metadata.get("rpc_latency_milliseconds").type());
  }

  @Test
  void exponentialScaleBelowMinusFourIsRefused() {
    RecordingWriter w = new RecordingWriter();
    OtlpTranslator.Result r = new OtlpTranslator(OtlpConfig.DEFAULT, false).translate(
        request(SERVICE, exponential(ExponentialHistogramDataPoint.newBuilder()
            .setTimeUnixNano(T_NANOS).setScale(-5).setCount(1),
            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)), w);
    assertEquals(1, r.rejectedPoints);
    assertEquals(List.of("cannot convert exponential to native histogram. Scale must be >= -4,"
        + " was -5"), r.errors);
    assertTrue(w.histograms.isEmpty());
  }

  @Test
  void deltaExponentialIsAGaugeHistogramWithNativeDelta() {
    RecordingWriter w = new RecordingWriter();
    new OtlpTranslator(OtlpConfig.DEFAULT, true).translate(request(SERVICE, exponential(
        ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T_NANOS).setScale(0)
            .setCount(1).setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder()
                .addBucketCounts(1)), AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)), w);
    assertEquals(CounterResetHint.GAUGE, w.histograms.get(0).h().counterResetHint);
  }

  @Test
  void summaries() {
    Metric m = Metric.newBuilder().setName("rpc.duration").setUnit("s").setSummary(
        Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(T_NANOS)
            .setCount(4).setSum(2).addQuantileValues(SummaryDataPoint.ValueAtQuantile
                .newBuilder().setQuantile(0.5).setValue(0.4))
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99)
                .setValue(0.9)))).build();
    RecordingWriter w = translate(OtlpConfig.DEFAULT, request(SERVICE, m));
    assertEquals(4, w.only("rpc_duration_seconds_count").v());
    assertEquals(2, w.only("rpc_duration_seconds_sum").v());
    assertEquals(List.of("0.5", "0.99"), w.samples.stream()
        .filter(s -> s.labels().metricName().equals("rpc_duration_seconds"))
        .map(s -> s.labels().get("quantile")).toList());
    assertEquals("summary", w.metadata.get("rpc_duration_seconds").type());
  }

  @Test
  void noRecordedValueIsAStaleMarker() {
    RecordingWriter w = translate(OtlpConfig.DEFAULT, request(SERVICE,
        gauge("g", "", point(1).setFlags(1))));
    assertEquals(0x7ff0000000000002L, Double.doubleToRawLongBits(w.only("g").v()));
  }

  @Test
  void promotedResourceAttributesAndCollisions() {
    OtlpConfig c = config(OtlpTranslationStrategy.UnderscoreEscapingWithSuffixes,
        List.of("k8s.cluster.name", "host.name"), false, List.of(), false, false, false);
    RecordingWriter w = translate(c, request(SERVICE, gauge("g", "", point(1,
        attr("host.name", "from-point"), attr("a.b", "1"), attr("a_b", "2"),
        attr("job", "ignored")))));
    // The point's attribute wins over the promoted one; a.b and a_b share a label name.
    assertEquals(Labels.of("__name__", "g", "a_b", "1;2", "host_name", "from-point",
        "instance", "pod-1", "job", "shop/api", "k8s_cluster_name", "prod"),
        w.only("g").labels());
  }

  @Test
  void promoteAllButIgnored() {
    OtlpConfig c = config(OtlpTranslationStrategy.UnderscoreEscapingWithSuffixes, List.of(),
        true, List.of("host.name", "service.namespace"), false, false, false);
    RecordingWriter w = translate(c, request(SERVICE, gauge("g", "", point(1))));
    assertEquals(Labels.of("__name__", "g", "instance", "pod-1", "job", "shop/api",
        "k8s_cluster_name", "prod", "service_instance_id", "pod-1", "service_name", "api"),
        w.only("g").labels());
  }

  @Test
  void scopeMetadataWhenPromoted() {
    OtlpConfig c = config(OtlpTranslationStrategy.UnderscoreEscapingWithSuffixes, List.of(),
        false, List.of(), false, false, true);
    RecordingWriter w = translate(c, request(SERVICE, gauge("g", "", point(1))));
    Labels l = w.only("g").labels();
    assertEquals("lib", l.get("otel_scope_name"));
    assertEquals("1.2", l.get("otel_scope_version"));
    assertEquals("https://opentelemetry.io/schemas/1.24.0", l.get("otel_scope_schema_url"));
  }

  @Test
  void utf8StrategiesKeepNames() {
    OtlpConfig c = config(OtlpTranslationStrategy.NoUTF8EscapingWithSuffixes, List.of(), false,
        List.of(), false, false, false);
    RecordingWriter w = translate(c, request(SERVICE, sum("http.requests", "", true,
        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
        point(1, attr("http.method", "GET")))));
    assertEquals("GET", w.only("http.requests_total").labels().get("http.method"));
    c = config(OtlpTranslationStrategy.NoTranslation, List.of(), false, List.of(), false, false,
        false);
    w = translate(c, request(SERVICE, sum("http.requests", "", true,
        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, point(1))));
    w.only("http.requests");
  }

  @Test
  void emptyMetricsAndRefusedSamplesAreReported() {
    RecordingWriter w = new RecordingWriter();
    w.refuse.add("g_total");
    OtlpTranslator.Result r = new OtlpTranslator(OtlpConfig.DEFAULT, false).translate(
        request(SERVICE, gauge("empty", ""), sum("g", "", true,
            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, point(1))), w);
    assertEquals(1, r.rejectedPoints);
    assertEquals("empty data points. empty is dropped", r.errors.get(0));
    assertTrue(r.errors.get(1).startsWith("sample refused for series"), r.errors.toString());
  }
}
