package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.testkit.process.FreePort;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus 3.5 scrapes itself and remote-writes to us with remote write 2.0
 * ({@code protobuf_message: io.prometheus.write.v2.Request}): what it sends (samples and the
 * per-series metadata of 2.0) is then queried from us and compared with what the same Prometheus
 * answers from its own storage and scrape cache.
 */
class PrometheusRemoteWriteV2IT {
  @TempDir
  Path dir;

  @Test
  void receivesWhatPrometheus3SendsWithRemoteWrite2() throws Exception {
    try (TestServer ts = new TestServer(dir.resolve("tsdb"),
        "--enable-feature=created-timestamp-zero-ingestion")) {
      int port = FreePort.pick();
      String config = "global:\n  scrape_interval: 1s\n"
          + "scrape_configs:\n  - job_name: self\n    static_configs:\n"
          + "      - targets: ['127.0.0.1:" + port + "']\n"
          + "remote_write:\n  - url: " + ts.base + "/api/v1/write\n"
          + "    protobuf_message: io.prometheus.write.v2.Request\n"
          + "    queue_config:\n      batch_send_deadline: 1s\n";
      // A 2.0 sender takes series metadata from its WAL: only written with this feature.
      try (Prometheus prom = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("prom"))
          .config(config).port(port).flags("--enable-feature=metadata-wal-records").start()) {
        String counterMetadata = "/api/v1/metadata?metric=prometheus_http_requests_total";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline
            && !(ts.get("/api/v1/label/__name__/values").body().contains("\"up\"")
                && ts.get(counterMetadata).body().contains("\"counter\""))) {
          Thread.sleep(250);
        }
        // A moment both hold in full: a few seconds back, once its samples have arrived.
        Thread.sleep(4000);
        double t = System.currentTimeMillis() / 1000.0 - 3;
        for (String q : new String[] {"up", "prometheus_build_info",
            "prometheus_target_interval_length_seconds_count",
            "prometheus_http_requests_total{handler=\"/metrics\"}"}) {
          String path = "/api/v1/query?time=" + String.format("%.3f", t) + "&query="
              + URLEncoder.encode(q, StandardCharsets.UTF_8);
          String theirs = prom.get(path).body();
          assertTrue(theirs.contains("\"result\":[{"), theirs);
          assertEquals(theirs, ts.get(path).body(), q);
        }
        for (String m : new String[] {"prometheus_http_requests_total", "prometheus_build_info",
            "prometheus_target_interval_length_seconds"}) {
          String path = "/api/v1/metadata?metric=" + m;
          String theirs = prom.get(path).body();
          assertTrue(theirs.contains("\"type\":"), theirs);
          // Prometheus 3 writes unit before help; the fields, not their order, must agree.
          assertEquals(fields(theirs), fields(ts.get(path).body()), m);
        }
        // The sender saw every request accepted.
        String failed = prom.get("/api/v1/query?query="
            + "sum(prometheus_remote_storage_samples_failed_total)").body();
        assertTrue(failed.contains("\"0\"]"), failed);
        String sent = prom.get("/api/v1/query?query="
            + "sum(prometheus_remote_storage_samples_total)").body();
        assertTrue(!sent.contains("\"0\"]"), sent);
      }
    }
  }

  /** A metadata answer's "name":"value" fields, sorted. */
  private static java.util.List<String> fields(String json) {
    java.util.List<String> out = new java.util.ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("\"(type|help|unit)\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
    while (m.find()) {
      out.add(m.group());
    }
    java.util.Collections.sort(out);
    return out;
  }
}
