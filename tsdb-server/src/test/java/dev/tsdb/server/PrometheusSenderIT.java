package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.testkit.process.FreePort;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reference Prometheus scrapes itself and remote-writes (1.0) to us: a real sender, end to end,
 * both the older 2.42 and the current 3.5.
 */
class PrometheusSenderIT {
  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(PrometheusRelease.class)
  void receivesWhatPrometheusSends(PrometheusRelease release) throws Exception {
    try (TestServer ts = new TestServer(dir.resolve("tsdb"))) {
      int port = FreePort.pick();
      // The reference server picks its own port; scrape it through the config's self target.
      String config = "global:\n  scrape_interval: 1s\n"
          + "scrape_configs:\n  - job_name: self\n    static_configs:\n"
          + "      - targets: ['127.0.0.1:" + port + "']\n"
          + "remote_write:\n  - url: " + ts.base + "/api/v1/write\n"
          + "    queue_config:\n      batch_send_deadline: 1s\n"
          + "    metadata_config:\n      send_interval: 1s\n";
      try (Prometheus prom = Prometheus.in(release, dir.resolve("prom")).config(config)
          .port(port).start()) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String names = "";
        String metadata = "";
        while (System.nanoTime() < deadline) {
          names = ts.get("/api/v1/label/__name__/values").body();
          metadata = ts.get("/api/v1/metadata?metric=prometheus_build_info").body();
          if (names.contains("\"up\"") && names.contains("\"prometheus_build_info\"")
              && metadata.contains("\"gauge\"") && ts.get("/api/v1/metadata?metric="
                  + "prometheus_http_requests_total").body().contains("\"counter\"")) {
            break;
          }
          Thread.sleep(250);
        }
        assertTrue(names.contains("\"up\"") && names.contains("\"prometheus_build_info\""),
            names);
        assertTrue(metadata.contains("\"type\":\"gauge\""), metadata);
        String jobs = ts.get("/api/v1/label/job/values").body();
        assertTrue(jobs.contains("\"self\""), jobs);
        String metrics = ts.get("/metrics").body();
        assertTrue(metrics.contains("prometheus_remote_write_receiver_samples_appended_total"),
            metrics);
      }
    }
    // With the sender gone, what it sent is still there after a restart: the metadata went
    // into the WAL with the series.
    try (TestServer ts = new TestServer(dir.resolve("tsdb"))) {
      String metadata = ts.get("/api/v1/metadata?metric=prometheus_build_info").body();
      assertTrue(metadata.contains("\"type\":\"gauge\""), metadata);
      metadata = ts.get("/api/v1/metadata?metric=prometheus_http_requests_total").body();
      assertTrue(metadata.contains("\"type\":\"counter\""), metadata);
    }
  }
}
