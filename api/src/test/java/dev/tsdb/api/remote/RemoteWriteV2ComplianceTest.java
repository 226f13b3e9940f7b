package dev.tsdb.api.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.api.metadata.MetadataStore;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.testkit.MemStorage;
import io.airlift.compress.snappy.SnappyCompressor;
import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * POST /api/v1/write with remote write 2.0: the cases of the remote-write receiver compliance
 * suite (prometheus/compliance, remotewrite/receiver: request, metric, metadata, exemplar,
 * histogram and rw1_compat tests), written here against our handler. As there, a success is a
 * 2xx whose X-Prometheus-Remote-Write-*-Written headers count exactly what was sent; a failure is
 * exactly 400 (unless another code is named) whose headers count no more than was valid.
 */
class RemoteWriteV2ComplianceTest {
  private static final String V2 = "application/x-protobuf;proto=io.prometheus.write.v2.Request";
  private static final long NOW = 1_700_000_000_000L;

  private final MemStorage storage = new MemStorage();
  private final MetadataStore metadata = new MetadataStore();
  private final HttpClient http = HttpClient.newHttpClient();
  private Undertow undertow;
  private String url;

  @BeforeEach
  void start() {
    RemoteWriteHandler rw = new RemoteWriteHandler(storage, metadata, new RemoteWriteStats(),
        1 << 20, () -> NOW, RemoteWriteHandler.SUPPORTED, true);
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1")
        .setHandler(new BlockingHandler(ex -> rw.handle(ex, Map.of()))).build();
    undertow.start();
    int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    url = "http://127.0.0.1:" + port + "/api/v1/write";
  }

  @AfterEach
  void stop() {
    undertow.stop();
  }

  private static byte[] snappy(byte[] req) {
    SnappyCompressor c = new SnappyCompressor();
    byte[] out = new byte[c.maxCompressedLength(req.length)];
    int n = c.compress(req, 0, req.length, out, 0, out.length);
    return Arrays.copyOf(out, n);
  }

  private HttpResponse<String> post(byte[] body, String contentType, String encoding)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .header("X-Prometheus-Remote-Write-Version", "2.0.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(List<PromPbV2.Series> series) throws Exception {
    return post(snappy(PromPbV2.request(series)), V2, "snappy");
  }

  private static long written(HttpResponse<?> r, String kind) {
    return Long.parseLong(r.headers().firstValue("X-Prometheus-Remote-Write-" + kind
        + "-Written").orElse("0"));
  }

  /** The suite's check: success is 2xx with exact counts; failure is 400 with no more. */
  private static void expect(HttpResponse<String> r, boolean success, long samples,
      long histograms, long exemplars) {
    if (success) {
      assertEquals(204, r.statusCode(), r.body());
      assertEquals(samples, written(r, "Samples"), "samples written");
      assertEquals(histograms, written(r, "Histograms"), "histograms written");
      assertEquals(exemplars, written(r, "Exemplars"), "exemplars written");
    } else {
      assertEquals(400, r.statusCode(), r.body());
      assertTrue(written(r, "Samples") <= samples, "samples written");
      assertTrue(written(r, "Histograms") <= histograms, "histograms written");
      assertTrue(written(r, "Exemplars") <= exemplars, "exemplars written");
    }
  }

  private static PromPbV2.Series sample(Map<String, String> labels, double v) {
    return PromPbV2.Series.of(PromPb.Series.raw(pairs(labels), new long[] {NOW},
        new double[] {v}));
  }

  private static String[] pairs(Map<String, String> labels) {
    List<String> out = new ArrayList<>();
    new TreeMap<>(labels).forEach((k, v) -> {
      out.add(k);
      out.add(v);
    });
    return out.toArray(new String[0]);
  }

  // request_test.go

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "image/png"})
  void badContentTypesAre415(String contentType) throws Exception {
    byte[] body = snappy(PromPbV2.request(List.of(sample(Map.of("__name__", "up"), 1))));
    body[0] = '0';
    assertEquals(415, post(body, contentType, "snappy").statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "deflate"})
  void badContentEncodingsAre415(String encoding) throws Exception {
    byte[] body = snappy(PromPbV2.request(List.of(sample(Map.of("__name__", "up"), 1))));
    body[0] = '0';
    HttpResponse<String> r = post(body, V2, encoding);
    assertEquals(415, r.statusCode());
    assertEquals(encoding + " encoding (compression) is not accepted by this server; only snappy"
        + " is acceptable\n", r.body());
  }

  @Test
  void corruptBodyIs400() throws Exception {
    byte[] body = snappy(PromPbV2.request(List.of(sample(Map.of("__name__", "up"), 1))));
    body[0] = '0';
    expect(post(body, V2, "snappy"), false, 0, 0, 0);
  }

  @Test
  void unknownProtoMessageIs415NamingTheSupportedOnes() throws Exception {
    HttpResponse<String> r = post(new byte[0], "application/x-protobuf;proto=foo.Bar", "snappy");
    assertEquals(415, r.statusCode());
    assertEquals("got application/x-protobuf;proto=foo.Bar content type; unknown remote write"
        + " protobuf message foo.Bar, supported: prometheus.WriteRequest,"
        + " io.prometheus.write.v2.Request\n", r.body());
  }

  // metric_test.go

  @ParameterizedTest
  @ValueSource(doubles = {1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
      0x1.0000000000002p-1022 /* arbitrary */})
  void singleMetric(double v) throws Exception {
    List<Map<String, String>> valid = List.of(
        Map.of("__name__", "up"),
        Map.of("__name__", "up", "job", "test", "instance", "localhost:9090"),
        Map.of("__name__", "up", "job", "test\njob\n", "instance", "localhost:9090"),
        Map.of("__name__", "resource.cpu.usage", "job.name", "testjob", "instance.name", "x"),
        Map.of("__name__", "resource cpu usage", "job name", "testjob", "instance name", "x"));
    for (Map<String, String> l : valid) {
      expect(send(List.of(sample(l, v))), true, 1, 0, 0);
      storage.clear();
    }
    expect(send(List.of(sample(Map.of("job", "testjob", "instance", "localhost:9090"), v))),
        false, 0, 0, 0);
    expect(send(List.of(sample(Map.of(), v))), false, 0, 0, 0);
  }

  @Test
  void staleNaNIsASample() throws Exception {
    double staleNaN = Double.longBitsToDouble(0x7ff0000000000002L);
    expect(send(List.of(sample(Map.of("__name__", "up"), staleNaN))), true, 1, 0, 0);
  }

  @Test
  void counterWithCreatedTimestamp() throws Exception {
    PromPbV2.Series s = sample(Map.of("__name__", "http_requests_total", "job", "api"), 100)
        .withCreatedTimestamp(NOW - 3_600_000);
    expect(send(List.of(s)), true, 1, 0, 0);
    // With created-timestamp-zero-ingestion on, the zero sample is there too (not counted).
    var set = storage.querier(0, Long.MAX_VALUE).select(false, null,
        dev.tsdb.index.labels.Matcher.eq("__name__", "http_requests_total"));
    assertTrue(set.next());
    var it = set.at().iterator(null);
    List<String> got = new ArrayList<>();
    while (it.next() != dev.tsdb.index.storage.ValueType.NONE) {
      got.add(it.t() + "=" + it.v());
    }
    assertEquals(List.of((NOW - 3_600_000) + "=0.0", NOW + "=100.0"), got);
  }

  @Test
  void multipleMetricsKeepTheValidPart() throws Exception {
    List<PromPbV2.Series> all = new ArrayList<>();
    List<PromPbV2.Series> noName = new ArrayList<>();
    List<PromPbV2.Series> oneNoName = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      all.add(sample(Map.of("__name__", "up", "job", "t", "instance", "h:" + i), 1));
      noName.add(sample(Map.of("job", "t", "instance", "h:" + i), 1));
      oneNoName.add(i == 0 ? noName.get(0) : all.get(i));
    }
    expect(send(all), true, 4, 0, 0);
    storage.clear();
    HttpResponse<String> r = send(noName);
    expect(r, false, 0, 0, 0);
    assertEquals(0, written(r, "Samples"));
    storage.clear();
    r = send(oneNoName);
    expect(r, false, 3, 0, 0);
    assertEquals(3, written(r, "Samples"), "the valid part is written and counted");
    assertEquals("invalid metric name or labels, got {instance=\"h:0\", job=\"t\"}\n", r.body());
  }

  // metadata_test.go

  @Test
  void metadataOfEveryType() throws Exception {
    String[] types = {"unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary",
        "info", "stateset"};
    for (int type = 0; type < types.length; type++) {
      String name = "md_" + type;
      PromPbV2.Series s;
      if (type == 3) {
        s = PromPbV2.Series.of(PromPb.Series.raw(new String[] {"__name__", name}, new long[0],
            new double[0]).withHistograms(List.of(PromPb.NativeHistogram.of(NOW,
            complianceHistogram(true, true, true, false, false)))));
      } else {
        s = sample(Map.of("__name__", name), 1);
      }
      s = s.withMetadata(type, "Help with \"special\" chars: é\n", type % 2 == 0 ? "" : "bytes");
      expect(send(List.of(s)), true, type == 3 ? 0 : 1, type == 3 ? 1 : 0, 0);
      assertEquals(List.of(new MetricMetadata(types[type], "Help with \"special\" chars: é\n",
          type % 2 == 0 ? "" : "bytes")), metadata.get(name));
    }
  }

  @Test
  void metadataWithoutHelpOrUnit() throws Exception {
    expect(send(List.of(sample(Map.of("__name__", "md_plain"), 1).withMetadata(1, "", ""))),
        true, 1, 0, 0);
    assertEquals(List.of(new MetricMetadata("counter", "", "")), metadata.get("md_plain"));
  }

  @Test
  void metadataWithoutNameIsRejected() throws Exception {
    expect(send(List.of(sample(Map.of("job", "x"), 1).withMetadata(1, "h", "u"))), false, 0, 0,
        0);
    expect(send(List.of(sample(Map.of("__name__", "", "job", "x"), 1).withMetadata(2, "h",
        "u"))), false, 0, 0, 0);
    expect(send(List.of(sample(Map.of("__name__", "md_valid"), 1).withMetadata(1, "h", "u"))),
        true, 1, 0, 0);
  }

  // exemplar_test.go

  @Test
  void exemplars() throws Exception {
    List<String[]> cases = List.of(new String[] {"trace_id", "abc123def456"},
        new String[] {"span_id", "span123", "trace_id", "xyz789"},
        new String[] {"user_id", "user123"},
        new String[] {"endpoint", "/login", "trace_id", "trace456", "user", "admin"},
        new String[0],
        new String[] {"trace_id", "trace-with-dashes_and_underscores.123"},
        new String[] {"trace_id", "unicode_trace_测试"});
    int i = 0;
    for (String[] el : cases) {
      PromPb.Series d = PromPb.Series.raw(new String[] {"__name__", "ex_" + i++},
          new long[] {NOW}, new double[] {1}).withExemplars(List.of(
              new PromPb.Exemplar(el, 1, NOW)));
      expect(send(List.of(PromPbV2.Series.of(d))), true, 1, 0, 1);
    }
  }

  // histograms_test.go

  @Test
  void histograms() throws Exception {
    boolean[][] cases = { // positive, negative, zero, custom, bad count
        {true, true, true, false, false}, {true, false, false, true, false},
        {true, false, true, false, false}, {false, true, false, false, false},
        {false, false, true, false, false}, {true, false, false, false, true}};
    int i = 0;
    for (boolean[] c : cases) {
      PromPbV2.Series s = PromPbV2.Series.of(PromPb.Series.raw(
          new String[] {"__name__", "hist_" + i++}, new long[0], new double[0])
          .withHistograms(List.of(PromPb.NativeHistogram.of(NOW,
              complianceHistogram(c[0], c[1], c[2], c[3], c[4])))));
      expect(send(List.of(s)), !c[4], 0, 1, 0);
    }
  }

  @Test
  void histogramWithCreatedTimestampMetadataAndExemplar() throws Exception {
    PromPb.Series d = PromPb.Series.raw(new String[] {"__name__", "req_duration"}, new long[0],
        new double[0]).withHistograms(List.of(PromPb.NativeHistogram.of(NOW,
            complianceHistogram(true, false, true, false, false))))
        .withExemplars(List.of(new PromPb.Exemplar(new String[] {"trace_id", "t"}, 0.5, NOW)));
    expect(send(List.of(PromPbV2.Series.of(d).withMetadata(3, "Duration.", "seconds")
        .withCreatedTimestamp(NOW - 60_000))), true, 0, 1, 1);
    assertEquals(List.of(new MetricMetadata("histogram", "Duration.", "seconds")),
        metadata.get("req_duration"));
  }

  // rw1_compat_test.go

  @Test
  void remoteWrite1StillAccepted() throws Exception {
    byte[] v1 = PromPb.writeRequest(List.of(PromPb.Series.of(
        Labels.of("__name__", "up", "job", "j"), new long[] {NOW}, new double[] {1})), List.of());
    HttpResponse<String> r = post(snappy(v1), "application/x-protobuf", "snappy");
    assertEquals(204, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written").isEmpty(),
        "1.0 answers carry no 2.0 headers");
    byte[] corrupt = snappy(v1);
    corrupt[0] = (byte) 0xff;
    assertEquals(400, post(corrupt, "application/x-protobuf", "snappy").statusCode());
  }

  // Beyond the suite: Prometheus 3.5 closes the connection on references past the table.

  @Test
  void badReferencesAre400WithNothingStored() throws Exception {
    byte[] req = PromPbV2.raw(List.of("", "__name__", "ok"), List.of(
        PromPbV2.RefSeries.of(new int[] {1, 2}, NOW, 1),
        PromPbV2.RefSeries.of(new int[] {1, 99}, NOW, 1)));
    HttpResponse<String> r = post(snappy(req), V2, "snappy");
    assertEquals(400, r.statusCode());
    assertEquals("timeseries[1]: labels_refs refers to symbol 99, but the symbols table has 3"
        + " entries\n", r.body());
    assertEquals(0, written(r, "Samples"));
    assertEquals(List.of(), storage.querier(0, Long.MAX_VALUE).labelValues("__name__"));
  }

  @Test
  void acceptedMessagesCanExclude2() throws Exception {
    RemoteWriteHandler v1only = new RemoteWriteHandler(storage, metadata,
        new RemoteWriteStats(), 1 << 20, () -> NOW, List.of(RemoteWriteHandler.PROTO_V1), false);
    Undertow u = Undertow.builder().addHttpListener(0, "127.0.0.1")
        .setHandler(new BlockingHandler(ex -> v1only.handle(ex, Map.of()))).build();
    u.start();
    try {
      int port = ((InetSocketAddress) u.getListenerInfo().get(0).getAddress()).getPort();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + port + "/api/v1/write")).header("Content-Type", V2)
          .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1])).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(415, r.statusCode());
      assertEquals("io.prometheus.write.v2.Request protobuf message is not accepted by this"
          + " server; accepted [prometheus.WriteRequest]\n", r.body());
    } finally {
      u.stop();
    }
  }

  /** The suite's test histogram (sum 1). */
  private static Histogram complianceHistogram(boolean positive, boolean negative, boolean zero,
      boolean custom, boolean badCount) {
    Histogram h = new Histogram();
    h.sum = 1;
    long count = 0;
    if (positive) {
      h.positiveSpans = new int[] {0, 3, 2, 2};
      h.positiveBuckets = new long[] {1, 2, 1, 3, 1};
      count += 23;
    }
    if (negative) {
      h.negativeSpans = new int[] {0, 2};
      h.negativeBuckets = new long[] {1, 1};
      count += 3;
    }
    if (zero) {
      h.zeroCount = 1;
      count += 1;
    }
    if (custom) {
      h.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
      h.customValues = new double[] {0.1, 0.5, 1.0, 2.5, 5.0, 10.0};
      h.positiveSpans = new int[] {0, 6};
      h.positiveBuckets = new long[] {2, 1, 2, 3, -1, -2};
      count = 30;
    }
    h.count = badCount ? 99 : count;
    return h;
  }
}
