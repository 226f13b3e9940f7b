package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.testkit.process.FreePort;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus 3.5 scrapes itself every second and remote-writes everything to us; after a
 * minute and a bit, queries over that data answer the same from our API as from Prometheus's
 * own, for the same evaluation times.
 *
 * <p>Evaluation times are chosen inside the data both hold: from a minute after the first
 * scrape (so rate over [1m] has a full window) to a few seconds before the newest sample we have
 * received (remote write trails Prometheus's own head by up to its 1 s batch deadline; samples
 * not yet forwarded would otherwise make us answer from older data). Within that window both
 * evaluate the same samples with the same semantics, so the answers are compared byte for byte
 * (Prometheus's JSON, float formatting included), rate as well: no tolerance is needed.
 */
class PrometheusSelfScrapeIT {
  @TempDir
  Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void queriesOverRemoteWrittenSelfScrapesAnswerAsPrometheus() throws Exception {
    try (TestServer ts = new TestServer(dir.resolve("tsdb"))) {
      int port = FreePort.pick();
      String config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
          + "scrape_configs:\n  - job_name: self\n    static_configs:\n"
          + "      - targets: ['127.0.0.1:" + port + "']\n"
          + "remote_write:\n  - url: " + ts.base + "/api/v1/write\n"
          + "    queue_config:\n      batch_send_deadline: 1s\n      min_backoff: 100ms\n";
      try (Prometheus prom = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("prom"))
          .config(config).port(port).start()) {
        long firstScrape = awaitFirstSample(ts);
        // A full [1m] window after the first scrape, then a few evaluation steps.
        long start = firstScrape / 1000 + 62;
        long end = start + 8;
        awaitData(ts, end + 3);

        for (String q : new String[] {"up", "prometheus_tsdb_head_series",
            "rate(prometheus_http_requests_total[1m])",
            "sum by (job) (rate(prometheus_http_requests_total[1m]))",
            "prometheus_build_info", "count({job=\"self\"})"}) {
          for (long t = start; t <= end; t += 4) {
            String path = "/api/v1/query?query=" + TestServer.enc(q) + "&time=" + t;
            assertSame(prom.get(path), ts.get(path), q + " @ " + t);
          }
          String range = "/api/v1/query_range?query=" + TestServer.enc(q) + "&start=" + start
              + "&end=" + end + "&step=1";
          assertSame(prom.get(range), ts.get(range), q + " over [" + start + ", " + end + "]");
        }
        // The answers are not trivially empty.
        JsonNode up = JSON.readTree(ts.get("/api/v1/query?query=up&time=" + end).body());
        assertEquals("1", up.at("/data/result/0/value/1").asText(), up.toString());
        JsonNode rate = JSON.readTree(ts.get("/api/v1/query?query="
            + TestServer.enc("rate(prometheus_http_requests_total{handler=\"/metrics\"}[1m])")
            + "&time=" + end).body());
        double perSecond = rate.at("/data/result/0/value/1").asDouble();
        assertTrue(perSecond > 0.5 && perSecond < 2, rate.toString()); // one scrape a second
      }
    }
  }

  private static void assertSame(HttpResponse<String> want, HttpResponse<String> got,
      String what) {
    assertEquals(want.statusCode(), got.statusCode(), what);
    assertEquals(sorted(want.body()), sorted(got.body()), what);
  }

  /** The answer with its result list in a fixed order (Prometheus does not sort vectors). */
  private static String sorted(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      JsonNode result = n.at("/data/result");
      if (!result.isArray()) {
        return body;
      }
      TreeMap<String, JsonNode> bySeries = new TreeMap<>();
      result.forEach(s -> bySeries.put(s.get("metric").toString(), s));
      return n.at("/status").asText() + " " + n.at("/data/resultType").asText() + " "
          + bySeries.values() + " " + n.path("warnings") + " " + n.path("infos");
    } catch (java.io.IOException e) {
      return body;
    }
  }

  /** The time (ms) of the first self-scrape we received. */
  private static long awaitFirstSample(TestServer ts) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      JsonNode first = JSON.readTree(ts.get("/api/v1/query?query=" + TestServer.enc("up[10m]"))
          .body()).at("/data/result/0/values/0/0");
      if (!first.isMissingNode()) {
        return (long) (first.asDouble() * 1000);
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no self-scrape received within 60 s");
  }

  /** Waits until we hold a sample of up at or after {@code t} (seconds). */
  private static void awaitData(TestServer ts, long t) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
    while (System.nanoTime() < deadline) {
      JsonNode r = JSON.readTree(ts.get("/api/v1/query?query=" + TestServer.enc("timestamp(up)"))
          .body());
      JsonNode v = r.at("/data/result/0/value/1");
      if (!v.isMissingNode() && Double.parseDouble(v.asText()) >= t) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("remote write did not reach " + t + " within 150 s");
  }
}
