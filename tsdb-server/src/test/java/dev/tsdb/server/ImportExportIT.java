package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.api.remote.PromPb;
import dev.tsdb.testkit.reference.PrometheusRelease;
import dev.tsdb.testkit.reference.Promtool;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving data between servers: export from one (after a deletion) and import into fresh ones,
 * in VictoriaMetrics's JSON lines and in the text format, gives the same query answers; /federate's
 * output imports through /api/v1/import/prometheus; blocks promtool writes into a running
 * server's data directory are served after its next maintenance run.
 */
class ImportExportIT {
  private static final long MIN = 60_000;
  private static final long END = System.currentTimeMillis() / MIN * MIN;
  /** Six hours of 15s samples: the source server cuts the older part into blocks. */
  private static final long START = END - 6 * 60 * MIN;
  private static final long STEP = 15_000;

  @TempDir
  Path dir;

  /** Counters (with a reset) and gauges, several series each. */
  private static byte[] data() {
    Random rnd = new Random(17);
    List<PromPb.Series> out = new ArrayList<>();
    int n = (int) ((END - START) / STEP) + 1;
    for (String code : new String[] {"200", "404", "500"}) {
      for (String job : new String[] {"api", "web"}) {
        long[] ts = new long[n];
        double[] vs = new double[n];
        double v = 0;
        for (int i = 0; i < n; i++) {
          ts[i] = START + i * STEP;
          v = i == n / 2 ? 3 : v + rnd.nextInt(20); // a counter reset half way
          vs[i] = v;
        }
        out.add(PromPb.Series.raw(new String[] {"__name__", "http_requests_total", "code", code,
            "job", job}, ts, vs));
      }
    }
    for (String room : new String[] {"a", "b", "c", "d"}) {
      long[] ts = new long[n];
      double[] vs = new double[n];
      for (int i = 0; i < n; i++) {
        ts[i] = START + i * STEP;
        vs[i] = Math.round((20 + rnd.nextGaussian() * 3) * 1000) / 1000.0 + 1e-9 * i;
      }
      out.add(PromPb.Series.raw(new String[] {"__name__", "temperature", "room", room}, ts, vs));
    }
    return PromPb.writeRequest(out, List.of());
  }

  private static final List<String> QUERIES = List.of(
      "/api/v1/query_range?query=" + TestServer.enc("rate(http_requests_total[5m])")
          + "&start=" + START / 1000 + "&end=" + END / 1000 + "&step=60",
      "/api/v1/query_range?query=" + TestServer.enc("sum by (job) (increase(http_requests_total"
          + "[10m]))") + "&start=" + START / 1000 + "&end=" + END / 1000 + "&step=300",
      "/api/v1/query_range?query=temperature&start=" + START / 1000 + "&end=" + END / 1000
          + "&step=45",
      "/api/v1/query?query=" + TestServer.enc("count_over_time({__name__=~\".+\"}[7h])")
          + "&time=" + END / 1000,
      "/api/v1/query?query=" + TestServer.enc("max_over_time(temperature[7h])") + "&time="
          + END / 1000,
      "/api/v1/series?match[]=" + TestServer.enc("{__name__=~\"temperature|http_.*\"}"));

  @Test
  void exportThenImportIntoFreshServersAnswersTheSame() throws Exception {
    try (TestServer source = new TestServer(dir.resolve("source"), "--web.enable-admin-api")) {
      HttpResponse<String> w = source.write(data());
      assertEquals(204, w.statusCode(), w.body());
      // Deletions: a whole series, and an hour of another. Deleted data must not travel.
      delete(source, "match[]="
          + TestServer.enc("http_requests_total{code=\"500\",job=\"web\"}"));
      delete(source, "match[]=" + TestServer.enc("temperature{room=\"b\"}") + "&start="
          + (START / 1000 + 3600) + "&end=" + (START / 1000 + 7200));
      String match = "match[]=" + TestServer.enc("{__name__=~\"temperature|http_.*\"}");
      HttpResponse<String> json = source.get("/api/v1/export?" + match);
      assertEquals(200, json.statusCode(), json.body());
      assertEquals(9, json.body().lines().count(), "one line per series left (5 + 4)");
      HttpResponse<String> text = source.get("/api/v1/export/prometheus?" + match);
      assertEquals(200, text.statusCode(), text.body());

      List<String> want = answers(source);
      try (TestServer fromJson = new TestServer(dir.resolve("json"));
          TestServer fromText = new TestServer(dir.resolve("text"))) {
        HttpResponse<String> r = fromJson.post("/api/v1/import",
            json.body().getBytes(StandardCharsets.UTF_8), null, null);
        assertEquals(204, r.statusCode(), r.body());
        r = fromText.post("/api/v1/import/prometheus",
            text.body().getBytes(StandardCharsets.UTF_8), "text/plain", null);
        assertEquals(204, r.statusCode(), r.body());
        assertSame(want, answers(fromJson), "JSON lines");
        assertSame(want, answers(fromText), "text format");
        // And the export of the copy is the export of the original.
        assertEquals(json.body().lines().sorted().toList(),
            fromJson.get("/api/v1/export?" + match).body().lines().sorted().toList());
      }
    }
  }

  @Test
  void federateOutputImportsThroughTheTextEndpoint() throws Exception {
    try (TestServer source = new TestServer(dir.resolve("source"))) {
      assertEquals(204, source.write(data()).statusCode());
      HttpResponse<String> fed = source.get("/federate?match[]="
          + TestServer.enc("{__name__=~\"temperature|http_.*\"}"));
      assertEquals(200, fed.statusCode(), fed.body());
      assertTrue(fed.body().contains("# TYPE temperature untyped"), fed.body());
      try (TestServer copy = new TestServer(dir.resolve("copy"))) {
        HttpResponse<String> r = copy.post("/api/v1/import/prometheus?extra_label="
            + TestServer.enc("copied=yes"), fed.body().getBytes(StandardCharsets.UTF_8),
            "text/plain; version=0.0.4", null);
        assertEquals(204, r.statusCode(), r.body());
        String q = "/api/v1/query?query=" + TestServer.enc("sum by (__name__) ({__name__=~"
            + "\"temperature|http_.*\"})") + "&time=" + END / 1000;
        String copied = "/api/v1/query?query=" + TestServer.enc("sum by (__name__) ({__name__=~"
            + "\"temperature|http_.*\",copied=\"yes\"})") + "&time=" + END / 1000;
        assertEquals(source.get(q).body(), copy.get(copied).body());
      }
    }
  }

  @Test
  void promtoolBlocksInTheDataDirectoryAreServedWithoutARestart() throws Exception {
    Promtool promtool = Promtool.of(PrometheusRelease.V3_5);
    long from = END - 24 * 60 * MIN; // a day ago: older than anything the head would take
    StringBuilder om = new StringBuilder("# TYPE backfilled gauge\n");
    int samples = 0;
    for (long t = from; t < from + 5 * 60 * MIN; t += MIN) {
      om.append("backfilled{src=\"promtool\"} ").append(t / MIN % 7).append(' ')
          .append(t / 1000).append('\n');
      samples++;
    }
    om.append("# EOF\n");
    Files.writeString(dir.resolve("backfill.om"), om.toString());
    try (TestServer server = new TestServer(dir.resolve("server"))) {
      assertEquals(204, server.write(data()).statusCode());
      Path data = dir.resolve("server/data");
      promtool.run(dir, "tsdb", "create-blocks-from", "openmetrics", "backfill.om",
          data.toString()).check();
      String q = "/api/v1/query?query=" + TestServer.enc("count_over_time(backfilled[25h])")
          + "&time=" + END / 1000;
      // The maintenance cycle runs every minute, as Prometheus's compaction cycle.
      long deadline = System.currentTimeMillis() + 150_000;
      String body = server.get(q).body();
      while (!body.contains("\"" + samples + "\"") && System.currentTimeMillis() < deadline) {
        Thread.sleep(500);
        body = server.get(q).body();
      }
      assertTrue(body.contains("{\"metric\":{\"src\":\"promtool\"},\"value\":[" + END / 1000
          + ",\"" + samples + "\"]}"), body);
      // The live data is still all there.
      assertTrue(server.get("/api/v1/query?query=" + TestServer.enc(
          "count(count_over_time(temperature[7h]))") + "&time=" + END / 1000).body()
          .contains(",\"4\"]"));
    }
  }

  /** Equal answers, or a failure showing where the first difference of each query is. */
  private static void assertSame(List<String> want, List<String> got, String how) {
    for (int i = 0; i < want.size(); i++) {
      String w = want.get(i);
      String g = got.get(i);
      int at = 0;
      while (at < Math.min(w.length(), g.length()) && w.charAt(at) == g.charAt(at)) {
        at++;
      }
      int from = Math.max(0, at - 200);
      assertEquals(w, g, how + ": differs at " + at + ": want ..."
          + w.substring(from, Math.min(w.length(), at + 200)) + "\n got ..."
          + g.substring(from, Math.min(g.length(), at + 200)));
    }
  }

  private static void delete(TestServer s, String form) throws Exception {
    HttpResponse<String> r = s.http.send(HttpRequest.newBuilder(URI.create(s.base
        + "/api/v1/admin/tsdb/delete_series?" + form))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(204, r.statusCode(), r.body());
  }

  private static List<String> answers(TestServer s) throws Exception {
    List<String> out = new ArrayList<>();
    for (String q : QUERIES) {
      HttpResponse<String> r = s.http.send(HttpRequest.newBuilder(URI.create(s.base + q))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), q + " -> " + r.body());
      out.add(q + " -> " + r.body());
    }
    return out;
  }
}
