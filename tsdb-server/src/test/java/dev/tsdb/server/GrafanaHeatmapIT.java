package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.testkit.process.HttpEndpoint;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grafana's heatmap panel over native histograms, replayed against our server and Prometheus 3.5
 * fed the same data: the panel's query {@code sum(rate(x[$__rate_interval]))} (and a per-instance
 * variant) goes to /api/v1/query_range as Grafana's backend (pkg/promlib) sends it, with the rate
 * interval as a Go duration and start/end aligned to the step. Each answer must equal Prometheus's
 * (up to the last digits of histogram sums: 3.10+ adds them with Kahan compensation, see
 * {@link HistogramDifferentialIT#KNOWN_DIFFERENCES}) and be what Grafana's converter turns into
 * heatmap cells: matrix series with a "histograms" list of [time, {count, sum, buckets}], each
 * bucket [boundary rule 0..3, lower, upper, count] with numbers in strings (read with Go's
 * strconv.ParseFloat).
 */
class GrafanaHeatmapIT {
  @TempDir
  static Path dir;
  static TestServer ours;
  static Prometheus ref;

  @BeforeAll
  static void start() throws Exception {
    ours = new TestServer(dir.resolve("tsdb"));
    ref = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("prom"))
        .flags("--enable-feature=native-histograms").start();
    Random rnd = new Random(3);
    List<PromPb.Series> series = new ArrayList<>();
    series.add(HistogramDifferentialIT.histograms(Labels.of("__name__", "hm_latency_seconds",
        "instance", "a:9100", "job", "api"), HistogramDifferentialIT.schemaZero(rnd)));
    series.add(HistogramDifferentialIT.histograms(Labels.of("__name__", "hm_latency_seconds",
        "instance", "b:9100", "job", "api"), HistogramDifferentialIT.schemaThree(rnd)));
    series.add(HistogramDifferentialIT.histograms(Labels.of("__name__", "hm_latency_seconds",
        "instance", "c:9100", "job", "web"), HistogramDifferentialIT.schemaZero(rnd)));
    series.add(HistogramDifferentialIT.histograms(Labels.of("__name__", "hm_size_bytes",
        "instance", "a:9100", "job", "api"), HistogramDifferentialIT.custom(rnd,
            new double[] {100, 1000, 10_000}, false)));
    SideBySide.write(ref, ours, PromPb.writeRequest(series, List.of()));
  }

  @AfterAll
  static void stop() {
    SideBySide.stop(ref, ours);
  }

  /** A POST as Grafana's backend sends it, to either server. */
  static HttpResponse<String> post(String base, String path, String form) throws Exception {
    return new HttpEndpoint(base).post(path, form.getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/x-www-form-urlencoded", "User-Agent", "Grafana/12.0.0",
        "X-Grafana-Org-Id", "1");
  }

  /**
   * The panel's range request: the last {@code minutes} up to now, step {@code step} seconds and
   * $__rate_interval as Grafana computes it (max(4 x scrape interval, step + scrape interval)).
   */
  static String panelForm(String query, long minutes, long step, String rateInterval) {
    long now = System.currentTimeMillis() / 1000;
    long end = now / step * step;
    long start = (now - minutes * 60) / step * step;
    return GrafanaSessionTest.form("query", query.replace("$__rate_interval", rateInterval),
        "start", Long.toString(start), "end", Long.toString(end), "step", Long.toString(step),
        "timeout", "60s");
  }

  @Test
  void heatmapPanelsAnswerAsPrometheus() throws Exception {
    String[][] panels = {
        {"sum(rate(hm_latency_seconds[$__rate_interval]))", "60", "15", "1m0s"},
        {"sum(rate(hm_latency_seconds[$__rate_interval]))", "45", "30", "1m0s"},
        {"sum(rate(hm_latency_seconds[$__rate_interval]))", "180", "60", "1m15s"},
        {"sum by (job) (rate(hm_latency_seconds{job=~\"api|web\"}[$__rate_interval]))", "60",
            "15", "1m0s"},
        {"sum(increase(hm_latency_seconds[$__rate_interval]))", "60", "15", "1m0s"},
        {"sum(rate(hm_size_bytes[$__rate_interval]))", "60", "15", "1m0s"}};
    for (String[] p : panels) {
      long step = Long.parseLong(p[2]);
      String form = panelForm(p[0], Long.parseLong(p[1]), step, p[3]);
      HttpResponse<String> theirs = post(ref.base(), "/api/v1/query_range", form);
      HttpResponse<String> mine = post(ours.base, "/api/v1/query_range", form);
      assertEquals(200, theirs.statusCode(), theirs.body());
      assertEquals(200, mine.statusCode(), mine.body());
      assertEquals(HistogramDifferentialIT.rounded(theirs.body()),
          HistogramDifferentialIT.rounded(mine.body()), form);
      checkHeatmapFrames(GrafanaSessionTest.success(mine), step, p[0]);
    }
  }

  /** What pkg/promlib's converter reads of a native-histogram matrix. */
  static void checkHeatmapFrames(JsonNode data, long step, String query) {
    assertEquals("matrix", data.get("resultType").asText());
    JsonNode result = data.get("result");
    assertFalse(result.isEmpty(), query);
    for (JsonNode series : result) {
      GrafanaSessionTest.metric(series);
      assertFalse(series.has("values"), query);
      JsonNode points = series.get("histograms");
      assertTrue(points.isArray() && points.size() > 10, query + ": " + series);
      for (JsonNode point : points) {
        assertTrue(point.isArray() && point.size() == 2, point.toString());
        assertTrue(point.get(0).isNumber(), point.toString());
        assertEquals(0, point.get(0).asLong() % step, point.toString());
        JsonNode h = point.get(1);
        assertTrue(h.get("count").isTextual() && h.get("sum").isTextual(), h.toString());
        double count = GoNumbers.parseFloat(h.get("count").asText());
        double total = 0;
        for (JsonNode b : h.get("buckets")) {
          assertTrue(b.isArray() && b.size() == 4, b.toString());
          assertTrue(b.get(0).isInt() && b.get(0).asInt() >= 0 && b.get(0).asInt() <= 3,
              b.toString());
          double lower = GoNumbers.parseFloat(b.get(1).asText());
          double upper = GoNumbers.parseFloat(b.get(2).asText());
          double n = GoNumbers.parseFloat(b.get(3).asText());
          assertTrue(b.get(1).isTextual() && b.get(2).isTextual() && b.get(3).isTextual()
              && lower < upper && n >= 0, b.toString());
          total += n;
        }
        assertEquals(count, total, Math.max(1e-9, count * 1e-9), h.toString());
      }
    }
  }
}
