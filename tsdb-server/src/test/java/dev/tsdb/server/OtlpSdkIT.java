package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry Java SDK's own OTLP/HTTP exporter (protobuf, gzip'ed, and JSON) sends
 * counters, gauges, up-down counters, explicit and exponential histograms to our server with
 * --web.enable-otlp-receiver; the series, native histograms, target_info and metadata are then
 * queried back through the HTTP API, as a user of Prometheus 3 would.
 */
class OtlpSdkIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  static TestServer ours;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("prometheus.yml"), """
        otlp:
          promote_resource_attributes: [deployment.environment]
        """);
    ours = new TestServer(dir, "--web.enable-otlp-receiver");
  }

  @AfterAll
  static void stop() {
    if (ours != null) {
      ours.close();
    }
  }

  private static Resource resource(String instance) {
    return Resource.create(Attributes.builder()
        .put("service.name", "checkout").put("service.namespace", "shop")
        .put("service.instance.id", instance).put("host.name", "node-7")
        .put("deployment.environment", "test").build());
  }

  /**
   * Records the same instruments through a meter provider exporting to us, then flushes. The
   * counter's last increment happens inside a sampled span, so the SDK attaches an exemplar
   * with that span's ids; returns the trace id.
   */
  private static String recordAndExport(MetricExporter exporter, String instance) {
    SdkMeterProvider provider = SdkMeterProvider.builder()
        .setResource(resource(instance))
        .registerMetricReader(PeriodicMetricReader.builder(exporter)
            .setInterval(Duration.ofHours(1)).build())
        .registerView(InstrumentSelector.builder().setName("rpc.latency").build(),
            View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build())
        .registerView(InstrumentSelector.builder().setName("http.server.duration").build(),
            View.builder().setAggregation(Aggregation.explicitBucketHistogram(
                List.of(0.1, 0.5, 1.0))).build())
        .build();
    Meter meter = provider.get("dev.tsdb.it");
    Attributes get = Attributes.of(AttributeKey.stringKey("http.method"), "GET");
    var requests = meter.counterBuilder("http.server.requests").setUnit("{request}")
        .setDescription("Requests served.").build();
    requests.add(2, get);
    Span span;
    try (SdkTracerProvider tracing = SdkTracerProvider.builder().build()) {
      span = tracing.get("dev.tsdb.it").spanBuilder("request").startSpan();
      try (Scope ignored = span.makeCurrent()) {
        requests.add(1, get);
      }
      span.end();
    }
    // Names and attribute names that need escaping, as Prometheus escapes them.
    meter.counterBuilder("disk.io").setUnit("By").build().add(4096, Attributes.builder()
        .put("1st.try", "yes").put("_private", "p").put("a.b", "one").put("a_b", "two").build());
    meter.gaugeBuilder("process.cpu.utilization").setUnit("1").build().set(0.25);
    meter.gaugeBuilder("room.temperature").setUnit("Cel").build().set(21.5);
    meter.upDownCounterBuilder("queue.length").build().add(-4);
    var duration = meter.histogramBuilder("http.server.duration").setUnit("s").build();
    for (double v : new double[] {0.05, 0.3, 0.3, 0.7, 2}) {
      duration.record(v, get);
    }
    var latency = meter.histogramBuilder("rpc.latency").setUnit("ms").build();
    for (double v : new double[] {1, 2, 4, 8, 100}) {
      latency.record(v);
    }
    CompletableResultCode flushed = provider.forceFlush().join(30, TimeUnit.SECONDS);
    assertTrue(flushed.isSuccess(), "export failed: " + flushed.getFailureThrowable());
    provider.close();
    return span.getSpanContext().getTraceId();
  }

  private static OtlpHttpMetricExporterBuilder exporter() {
    return OtlpHttpMetricExporter.builder()
        .setEndpoint(ours.base + "/api/v1/otlp/v1/metrics");
  }

  private static JsonNode query(String q) throws Exception {
    return query(ours, q);
  }

  private static JsonNode query(TestServer server, String q) throws Exception {
    JsonNode r = JSON.readTree(server.get("/api/v1/query?query=" + TestServer.enc(q)).body());
    assertEquals("success", r.path("status").asText(), r.toString());
    return r.path("data").path("result");
  }

  /** Seconds between a series' last two samples, from their exact millisecond times. */
  private static double lastInterval(TestServer server, String selector) throws Exception {
    JsonNode series = query(server, selector + "[10m]").get(0);
    JsonNode points = series.has("values") ? series.path("values") : series.path("histograms");
    int n = points.size();
    long last = Math.round(points.get(n - 1).get(0).asDouble() * 1000);
    long previous = Math.round(points.get(n - 2).get(0).asDouble() * 1000);
    return (last - previous) / 1000.0;
  }

  private static double value(String q) throws Exception {
    return value(ours, q);
  }

  private static double value(TestServer server, String q) throws Exception {
    JsonNode result = query(server, q);
    assertEquals(1, result.size(), q + " -> " + result);
    return result.get(0).path("value").get(1).asDouble();
  }

  @Test
  void protobufGzipFromTheSdk() throws Exception {
    String traceId = recordAndExport(exporter().setCompression("gzip").build(), "i-1");
    String sel = "{job=\"shop/checkout\",instance=\"i-1\"";
    assertEquals(3, value("http_server_requests_total" + sel + ",http_method=\"GET\","
        + "deployment_environment=\"test\"}"));
    assertEquals(21.5, value("room_temperature_celsius" + sel + "}"));
    assertEquals(-4, value("queue_length" + sel + "}"));
    assertEquals(5, value("http_server_duration_seconds_count" + sel + "}"));
    assertEquals(3, value("http_server_duration_seconds_bucket" + sel + ",le=\"0.5\"}"));
    assertEquals(5, value("http_server_duration_seconds_bucket" + sel + ",le=\"+Inf\"}"));
    // The exponential histogram is a native histogram.
    assertEquals(5, value("histogram_count(rpc_latency_milliseconds" + sel + "})"));
    assertEquals(115, value("histogram_sum(rpc_latency_milliseconds" + sel + "})"));
    JsonNode h = query("rpc_latency_milliseconds" + sel + "}").get(0);
    assertTrue(h.has("histogram"), h.toString());
    // target_info carries the resource attributes that are not job and instance.
    assertEquals(1, value("target_info{instance=\"i-1\",host_name=\"node-7\","
        + "deployment_environment=\"test\"}"));

    assertEquals(4096, value("disk_io_bytes_total" + sel + ",key_1st_try=\"yes\","
        + "key_private=\"p\",a_b=\"one;two\"}"));
    assertEquals(0.25, value("process_cpu_utilization_ratio" + sel + "}"));

    // The exemplar of the span, with its trace id in hex.
    long now = System.currentTimeMillis() / 1000;
    JsonNode ex = JSON.readTree(ours.get("/api/v1/query_exemplars?query="
        + TestServer.enc("http_server_requests_total" + sel + "}") + "&start=" + (now - 600)
        + "&end=" + (now + 60)).body()).path("data");
    assertEquals(1, ex.size(), ex.toString());
    JsonNode e = ex.get(0).path("exemplars").get(0);
    assertEquals(traceId, e.path("labels").path("trace_id").asText(), ex.toString());
    assertEquals(16, e.path("labels").path("span_id").asText().length());
    assertEquals("1", e.path("value").asText());

    JsonNode md = JSON.readTree(ours.get("/api/v1/metadata?metric=http_server_requests_total")
        .body()).path("data").path("http_server_requests_total").get(0);
    assertEquals("counter", md.path("type").asText());
    assertEquals("Requests served.", md.path("help").asText());
    assertEquals("{request}", md.path("unit").asText());
  }

  @Test
  void jsonFromTheSdk() throws Exception {
    // The SDK's JSON encoding is package-private on the builder (OTLP/HTTP JSON).
    OtlpHttpMetricExporterBuilder b = exporter();
    Method json = OtlpHttpMetricExporterBuilder.class.getDeclaredMethod("exportAsJson");
    json.setAccessible(true);
    json.invoke(b);
    recordAndExport(b.build(), "i-json");
    String sel = "{job=\"shop/checkout\",instance=\"i-json\"";
    assertEquals(3, value("http_server_requests_total" + sel + "}"));
    assertEquals(21.5, value("room_temperature_celsius" + sel + "}"));
    assertEquals(5, value("histogram_count(rpc_latency_milliseconds" + sel + "})"));
    assertEquals(1, value("http_server_duration_seconds_bucket" + sel + ",le=\"0.1\"}"));
  }

  @Test
  void deltaTemporalityIsNotStored() throws Exception {
    recordAndExport(exporter().setAggregationTemporalitySelector(
        AggregationTemporalitySelector.deltaPreferred()).build(), "i-delta");
    String sel = "{instance=\"i-delta\"";
    assertEquals(0, query("http_server_requests_total" + sel + "}").size());
    assertEquals(0, query("rpc_latency_milliseconds" + sel + "}").size());
    // Gauges have no temporality and still go in.
    assertEquals(21.5, value("room_temperature_celsius" + sel + "}"));
  }

  /** Upstream Prometheus 3.5 refuses to start with both ways of taking deltas. */
  @Test
  void deltaConversionAndNativeDeltaExcludeEachOther() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TestServer(dir.resolve("both"), "--web.enable-otlp-receiver",
            "--enable-feature=otlp-deltatocumulative,otlp-native-delta-ingestion"));
    assertEquals("Error parsing feature list: cannot enable otlp-deltatocumulative and"
        + " otlp-native-delta-ingestion features at the same time", e.getMessage());
  }

  /**
   * With --enable-feature=otlp-deltatocumulative the SDK's delta exports (one per flush, each
   * with only that interval's increments) are stored as running totals: counters and
   * histograms whose rate is what was sent per interval.
   */
  @Test
  void deltaTemporalityIsConvertedToCumulativeWithTheFeature() throws Exception {
    try (TestServer server = new TestServer(dir.resolve("d2c"), "--web.enable-otlp-receiver",
        "--enable-feature=otlp-deltatocumulative")) {
      SdkMeterProvider provider = SdkMeterProvider.builder()
          .setResource(resource("i-d2c"))
          .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
                  .setEndpoint(server.base + "/api/v1/otlp/v1/metrics")
                  .setAggregationTemporalitySelector(
                      AggregationTemporalitySelector.deltaPreferred()).build())
              .setInterval(Duration.ofHours(1)).build())
          .registerView(InstrumentSelector.builder().setName("rpc.latency").build(),
              View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram())
                  .build())
          .registerView(InstrumentSelector.builder().setName("http.server.duration").build(),
              View.builder().setAggregation(Aggregation.explicitBucketHistogram(
                  List.of(0.1, 0.5, 1.0))).build())
          .build();
      Meter meter = provider.get("dev.tsdb.it");
      var requests = meter.counterBuilder("http.server.requests").build();
      var duration = meter.histogramBuilder("http.server.duration").setUnit("s").build();
      var latency = meter.histogramBuilder("rpc.latency").setUnit("ms").build();
      long[] increments = {3, 5, 7};
      for (long inc : increments) {
        requests.add(inc);
        for (int i = 0; i < inc; i++) {
          duration.record(0.3);
          latency.record(4);
        }
        CompletableResultCode flushed = provider.forceFlush().join(30, TimeUnit.SECONDS);
        assertTrue(flushed.isSuccess(), "export failed: " + flushed.getFailureThrowable());
        Thread.sleep(20); // distinct millisecond timestamps per export
      }
      provider.close();

      String sel = "{instance=\"i-d2c\"}";
      // A counter of running totals: 3, 8, 15, never reset.
      JsonNode samples = query(server, "http_server_requests_total" + sel + "[10m]").get(0)
          .path("values");
      assertEquals(3, samples.size(), samples.toString());
      long total = 0;
      for (int i = 0; i < 3; i++) {
        total += increments[i];
        assertEquals(total, samples.get(i).get(1).asLong(), samples.toString());
      }
      assertEquals(0, value(server, "resets(http_server_requests_total" + sel + "[10m])"));
      assertEquals(increments[2] / lastInterval(server, "http_server_requests_total" + sel),
          value(server, "irate(http_server_requests_total" + sel + "[10m])"), 1e-9);
      JsonNode md = JSON.readTree(server.get("/api/v1/metadata?metric="
          + "http_server_requests_total").body()).path("data")
          .path("http_server_requests_total").get(0);
      assertEquals("counter", md.path("type").asText());

      // Explicit-bounds histogram: classic series of running totals.
      assertEquals(15, value(server, "http_server_duration_seconds_count" + sel));
      assertEquals(15, value(server, "http_server_duration_seconds_bucket{instance=\"i-d2c\","
          + "le=\"0.5\"}"));
      assertEquals(0, value(server, "http_server_duration_seconds_bucket{instance=\"i-d2c\","
          + "le=\"0.1\"}"));
      assertEquals(increments[2] / lastInterval(server, "http_server_duration_seconds_count"
          + sel), value(server, "irate(http_server_duration_seconds_count" + sel + "[10m])"),
          1e-9);

      // Exponential histogram: a native counter histogram of running totals.
      assertEquals(15, value(server, "histogram_count(rpc_latency_milliseconds" + sel + ")"));
      assertEquals(60, value(server, "histogram_sum(rpc_latency_milliseconds" + sel + ")"));
      assertEquals(0, value(server, "resets(rpc_latency_milliseconds" + sel + "[10m])"));
      assertEquals(increments[2] / lastInterval(server, "rpc_latency_milliseconds" + sel),
          value(server, "histogram_count(irate(rpc_latency_milliseconds" + sel + "[10m]))"),
          1e-9);
    }
  }
}
