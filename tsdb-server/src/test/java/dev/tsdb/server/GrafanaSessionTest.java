package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.labels.Labels;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays, against the real server over loopback, the requests Grafana's Prometheus data source
 * makes in a session (Grafana 11/12: the Go backend in pkg/promlib for queries, health check and
 * resources; the frontend's language provider, resource clients and metric_find_query for
 * autocomplete and variables), and checks every answer has the fields and JSON types Grafana
 * reads. Forms are encoded as Go's url.Values.Encode does (keys sorted), times formatted as
 * Grafana formats them: strconv 'f' -1 seconds for queries, integer seconds for metadata,
 * milliseconds for the exemplar probe.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrafanaSessionTest {
  @TempDir
  static Path dir;
  static TestServer ts;
  static final ObjectMapper JSON = new ObjectMapper();
  /** "Now" of the session: the last hour holds data, 15 s apart. */
  static final long NOW_S = System.currentTimeMillis() / 1000;
  static final long FROM_S = NOW_S - 3600;

  /** Per class, so that a subclass can start the server differently (overriding this). */
  @BeforeAll
  void start() throws Exception {
    ts = new TestServer(dir);
    seed();
  }

  /** The last hour of the session's series, 15 s apart, with metadata. */
  static void seed() throws Exception {
    List<PromPb.Series> series = new ArrayList<>();
    int n = 241;
    long[] ts15 = new long[n];
    for (int i = 0; i < n; i++) {
      ts15[i] = (FROM_S + 15L * i) * 1000;
    }
    String[][] reqs = {{"api", "a:9100", "200"}, {"api", "a:9100", "500"},
        {"api", "b:9100", "200"}, {"web", "c:9100", "200"}};
    for (String[] r : reqs) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = i * (r[2].equals("200") ? 30 : 3);
      }
      series.add(PromPb.Series.of(Labels.of("__name__", "http_requests_total", "job", r[0],
          "instance", r[1], "code", r[2]), ts15, v));
    }
    for (String le : new String[] {"0.1", "0.5", "1", "+Inf"}) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = i * (le.equals("0.1") ? 5 : le.equals("0.5") ? 8 : 10);
      }
      series.add(PromPb.Series.of(Labels.of("__name__", "http_request_duration_seconds_bucket",
          "job", "api", "le", le), ts15, v));
    }
    double[] load = new double[n];
    for (int i = 0; i < n; i++) {
      load[i] = 0.5 + (i % 7) / 10.0;
    }
    series.add(PromPb.Series.of(Labels.of("__name__", "node_load1", "job", "node",
        "instance", "a:9100"), ts15, load));
    List<PromPb.Metadata> meta = List.of(
        new PromPb.Metadata(1, "http_requests_total", "Requests served.", ""),
        new PromPb.Metadata(2, "node_load1", "1m load average.", ""),
        new PromPb.Metadata(3, "http_request_duration_seconds", "Request latency.", "seconds"));
    assertEquals(204, ts.write(PromPb.writeRequest(series, meta)).statusCode());
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  /** Go's url.Values.Encode: keys sorted, values in order, QueryEscape'd. */
  static String form(String... kv) {
    TreeMap<String, List<String>> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.computeIfAbsent(kv[i], k -> new ArrayList<>()).add(kv[i + 1]);
    }
    StringBuilder sb = new StringBuilder();
    m.forEach((k, vs) -> vs.forEach(v -> {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(TestServer.enc(k)).append('=').append(TestServer.enc(v));
    }));
    return sb.toString();
  }

  /** A POST as Grafana's backend sends it (form body, its headers). */
  static HttpResponse<String> post(String path, String form) throws Exception {
    return ts.http.send(ts.request(path)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("User-Agent", "Grafana/12.0.0")
        .header("X-Grafana-Org-Id", "1")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path, String form) throws Exception {
    return ts.http.send(ts.request(path + (form.isEmpty() ? "" : "?" + form))
        .header("User-Agent", "Grafana/12.0.0").header("X-Grafana-Org-Id", "1").GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The parsed body of a 200 success answer, with application/json as its type. */
  static JsonNode success(HttpResponse<String> r) throws Exception {
    assertEquals(200, r.statusCode(), r.uri() + " -> " + r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        r.uri().toString());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("success", body.get("status").asText(), r.body());
    assertTrue(body.has("data"), r.body());
    return body.get("data");
  }

  static List<String> strings(JsonNode array) {
    assertTrue(array.isArray(), array.toString());
    List<String> out = new ArrayList<>();
    array.forEach(e -> {
      assertTrue(e.isTextual(), array.toString());
      out.add(e.asText());
    });
    return out;
  }

  /** A [<unix time number>, "<value string>"] pair, as the converter reads it. */
  static double checkPoint(JsonNode p) {
    assertTrue(p.isArray() && p.size() == 2, p.toString());
    assertTrue(p.get(0).isNumber(), p.toString());
    assertTrue(p.get(1).isTextual(), p.toString());
    return Double.parseDouble(p.get(1).asText());
  }

  static Map<String, String> metric(JsonNode sample) {
    JsonNode m = sample.get("metric");
    assertTrue(m.isObject(), sample.toString());
    Map<String, String> out = new LinkedHashMap<>();
    m.fields().forEachRemaining(e -> {
      assertTrue(e.getValue().isTextual());
      out.put(e.getKey(), e.getValue().asText());
    });
    return out;
  }

  /** Grafana's formatTime: seconds with strconv.FormatFloat(x, 'f', -1, 64). */
  static String goSeconds(long ms) {
    return ms % 1000 == 0 ? Long.toString(ms / 1000)
        : new java.math.BigDecimal(ms).movePointLeft(3).stripTrailingZeros().toPlainString();
  }

  @Test
  void saveAndTest() throws Exception {
    // healthcheck.go: instant query "1+1" over the range [1s, 4s], evaluated at its end.
    JsonNode d = success(post("/api/v1/query", form("query", "1+1", "time", "4")));
    assertEquals("scalar", d.get("resultType").asText());
    assertEquals(2.0, checkPoint(d.get("result")));
    // heuristics.go: buildinfo without "features" means a Prometheus (not Mimir).
    d = success(get("/api/v1/status/buildinfo", ""));
    assertTrue(d.get("version").isTextual() && !d.get("version").asText().isEmpty());
    assertFalse(d.has("features"));
    for (String f : new String[] {"revision", "branch", "buildUser", "buildDate", "goVersion"}) {
      assertTrue(d.get(f).isTextual(), f);
    }
  }

  @Test
  void dataSourceInit() throws Exception {
    // loadRules: GET only (endpointsSupportOnlyGet); reads data.groups.
    JsonNode d = success(get("/api/v1/rules", ""));
    assertTrue(d.get("groups").isArray());
    // areExemplarsAvailable: query=test with millisecond times; only status matters.
    long nowMs = NOW_S * 1000;
    d = success(get("/api/v1/query_exemplars", form("query", "test",
        "start", Long.toString(nowMs - 30 * 60_000), "end", Long.toString(nowMs))));
    assertTrue(d.isArray());
    // A POST to a GET-only resource is answered 405, on which Grafana retries with GET.
    HttpResponse<String> r = post("/api/v1/label/job/values", form("start", "1", "end", "2"));
    assertEquals(405, r.statusCode());
  }

  @Test
  void metricAndLabelAutocomplete() throws Exception {
    String start = Long.toString(FROM_S);
    String end = Long.toString(NOW_S);
    // LabelsApiClient.start: metric names, then label keys (limit 40000, DEFAULT_SERIES_LIMIT).
    List<String> names = strings(success(get("/api/v1/label/__name__/values",
        form("start", start, "end", end, "limit", "40000"))));
    assertEquals(List.of("http_request_duration_seconds_bucket", "http_requests_total",
        "node_load1"), names);
    List<String> keys = strings(success(post("/api/v1/labels",
        form("start", start, "end", end, "limit", "40000"))));
    assertEquals(List.of("__name__", "code", "instance", "job", "le"), keys);
    // Keys and values narrowed by the metric being typed (match[] plus time bounds).
    keys = strings(success(post("/api/v1/labels", form("start", start, "end", end,
        "limit", "40000", "match[]", "http_requests_total"))));
    assertEquals(List.of("__name__", "code", "instance", "job"), keys);
    List<String> values = strings(success(get("/api/v1/label/job/values", form("start", start,
        "end", end, "limit", "40000", "match[]", "{__name__=\"http_requests_total\"}"))));
    assertEquals(List.of("api", "web"), values);
    values = strings(success(get("/api/v1/label/instance/values", form("start", start,
        "end", end, "match[]", "http_requests_total{job=\"api\"}"))));
    assertEquals(List.of("a:9100", "b:9100"), values);
    // SeriesApiClient (older Prometheus flavors) and the metrics browser: /api/v1/series.
    JsonNode series = success(post("/api/v1/series", form("start", start, "end", end,
        "limit", "40000", "match[]", "{__name__!=\"\"}")));
    assertEquals(9, series.size());
    series.forEach(s -> s.fields().forEachRemaining(e -> assertTrue(e.getValue().isTextual())));
    series = success(post("/api/v1/series", form("start", start, "end", end, "limit", "2",
        "match[]", "http_requests_total")));
    assertEquals(2, series.size());
    // Metadata for the help popups: {metric: [{type, help, unit}]}.
    JsonNode meta = success(get("/api/v1/metadata", form("limit", "10000")));
    assertEquals("counter", meta.at("/http_requests_total/0/type").asText());
    assertEquals("Requests served.", meta.at("/http_requests_total/0/help").asText());
    assertTrue(meta.at("/http_requests_total/0/unit").isTextual());
    meta = success(get("/api/v1/metadata", form("limit", "1")));
    assertEquals(1, meta.size());
  }

  @Test
  void rangePanelWithRateInterval() throws Exception {
    // pkg/promlib: $__rate_interval becomes a Go duration ("1m0s"); start/end aligned to the
    // step; step as seconds; the data source's query timeout passed along.
    long step = 15;
    long end = NOW_S / step * step;
    long start = (NOW_S - 1800) / step * step;
    JsonNode d = success(post("/api/v1/query_range", form(
        "query", "sum by (code) (rate(http_requests_total{job=~\"api\"}[1m0s]))",
        "start", Long.toString(start), "end", Long.toString(end), "step", "15",
        "timeout", "60s")));
    assertEquals("matrix", d.get("resultType").asText());
    assertEquals(2, d.get("result").size());
    for (JsonNode s : d.get("result")) {
      Map<String, String> m = metric(s);
      assertEquals(List.of("code"), List.copyOf(m.keySet()));
      JsonNode values = s.get("values");
      assertTrue(values.size() > 100, s.toString());
      double expected = m.get("code").equals("200") ? 4.0 : 0.2; // 2 series x 30/15s, 3/15s
      for (JsonNode p : values) {
        assertEquals(expected, checkPoint(p), 1e-9);
        long t = p.get(0).asLong();
        assertEquals(0, (t - start) % step);
      }
    }
    // histogram_quantile over a 2m0s rate interval and a fractional step, as a heatmap sends.
    d = success(post("/api/v1/query_range", form("query",
        "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[2m0s])))",
        "start", goSeconds((NOW_S - 600) * 1000), "end", goSeconds(NOW_S * 1000 - 500),
        "step", "7.5")));
    assertEquals("matrix", d.get("resultType").asText());
    assertEquals(1, d.get("result").size());
    for (JsonNode p : d.at("/result/0/values")) {
      assertTrue(p.get(0).isNumber());
      assertEquals(0.75, checkPoint(p), 1e-9);
    }
  }

  @Test
  void tableInstantQuery() throws Exception {
    // QueryInstant: time is the range's end, with milliseconds ("1700000000.123").
    String time = goSeconds(NOW_S * 1000 - 877);
    JsonNode d = success(post("/api/v1/query", form(
        "query", "sort_desc(sum by (job, instance) (http_requests_total))",
        "time", time, "timeout", "60s")));
    assertEquals("vector", d.get("resultType").asText());
    JsonNode result = d.get("result");
    assertEquals(3, result.size());
    for (JsonNode s : result) {
      assertEquals(List.of("instance", "job"),
          List.copyOf(new java.util.TreeMap<>(metric(s)).keySet()));
      checkPoint(s.get("value"));
      assertEquals(Double.parseDouble(time), s.get("value").get(0).asDouble(), 1e-9);
    }
    assertEquals("a:9100", result.get(0).at("/metric/instance").asText());
  }

  @Test
  void variableQueries() throws Exception {
    String start = Long.toString(FROM_S);
    String end = Long.toString(NOW_S);
    // label_values(http_requests_total, job)
    assertEquals(List.of("api", "web"), strings(success(get("/api/v1/label/job/values",
        form("match[]", "http_requests_total", "start", start, "end", end)))));
    // label_values(instance) without a metric
    assertEquals(List.of("a:9100", "b:9100", "c:9100"), strings(success(get(
        "/api/v1/label/instance/values", form("start", start, "end", end)))));
    // metrics(http_.*): all names, filtered by Grafana.
    assertTrue(strings(success(get("/api/v1/label/__name__/values",
        form("start", start, "end", end)))).contains("http_requests_total"));
    // query_result(...): an instant query at the range's end (integer seconds); Grafana reads
    // resultType and for vectors metric and value[0..1].
    JsonNode d = success(get("/api/v1/query", form("query",
        "topk(1, http_requests_total{job=\"api\"})", "time", end)));
    assertEquals("vector", d.get("resultType").asText());
    assertEquals(1, d.get("result").size());
    checkPoint(d.at("/result/0/value"));
    d = success(get("/api/v1/query", form("query", "scalar(sum(node_load1))", "time", end)));
    assertEquals("scalar", d.get("resultType").asText());
    checkPoint(d.get("result"));
    // A bare selector as variable query: /api/v1/series with match[].
    JsonNode series = success(get("/api/v1/series", form("match[]", "node_load1",
        "start", start, "end", end)));
    assertEquals("node", series.at("/0/job").asText());
    // label_names(): /api/v1/labels.
    assertTrue(strings(success(get("/api/v1/labels", form("start", start, "end", end))))
        .contains("job"));
  }

  @Test
  void exemplarQueryOfAPanel() throws Exception {
    // QueryExemplars: POST with the panel's aligned range in seconds.
    JsonNode d = success(post("/api/v1/query_exemplars", form("query",
        "sum(rate(http_request_duration_seconds_bucket[1m0s]))",
        "start", Long.toString(FROM_S), "end", Long.toString(NOW_S))));
    assertTrue(d.isArray());
  }

  @Test
  void errorsCarryTypeAndMessage() throws Exception {
    HttpResponse<String> r = post("/api/v1/query_range", form("query", "sum(rate(x[1m0s])",
        "start", "1", "end", "100", "step", "15"));
    assertEquals(400, r.statusCode());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("error", body.get("status").asText());
    assertEquals("bad_data", body.get("errorType").asText());
    assertTrue(body.get("error").asText().contains("parse error"), r.body());
    // A step too fine for the range, as a huge time range with a small step would send.
    r = post("/api/v1/query_range", form("query", "up", "start", "0", "end", "1000000",
        "step", "1"));
    assertEquals(400, r.statusCode());
    assertTrue(JSON.readTree(r.body()).get("error").asText().contains("11,000 points"));
  }
}
