package dev.tsdb.api.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import dev.tsdb.api.metadata.MetadataStore;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appendable;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.rules.config.OtlpConfig;
import dev.tsdb.testkit.MemStorage;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /api/v1/otlp/v1/metrics: encodings, OTLP/HTTP status codes and bodies. */
class OtlpWriteHandlerTest {
  private static final long NOW = 1_700_000_000_000L;
  private final MemStorage storage = new MemStorage();
  private final MetadataStore metadata = new MetadataStore();
  private final HttpClient http = HttpClient.newHttpClient();
  private Undertow undertow;
  private String url;

  @BeforeEach
  void start() {
    serve(new OtlpWriteHandler(storage, metadata, () -> OtlpConfig.DEFAULT,
        false, 64 << 10, () -> NOW));
  }

  private void serve(OtlpWriteHandler h) {
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1")
        .setHandler(new BlockingHandler(ex -> h.handle(ex, Map.of()))).build();
    undertow.start();
    int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    url = "http://127.0.0.1:" + port + "/api/v1/otlp/v1/metrics";
  }

  @AfterEach
  void stop() {
    undertow.stop();
  }

  private HttpResponse<byte[]> post(String contentType, String encoding, byte[] body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static ExportMetricsServiceRequest gaugeRequest() {
    return OtlpTranslatorTest.request(OtlpTranslatorTest.SERVICE, OtlpTranslatorTest.gauge(
        "room.temperature", "Cel", OtlpTranslatorTest.point(21.5)));
  }

  private List<String> storedSeries() {
    SeriesSet ss = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)
        .select(true, null, Matcher.re("__name__", ".+"));
    List<String> out = new java.util.ArrayList<>();
    while (ss.next()) {
      SampleIterator it = ss.at().iterator(null);
      while (it.next() != ValueType.NONE) {
        out.add(ss.at().labels().metricName() + "@" + it.t() + "=" + it.v());
      }
    }
    return out;
  }

  @Test
  void protobufIsStoredAndAnsweredWithAnEmptyResponse() throws Exception {
    HttpResponse<byte[]> r = post("application/x-protobuf", null, gaugeRequest().toByteArray());
    assertEquals(200, r.statusCode());
    assertEquals("application/x-protobuf", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals(ExportMetricsServiceResponse.getDefaultInstance(),
        ExportMetricsServiceResponse.parseFrom(r.body()));
    assertEquals(List.of("room_temperature_celsius@" + OtlpTranslatorTest.T_NANOS / 1_000_000
        + "=21.5", "target_info@" + OtlpTranslatorTest.T_NANOS / 1_000_000 + "=1.0"),
        storedSeries());
    assertEquals(List.of(new MetricMetadata("gauge", "help of room.temperature", "Cel")),
        metadata.snapshot().get("room_temperature_celsius"));
  }

  @Test
  void gzipAndJson() throws Exception {
    String json = """
        {"resourceMetrics":[{"resource":{"attributes":[
          {"key":"service.name","value":{"stringValue":"api"}}]},
         "scopeMetrics":[{"scope":{"name":"x"},"metrics":[
          {"name":"jobs","unknownField":1,"sum":{"aggregationTemporality":2,"isMonotonic":true,
           "dataPoints":[{"timeUnixNano":"1700000000000000000","asInt":"7",
             "exemplars":[{"timeUnixNano":"1700000000000000000","asDouble":1,
               "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}]}]}}]}]}]}
        """;
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    }
    HttpResponse<byte[]> r = post("application/json", "gzip", gz.toByteArray());
    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals("{}", new String(r.body(), StandardCharsets.UTF_8));
    assertEquals(List.of("jobs_total@1700000000000=7.0"), storedSeries());
  }

  @Test
  void jsonIdsAreHex() throws Exception {
    String json = """
        {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"g","gauge":{"dataPoints":[
          {"asDouble":1,"exemplars":[{"asDouble":1,
            "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}]}]}}]}]}]}
        """;
    ExportMetricsServiceRequest req = OtlpRequestDecoder.decode(
        json.getBytes(StandardCharsets.UTF_8), OtlpFormat.JSON);
    var e = req.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getGauge()
        .getDataPoints(0).getExemplars(0);
    assertEquals("5b8efff798038103d269b633813fc60c",
        HexFormat.of().formatHex(e.getTraceId().toByteArray()));
    assertEquals("eee19b7ec3c1b174", HexFormat.of().formatHex(e.getSpanId().toByteArray()));
  }

  @Test
  void deltaIsAPartialSuccess() throws Exception {
    ExportMetricsServiceRequest req = OtlpTranslatorTest.request(OtlpTranslatorTest.SERVICE,
        OtlpTranslatorTest.sum("jobs", "", true,
            AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, OtlpTranslatorTest.point(1)),
        OtlpTranslatorTest.gauge("g", "", OtlpTranslatorTest.point(2)));
    HttpResponse<byte[]> r = post("application/x-protobuf", null, req.toByteArray());
    assertEquals(200, r.statusCode());
    ExportMetricsServiceResponse resp = ExportMetricsServiceResponse.parseFrom(r.body());
    assertEquals(1, resp.getPartialSuccess().getRejectedDataPoints());
    assertTrue(resp.getPartialSuccess().getErrorMessage().contains(
        "invalid temporality and type combination for metric \"jobs\""),
        resp.getPartialSuccess().getErrorMessage());
    assertEquals(2, storedSeries().size()); // g and target_info
  }

  @Test
  void deltaToCumulativeStoresCountersAndReportsDroppedPoints() throws Exception {
    undertow.stop();
    serve(new OtlpWriteHandler(storage, metadata, () -> OtlpConfig.DEFAULT, false,
        DeltaToCumulative.withDefaults(() -> NOW), 64 << 10, () -> NOW));
    long t = OtlpTranslatorTest.T_NANOS;
    long ms = t / 1_000_000;
    ExportMetricsServiceRequest first = OtlpTranslatorTest.request(OtlpTranslatorTest.SERVICE,
        OtlpTranslatorTest.sum("jobs", "", true,
            AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, OtlpTranslatorTest.point(1)
                .setStartTimeUnixNano(t - 1_000_000_000)));
    ExportMetricsServiceRequest second = OtlpTranslatorTest.request(OtlpTranslatorTest.SERVICE,
        OtlpTranslatorTest.sum("jobs", "", true,
            AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, OtlpTranslatorTest.point(2)
                .setStartTimeUnixNano(t).setTimeUnixNano(t + 1_000_000_000)));
    assertEquals(ExportMetricsServiceResponse.getDefaultInstance(),
        ExportMetricsServiceResponse.parseFrom(post("application/x-protobuf", null,
            first.toByteArray()).body()));
    post("application/x-protobuf", null, second.toByteArray());
    assertEquals(List.of("jobs_total@" + ms + "=1.0", "jobs_total@" + (ms + 1000) + "=3.0"),
        storedSeries().stream().filter(x -> x.startsWith("jobs")).toList());
    assertEquals("counter", metadata.snapshot().get("jobs_total").get(0).type());
    // The first point again is out of order for its stream: dropped and said so.
    ExportMetricsServiceResponse resp = ExportMetricsServiceResponse.parseFrom(
        post("application/x-protobuf", null, first.toByteArray()).body());
    assertEquals(1, resp.getPartialSuccess().getRejectedDataPoints());
    assertTrue(resp.getPartialSuccess().getErrorMessage().startsWith(
        "delta-to-cumulative dropped a point of metric \"jobs\""),
        resp.getPartialSuccess().getErrorMessage());
  }

  @Test
  void outOfBoundsSamplesAreRefusedPoints() throws Exception {
    long future = (NOW + 3_600_000) * 1_000_000;
    ExportMetricsServiceRequest req = OtlpTranslatorTest.request(OtlpTranslatorTest.SERVICE,
        OtlpTranslatorTest.gauge("g", "", OtlpTranslatorTest.point(2).setTimeUnixNano(future)));
    HttpResponse<byte[]> r = post("application/x-protobuf", null, req.toByteArray());
    ExportMetricsServiceResponse resp = ExportMetricsServiceResponse.parseFrom(r.body());
    assertEquals(1, resp.getPartialSuccess().getRejectedDataPoints());
    assertTrue(resp.getPartialSuccess().getErrorMessage().contains("out of bounds"),
        resp.getPartialSuccess().getErrorMessage());
  }

  @Test
  void metricsWithoutANameAreRefusedPoints() throws Exception {
    ExportMetricsServiceRequest req = OtlpTranslatorTest.request(OtlpTranslatorTest.SERVICE,
        OtlpTranslatorTest.gauge("...", "", OtlpTranslatorTest.point(2)));
    HttpResponse<byte[]> r = post("application/x-protobuf", null, req.toByteArray());
    ExportMetricsServiceResponse resp = ExportMetricsServiceResponse.parseFrom(r.body());
    assertEquals(1, resp.getPartialSuccess().getRejectedDataPoints());
    assertTrue(resp.getPartialSuccess().getErrorMessage().contains("invalid metric name"),
        resp.getPartialSuccess().getErrorMessage());
  }

  /** google.rpc.Status: code (1) and message (2). */
  private static Object[] status(byte[] body) throws Exception {
    CodedInputStream in = CodedInputStream.newInstance(body);
    int code = 0;
    String message = "";
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag) {
        case 8 -> code = in.readInt32();
        case 18 -> message = in.readString();
        default -> in.skipField(tag);
      }
    }
    return new Object[] {code, message};
  }

  /**
   * A storage that cannot commit (full disk): 503, retryable by the specification (Prometheus
   * 3.5's 500 is not), with a google.rpc.Status body; nothing stored.
   */
  @Test
  void aStorageErrorIsRetryable503() throws Exception {
    undertow.stop();
    Appendable full = () -> new Appender() {
      @Override
      public long append(long ref, Labels labels, long t, double v) {
        return 0;
      }

      @Override
      public void commit() throws IOException {
        throw new IOException("No space left on device");
      }

      @Override
      public void rollback() {}
    };
    serve(new OtlpWriteHandler(full, metadata, () -> OtlpConfig.DEFAULT, false, 64 << 10,
        () -> NOW));
    HttpResponse<byte[]> r = post("application/x-protobuf", null, gaugeRequest().toByteArray());
    assertEquals(503, r.statusCode());
    Object[] status = status(r.body());
    assertEquals(14, status[0], "UNAVAILABLE");
    assertTrue(((String) status[1]).contains("No space left on device"), (String) status[1]);
  }

  @Test
  void errorsCarryAStatus() throws Exception {
    HttpResponse<byte[]> r = post("text/plain", null, new byte[0]);
    assertEquals(415, r.statusCode());
    assertEquals(3, status(r.body())[0]);
    assertEquals("unsupported content type: text/plain, supported: [application/json,"
        + " application/x-protobuf]", status(r.body())[1]);

    r = post("application/x-protobuf", "br", new byte[0]);
    assertEquals(415, r.statusCode());

    r = post("application/x-protobuf", null, new byte[] {(byte) 0xff, 0x01});
    assertEquals(400, r.statusCode());
    assertTrue(((String) status(r.body())[1]).startsWith("cannot decode OTLP protobuf request"));

    r = post("application/json", null, "{not json".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertTrue(body.startsWith("{\"code\":3,\"message\":\"cannot decode OTLP json request"),
        body);

    r = post("application/x-protobuf", "gzip", new byte[] {1, 2, 3});
    assertEquals(400, r.statusCode());

    r = post("application/x-protobuf", null, new byte[(64 << 10) + 1]);
    assertEquals(413, r.statusCode());
    assertEquals(8, status(r.body())[0]);
  }
}
