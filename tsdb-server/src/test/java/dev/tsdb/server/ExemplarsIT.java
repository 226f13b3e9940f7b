package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exemplars end to end against Prometheus 3.5 with {@code exemplar-storage}: the same
 * remote-write requests (in-order, out-of-order, duplicate and oversized exemplars, more than
 * the buffer holds) go to both, then /api/v1/query_exemplars answers are compared byte for byte,
 * before and after a reload that shrinks {@code storage.exemplars.max_exemplars}, along with the
 * buffer's metrics.
 *
 * <p>Exemplars never share a timestamp within a series: Prometheus 2.42 called a same-time
 * exemplar with another value out of order, 3.x accepts a larger value; the data keeps clear of
 * that so the cases hold for both.
 */
class ExemplarsIT {
  @TempDir
  static Path dir;
  static TestServer ours;
  static Prometheus ref;
  static Path ourConfig;
  static Path refConfig;

  /** A whole second half an hour ago. */
  static final long BASE = System.currentTimeMillis() / 1000 * 1000 - 1_800_000;

  static String config(int max) {
    return "storage:\n  exemplars:\n    max_exemplars: " + max + "\n";
  }

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(dir.resolve("tsdb"));
    ourConfig = dir.resolve("tsdb").resolve("prometheus.yml");
    Files.writeString(ourConfig, config(8));
    ours = new TestServer(dir.resolve("tsdb"), "--web.enable-lifecycle");
    ref = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("prom")).config(config(8))
        .flags("--enable-feature=exemplar-storage", "--web.enable-lifecycle").start();
    refConfig = dir.resolve("prom").resolve("prometheus.yml");
    for (byte[] req : List.of(firstRequest(), secondRequest())) {
      SideBySide.write(ref, ours, req);
    }
  }

  @AfterAll
  static void stop() {
    SideBySide.stop(ref, ours);
  }

  static PromPb.Exemplar ex(double v, long t, String... nameValues) {
    return new PromPb.Exemplar(nameValues, v, t);
  }

  static PromPb.Series series(String[] labels, long[] ts, List<PromPb.Exemplar> exemplars) {
    double[] vs = new double[ts.length];
    for (int i = 0; i < ts.length; i++) {
      vs[i] = i + 1;
    }
    return PromPb.Series.raw(labels, ts, vs).withExemplars(exemplars);
  }

  static final String[] A = {"__name__", "ex_requests_total", "instance", "a", "job", "api"};
  static final String[] B = {"__name__", "ex_requests_total", "instance", "b", "job", "api"};
  static final String[] BUCKET = {"__name__", "ex_latency_bucket", "job", "api", "le", "0.5"};
  static final String[] NONE = {"__name__", "ex_none", "job", "api"};

  static byte[] firstRequest() {
    List<PromPb.Series> s = new ArrayList<>();
    s.add(series(A, new long[] {BASE, BASE + 15_000}, List.of(
        ex(6, BASE + 5, "trace_id", "a1"),
        ex(0.1, BASE + 1_050, "trace_id", "a2", "span_id", "s2"),
        ex(1e-7, BASE + 2_500, "trace_id", "a3"))));
    s.add(series(B, new long[] {BASE + 1}, List.of(
        ex(1e22, BASE + 100, "trace_id", "<b&1>\"q\"\u2028é"),
        ex(-3, BASE + 3_000))));
    s.add(series(BUCKET, new long[] {BASE}, List.of(ex(0.42, BASE + 4_999, "trace_id", "h1"))));
    s.add(series(NONE, new long[] {BASE}, List.of()));
    return PromPb.writeRequest(s, List.of());
  }

  /** Out-of-order, duplicate and oversized exemplars (refused), then enough to wrap the buffer. */
  static byte[] secondRequest() {
    List<PromPb.Series> s = new ArrayList<>();
    String longValue = "x".repeat(130);
    s.add(series(A, new long[] {BASE + 30_000}, List.of(
        ex(1, BASE + 2_000, "trace_id", "late"),
        ex(1e-7, BASE + 2_500, "trace_id", "a3"),
        ex(2, BASE + 2_600, "trace_id", longValue),
        ex(7, BASE + 6_007, "trace_id", "a4"),
        ex(8, BASE + 7_070, "trace_id", "a5"))));
    s.add(series(B, new long[] {BASE + 30_001}, List.of(
        ex(9, BASE + 8_000, "trace_id", "b3"),
        ex(10, BASE + 9_000, "trace_id", "b4"))));
    return PromPb.writeRequest(s, List.of());
  }

  static String sec(long ms) {
    return ms % 1000 == 0 ? Long.toString(ms / 1000) : String.format("%.3f", ms / 1000.0);
  }

  static List<String> queries() {
    List<String> q = new ArrayList<>();
    String range = "&start=" + sec(BASE - 60_000) + "&end=" + sec(BASE + 600_000);
    q.add("/api/v1/query_exemplars?query=ex_requests_total" + range);
    q.add("/api/v1/query_exemplars?query=" + TestServer.enc("ex_requests_total{instance=\"b\"}")
        + range);
    q.add("/api/v1/query_exemplars?query=" + TestServer.enc(
        "sum(rate(ex_requests_total{instance=~\"a\"}[5m])) + on() group_left"
            + " max(ex_latency_bucket)") + range);
    q.add("/api/v1/query_exemplars?query=" + TestServer.enc("{__name__=~\"ex_.*\"}"));
    q.add("/api/v1/query_exemplars?query=" + TestServer.enc("{job=\"api\"}") + "&start="
        + sec(BASE + 1_050) + "&end=" + sec(BASE + 6_007));
    q.add("/api/v1/query_exemplars?query=" + TestServer.enc("{job=\"api\"}") + "&start="
        + sec(BASE + 1_051) + "&end=" + sec(BASE + 6_006));
    q.add("/api/v1/query_exemplars?query=ex_none" + range);
    q.add("/api/v1/query_exemplars?query=ex_requests_total&start=0&end=1");
    q.add("/api/v1/query_exemplars?query=" + TestServer.enc("1 + 2"));
    // Grafana's exemplar probe (milliseconds where seconds are expected).
    q.add("/api/v1/query_exemplars?query=test&start=" + BASE + "&end=" + (BASE + 60_000));
    q.add("/api/v1/query_exemplars?query=ex_requests_total&start=2&end=1");
    return q;
  }

  static void compareAll(String phase) throws Exception {
    int nonEmpty = 0;
    for (String path : queries()) {
      HttpResponse<String> want = ref.get(path);
      HttpResponse<String> got = ours.get(path);
      assertEquals(want.statusCode(), got.statusCode(), phase + " " + path + "\nref: "
          + want.body() + "\nours: " + got.body());
      assertEquals(want.body(), got.body(), phase + " " + path);
      if (want.body().contains("seriesLabels")) {
        nonEmpty++;
      }
      HttpResponse<String> posted = ours.postForm("/api/v1/query_exemplars",
          path.substring(path.indexOf('?') + 1));
      assertEquals(got.body(), posted.body(), "POST " + path);
    }
    assertTrue(nonEmpty >= 4, phase + ": the queries should find exemplars");
  }

  static final String[] METRICS = {"prometheus_tsdb_exemplar_exemplars_appended_total",
      "prometheus_tsdb_exemplar_exemplars_in_storage",
      "prometheus_tsdb_exemplar_series_with_exemplars_in_storage",
      "prometheus_tsdb_exemplar_max_exemplars"};

  static double metric(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$").matcher(text);
    assertTrue(m.find(), name + " missing");
    return Double.parseDouble(m.group(1));
  }

  static void compareMetrics(String phase) throws Exception {
    String want = ref.get("/metrics").body();
    String got = ours.get("/metrics").body();
    for (String name : METRICS) {
      assertEquals(metric(want, name), metric(got, name), phase + " " + name);
    }
  }

  @Test
  void queryExemplarsAnswersAsPrometheus() throws Exception {
    compareAll("start");
    compareMetrics("start");
    String all = ours.get("/api/v1/query_exemplars?query=" + TestServer.enc(
        "{__name__=~\"ex_.*\"}")).body();
    assertTrue(all.contains("{\"labels\":{\"trace_id\":\"b4\"},\"value\":\"10\","), all);
    assertTrue(!all.contains("\"late\"") && !all.contains("xxxx"), all);

    // A smaller buffer on reload keeps the newest exemplars, in both.
    Files.writeString(ourConfig, config(3));
    Files.writeString(refConfig, config(3));
    assertEquals(200, ours.post("/-/reload", new byte[0], null, null).statusCode());
    assertEquals(200, ref.post("/-/reload").statusCode());
    compareAll("after shrinking reload");
    compareMetrics("after shrinking reload");
    assertEquals(3, metric(ours.get("/metrics").body(),
        "prometheus_tsdb_exemplar_max_exemplars"));
  }
}
