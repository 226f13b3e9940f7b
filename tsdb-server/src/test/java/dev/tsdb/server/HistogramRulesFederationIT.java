package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.testkit.process.HttpEndpoint;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native histograms through rules and federation, side by side with Prometheus 3.5 (native
 * histograms enabled): the same remote-written histograms and floats, the same rule file. The
 * recorded histogram series, the alert over a histogram (annotation with {@code $value}, alert
 * value), and /federate in text and in delimited protobuf must answer the same.
 */
class HistogramRulesFederationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROTO_ACCEPT = "application/vnd.google.protobuf;"
      + "proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,"
      + "text/plain;version=0.0.4;q=0.3";

  @TempDir
  static Path dir;
  static TestServer ours;
  static Prometheus ref;
  /** Whole second a little in the past: samples sit at NOW - 30 s and NOW - 15 s. */
  static final long NOW = System.currentTimeMillis() / 1000 * 1000;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    Path rules = dir.resolve("hist-rules.yml");
    Files.writeString(rules, """
        groups:
          - name: hist
            rules:
              - record: fed:hist:doubled
                expr: fed_hist * 2
              - alert: HistogramSeen
                expr: fed_hist{kind="gauge"}
                annotations:
                  summary: "value {{ $value }}"
                  count: "{{ $value.Count }}"
        """);
    String config = """
        global:
          evaluation_interval: 1s
          external_labels:
            dc: west
        rule_files:
          - %s
        """.formatted(rules.toAbsolutePath());
    Path ourDir = dir.resolve("tsdb");
    Files.createDirectories(ourDir);
    Files.writeString(ourDir.resolve("prometheus.yml"), config);
    ours = new TestServer(ourDir);
    ref = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("prom")).config(config)
        .flags("--enable-feature=native-histograms,exemplar-storage").start();
    SideBySide.write(ref, ours, PromPb.writeRequest(dataset(), List.of()));
    // Remote write 1.0 adds a series' exemplars before its histograms, so an exemplar only sticks
    // to a histogram-only series that already exists (Prometheus drops it otherwise; so do we).
    SideBySide.write(ref, ours, PromPb.writeRequest(List.of(PromPb.Series.of(
        Labels.of("__name__", "fed_hist", "kind", "counter"), new long[0], new double[0])
        .withExemplars(List.of(new PromPb.Exemplar(new String[] {"trace_id", "abc"}, 0.7,
            NOW - 29_000)))), List.of()));
  }

  @AfterAll
  static void stop() {
    SideBySide.stop(ref, ours);
  }

  /**
   * Series in label order, so that creation order is label order in both stores (Prometheus
   * answers /series in creation order, we in label order).
   */
  static List<PromPb.Series> dataset() {
    List<PromPb.Series> out = new ArrayList<>();
    out.add(PromPb.Series.of(Labels.of("__name__", "fed_float", "dc", "east"),
        new long[] {NOW - 25_000}, new double[] {0}));
    out.add(PromPb.Series.of(Labels.of("__name__", "fed_float", "job", "x"),
        new long[] {NOW - 30_000, NOW - 15_000}, new double[] {1.5, 2}));
    List<PromPb.NativeHistogram> counter = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Histogram h = new Histogram();
      h.schema = 1;
      h.zeroThreshold = 0.001;
      h.zeroCount = 1 + i;
      h.positiveSpans = new int[] {0, 2, 1, 1};
      h.positiveBuckets = new long[] {2 + i, -1, 3};
      h.negativeSpans = new int[] {-2, 1};
      h.negativeBuckets = new long[] {1};
      h.count = h.zeroCount + (2 + i) + (1 + i) + (4 + i) + 1;
      h.sum = 12.5 + i;
      counter.add(PromPb.NativeHistogram.of(NOW - 30_000 + i * 15_000L, h));
    }
    out.add(PromPb.Series.of(Labels.of("__name__", "fed_hist", "kind", "counter"), new long[0],
        new double[0]).withHistograms(counter));
    FloatHistogram g = new FloatHistogram();
    g.counterResetHint = CounterResetHint.GAUGE;
    g.positiveSpans = new int[] {-1, 2};
    g.positiveBuckets = new double[] {1.5, 0.25};
    g.count = 1.75;
    g.sum = -0.5;
    out.add(PromPb.Series.of(Labels.of("__name__", "fed_hist", "kind", "gauge"), new long[0],
        new double[0]).withHistograms(List.of(PromPb.NativeHistogram.of(NOW - 20_000, g))));
    return out;
  }

  private static HttpResponse<byte[]> get(String base, String path, String accept)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (accept != null) {
      b.header("Accept", accept);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void federationMatchesInTextAndProtobuf() throws Exception {
    String path = "/federate?match[]=" + HttpEndpoint.enc("{__name__=~\"fed_.*\"}");
    HttpResponse<byte[]> theirs = get(ref.base(), path, null);
    HttpResponse<byte[]> mine = get(ours.base, path, null);
    assertEquals(new String(theirs.body()), new String(mine.body()), "text");
    assertEquals(theirs.headers().firstValue("Content-Type"),
        mine.headers().firstValue("Content-Type"));
    assertTrue(new String(mine.body()).contains("fed_float{job=\"x\",dc=\"west\",instance=\"\"}"
        + " 2 "), new String(mine.body()));

    theirs = get(ref.base(), path, PROTO_ACCEPT);
    mine = get(ours.base, path, PROTO_ACCEPT);
    assertEquals(200, theirs.statusCode());
    assertEquals(HexFormat.of().formatHex(theirs.body()), HexFormat.of().formatHex(mine.body()),
        "delimited protobuf");
    assertArrayEquals(theirs.body(), mine.body());
    assertEquals(theirs.headers().firstValue("Content-Type"),
        mine.headers().firstValue("Content-Type"));
  }

  @Test
  void recordedHistogramsAndAlertsMatch() throws Exception {
    awaitRuleOutput();
    String query = "/api/v1/query?query=" + HttpEndpoint.enc("fed:hist:doubled");
    // Both have recorded by now; ask at one fixed time within the lookback of both.
    String at = query + "&time=" + (System.currentTimeMillis() / 1000.0);
    String theirs = ref.get(at).body();
    assertEquals(2, results(theirs), theirs);
    assertEquals(theirs, ours.get(at).body());

    JsonNode theirAlert = alert(ref.get("/api/v1/alerts").body());
    JsonNode ourAlert = alert(ours.get("/api/v1/alerts").body());
    assertEquals(theirAlert.get("annotations"), ourAlert.get("annotations"));
    assertEquals(theirAlert.get("value"), ourAlert.get("value"));
    assertEquals(theirAlert.get("labels"), ourAlert.get("labels"));
    assertEquals("value {count:1.75, sum:-0.5, (0.25,0.5]:1.5, (0.5,1]:0.25}",
        ourAlert.get("annotations").get("summary").asText());
  }

  /** Exemplars of histogram series, and the metadata APIs over histogram series. */
  @Test
  void exemplarsSeriesAndLabelsMatch() throws Exception {
    String range = "&start=" + (NOW - 60_000) / 1000 + "&end=" + NOW / 1000;
    for (String q : List.of(
        "/api/v1/query_exemplars?query=" + HttpEndpoint.enc("fed_hist") + range,
        "/api/v1/series?match[]=" + HttpEndpoint.enc("{__name__=~\"fed_.*\"}") + range,
        "/api/v1/labels?match[]=" + HttpEndpoint.enc("fed_hist") + range,
        "/api/v1/label/kind/values" + "?start=" + (NOW - 60_000) / 1000)) {
      String theirs = ref.get(q).body();
      assertEquals(theirs, ours.get(q).body(), q);
    }
    assertTrue(ours.get("/api/v1/query_exemplars?query=" + HttpEndpoint.enc("fed_hist") + range)
        .body().contains("trace_id"));
  }

  /** The head statistics count histogram series like float ones. */
  @Test
  void tsdbStatusCountsHistogramSeries() throws Exception {
    awaitRuleOutput();
    JsonNode theirs = JSON.readTree(ref.get("/api/v1/status/tsdb").body()).path("data");
    JsonNode mine = JSON.readTree(ours.get("/api/v1/status/tsdb").body()).path("data");
    for (String f : List.of("seriesCountByMetricName", "labelValueCountByLabelName",
        "seriesCountByLabelValuePair")) {
      // Top-10 lists: which of the entries tied at the cut make it is arbitrary.
      double cut = Double.NEGATIVE_INFINITY;
      if (theirs.get(f).size() == 10) {
        cut = Double.MAX_VALUE;
        for (JsonNode e : theirs.get(f)) {
          cut = Math.min(cut, e.get("value").asDouble());
        }
      }
      assertEquals(theirs.get(f).size(), mine.get(f).size(), f);
      assertEquals(byName(theirs.get(f), cut), byName(mine.get(f), cut), f);
    }
  }

  /** Until both servers have evaluated the rules: the recorded series and ALERTS exist. */
  private static void awaitRuleOutput() throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    String recorded = "/api/v1/query?query=" + HttpEndpoint.enc("fed:hist:doubled");
    String alerts = "/api/v1/query?query=ALERTS";
    while (System.currentTimeMillis() < deadline
        && (results(ref.get(recorded).body()) < 2 || results(ours.get(recorded).body()) < 2
            || results(ref.get(alerts).body()) < 1 || results(ours.get(alerts).body()) < 1)) {
      Thread.sleep(300);
    }
  }

  /**
   * Entries counting more than {@code cut}, sorted by name (equal counts come in no defined
   * order).
   */
  private static List<String> byName(JsonNode entries, double cut) {
    List<String> out = new ArrayList<>();
    entries.forEach(e -> {
      if (e.get("value").asDouble() > cut) {
        out.add(e.toString());
      }
    });
    out.sort(null);
    return out;
  }

  private static int results(String body) throws Exception {
    return JSON.readTree(body).path("data").path("result").size();
  }

  private static JsonNode alert(String body) throws Exception {
    JsonNode alerts = JSON.readTree(body).path("data").path("alerts");
    assertEquals(1, alerts.size(), body);
    return alerts.get(0);
  }
}
