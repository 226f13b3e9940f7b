package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.labels.Labels;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server on the real database: persistence across restarts, status endpoints, metrics. */
class StorageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Recent enough for the head to accept, whole minutes for readable query times. */
  private static final long T0 = System.currentTimeMillis() / 60_000 * 60_000 - 30 * 60_000;

  @TempDir
  Path dir;

  private static byte[] series(String name, String job, long[] ts, double[] vs) {
    return PromPb.writeRequest(List.of(PromPb.Series.of(Labels.of("__name__", name, "job", job),
        ts, vs)), List.of());
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static String query(TestServer ts, String q, long t) throws Exception {
    return json(ts.get("/api/v1/query?query=" + TestServer.enc(q) + "&time=" + t / 1000))
        .path("data").path("result").toString();
  }

  @Test
  void dataSurvivesRestartAndWalReplayIsReported() throws Exception {
    try (TestServer ts = new TestServer(dir)) {
      assertEquals(204, ts.write(series("persist_me", "a", new long[] {T0, T0 + 15_000},
          new double[] {1, 2})).statusCode());
      assertEquals(204, ts.write(series("persist_me", "b", new long[] {T0 + 15_000},
          new double[] {7})).statusCode());
      assertTrue(Files.isDirectory(dir.resolve("data/wal")), "WAL directory");
      assertTrue(Files.exists(dir.resolve("data/lock")), "lock file while running");
    }
    assertFalse(Files.exists(dir.resolve("data/lock")), "lock released at shutdown");
    try (TestServer ts = new TestServer(dir)) {
      assertEquals("[{\"metric\":{\"__name__\":\"persist_me\",\"job\":\"a\"},\"value\":["
          + (T0 + 20_000) / 1000 + ",\"2\"]},{\"metric\":{\"__name__\":\"persist_me\",\"job\":"
          + "\"b\"},\"value\":[" + (T0 + 20_000) / 1000 + ",\"7\"]}]",
          query(ts, "persist_me", T0 + 20_000));
      JsonNode w = json(ts.get("/api/v1/status/walreplay")).path("data");
      assertEquals(w.path("max").asLong(), w.path("current").asLong(), w.toString());
      assertTrue(w.path("max").asLong() >= w.path("min").asLong(), w.toString());
      // Appending continues after the replayed data.
      assertEquals(204, ts.write(series("persist_me", "a", new long[] {T0 + 30_000},
          new double[] {3})).statusCode());
      assertTrue(query(ts, "persist_me{job=\"a\"}", T0 + 30_000).contains("\"3\""));
    }
  }

  @Test
  void metadataAndExemplarsSurviveRestart() throws Exception {
    PromPb.Series counter = PromPb.Series.of(Labels.of("__name__", "meta_requests_total", "job",
        "a"), new long[] {T0}, new double[] {1}).withExemplars(List.of(
            new PromPb.Exemplar(new String[] {"trace_id", "t1"}, 1, T0 + 250)));
    PromPb.Series bucket = PromPb.Series.of(Labels.of("__name__", "meta_latency_bucket", "job",
        "a", "le", "+Inf"), new long[] {T0}, new double[] {3});
    String all;
    String exemplars = "/api/v1/query_exemplars?query=meta_requests_total";
    try (TestServer ts = new TestServer(dir)) {
      // Metadata as Prometheus sends it: in requests of its own, apart from the samples.
      assertEquals(204, ts.write(PromPb.writeRequest(List.of(counter, bucket), List.of()))
          .statusCode());
      assertEquals(204, ts.write(PromPb.writeRequest(List.of(), List.of(
          new PromPb.Metadata(1, "meta_requests_total", "Requests <served>.", ""),
          new PromPb.Metadata(3, "meta_latency", "Latency.", "seconds")))).statusCode());
      all = ts.get("/api/v1/metadata").body();
      assertEquals("{\"status\":\"success\",\"data\":{\"meta_latency\":[{\"type\":"
          + "\"histogram\",\"unit\":\"seconds\",\"help\":\"Latency.\"}],"
          + "\"meta_requests_total\":[{\"type\":\"counter\",\"unit\":\"\",\"help\":"
          + "\"Requests \\u003cserved\\u003e.\"}]}}", all);
      assertTrue(ts.get(exemplars).body().contains("\"trace_id\":\"t1\""));
    }
    try (TestServer ts = new TestServer(dir)) {
      assertEquals(all, ts.get("/api/v1/metadata").body(), "metadata replayed from the WAL");
      assertEquals("{\"status\":\"success\",\"data\":{\"meta_latency\":[{\"type\":"
          + "\"histogram\",\"unit\":\"seconds\",\"help\":\"Latency.\"}]}}",
          ts.get("/api/v1/metadata?metric=meta_latency&limit_per_metric=1").body());
      assertEquals("{\"status\":\"success\",\"data\":[{\"seriesLabels\":{\"__name__\":"
          + "\"meta_requests_total\",\"job\":\"a\"},\"exemplars\":[{\"labels\":{"
          + "\"trace_id\":\"t1\"},\"value\":\"1\",\"timestamp\":" + T0 / 1000
          + ".250}]}]}", ts.get(exemplars).body(), "exemplars replayed from the WAL");
      String m = ts.get("/metrics").body();
      assertTrue(m.contains("prometheus_tsdb_exemplar_exemplars_in_storage 1.0")
          || m.contains("prometheus_tsdb_exemplar_exemplars_in_storage 1\n"), m);
    }
  }

  @Test
  void secondServerOnTheSameDirectoryIsRefused() throws Exception {
    try (TestServer ts = new TestServer(dir)) {
      IOException e = assertThrows(IOException.class, () -> new TestServer(dir).close());
      assertTrue(e.getMessage().startsWith("opening storage failed: lock DB directory"),
          e.getMessage());
      assertEquals(200, ts.get("/-/ready").statusCode(), "the first server keeps running");
    }
    // --storage.tsdb.no-lockfile: no lock taken, no file left.
    try (TestServer ts = new TestServer(dir, "--storage.tsdb.no-lockfile")) {
      assertFalse(Files.exists(dir.resolve("data/lock")));
    }
  }

  @Test
  void tsdbStatusHasPrometheusShape() throws Exception {
    try (TestServer ts = new TestServer(dir)) {
      JsonNode empty = json(ts.get("/api/v1/status/tsdb")).path("data").path("headStats");
      assertEquals(0, empty.path("numSeries").asLong());
      assertEquals(Long.MAX_VALUE, empty.path("minTime").asLong());
      assertEquals(Long.MIN_VALUE, empty.path("maxTime").asLong());
      ts.write(series("st_a", "x", new long[] {T0, T0 + 1000}, new double[] {1, 2}));
      ts.write(series("st_a", "y", new long[] {T0 + 500}, new double[] {1}));
      ts.write(series("st_b", "x", new long[] {T0 + 2000}, new double[] {1}));
      JsonNode d = json(ts.get("/api/v1/status/tsdb?limit=1")).path("data");
      assertEquals(List.of("headStats", "seriesCountByMetricName", "labelValueCountByLabelName",
          "memoryInBytesByLabelName", "seriesCountByLabelValuePair"), fieldNames(d));
      JsonNode h = d.path("headStats");
      assertEquals(List.of("numSeries", "numLabelPairs", "chunkCount", "minTime", "maxTime"),
          fieldNames(h));
      assertEquals(3, h.path("numSeries").asLong());
      assertEquals(4, h.path("numLabelPairs").asLong()); // st_a, st_b, x, y
      assertEquals(3, h.path("chunkCount").asLong()); // one open chunk per series
      assertEquals(T0, h.path("minTime").asLong());
      assertEquals(T0 + 2000, h.path("maxTime").asLong());
      assertEquals("[{\"name\":\"st_a\",\"value\":2}]", d.path("seriesCountByMetricName")
          .toString());
      // Ties (job=x also has 2) go to the smaller name.
      assertEquals("[{\"name\":\"__name__=st_a\",\"value\":2}]",
          d.path("seriesCountByLabelValuePair").toString());
      HttpResponse<String> bad = ts.get("/api/v1/status/tsdb?limit=0");
      assertEquals(400, bad.statusCode());
      assertTrue(bad.body().contains("limit must be a positive number"), bad.body());
    }
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void storageMetricsUsePrometheusNames() throws Exception {
    try (TestServer ts = new TestServer(dir)) {
      ts.write(series("m_a", "x", new long[] {T0}, new double[] {1}));
      String m = ts.get("/metrics").body();
      for (String name : new String[] {"prometheus_tsdb_head_series 1.0",
          "prometheus_tsdb_head_chunks 1.0",
          "prometheus_tsdb_head_min_time " + (double) T0,
          "prometheus_tsdb_head_max_time " + (double) T0,
          "prometheus_tsdb_blocks_loaded 0.0", "prometheus_tsdb_compactions_total 0.0",
          "prometheus_tsdb_compactions_failed_total 0.0",
          "prometheus_tsdb_head_truncations_total 0.0",
          "prometheus_tsdb_storage_blocks_bytes 0.0",
          "prometheus_tsdb_time_retentions_total 0.0",
          "prometheus_tsdb_size_retentions_total 0.0",
          "prometheus_tsdb_retention_limit_seconds 1296000.0",
          "tsdb_corrupted_blocks_total 0.0"}) {
        assertTrue(m.contains("\n" + name + "\n"), name + " in\n" + m);
      }
    }
  }

  @Test
  void walAndCompactionMetricsUsePrometheusNames() throws Exception {
    try (TestServer ts = new TestServer(dir, "--storage.tsdb.wal-fsync-on-write")) {
      for (int i = 0; i < 3; i++) {
        assertEquals(204, ts.write(series("w_a", "x", new long[] {T0 + i * 15_000},
            new double[] {i})).statusCode());
      }
      String m = ts.get("/metrics").body();
      assertTrue(metric(m, "prometheus_tsdb_wal_fsync_duration_seconds_count") >= 3, m);
      assertTrue(metric(m, "prometheus_tsdb_wal_fsync_duration_seconds_sum") > 0, m);
      assertTrue(m.contains("# TYPE prometheus_tsdb_wal_fsync_duration_seconds summary"), m);
      assertTrue(m.contains("prometheus_tsdb_wal_fsync_duration_seconds{quantile=\"0.99\"}"), m);
      assertTrue(metric(m, "prometheus_tsdb_wal_page_flushes_total") >= 3, m);
      for (String zero : new String[] {"prometheus_tsdb_wal_segment_current",
          "prometheus_tsdb_wal_completed_pages_total", "prometheus_tsdb_wal_truncations_total",
          "prometheus_tsdb_wal_truncations_failed_total", "prometheus_tsdb_wal_corruptions_total",
          "prometheus_tsdb_wal_writes_failed_total", "prometheus_tsdb_checkpoint_creations_total",
          "prometheus_tsdb_checkpoint_creations_failed_total",
          "prometheus_tsdb_compaction_duration_seconds_count"}) {
        assertEquals(0, metric(m, zero), zero);
      }
      assertTrue(m.contains("# TYPE prometheus_tsdb_compaction_duration_seconds histogram"), m);
      assertTrue(m.contains("prometheus_tsdb_compaction_duration_seconds_bucket{le=\"8192.0\"}"),
          m);
    }
  }

  private static double metric(String text, String name) {
    java.util.regex.Matcher mm = java.util.regex.Pattern.compile(
        "(?m)^" + name + " (\\S+)$").matcher(text);
    assertTrue(mm.find(), name + " missing");
    return Double.parseDouble(mm.group(1));
  }

  @Test
  void outOfOrderWindowComesFromTheConfigFile() throws Exception {
    byte[] late = series("ooo", "x", new long[] {T0 - 60_000}, new double[] {0});
    try (TestServer ts = new TestServer(dir.resolve("strict"))) {
      assertEquals(204, ts.write(series("ooo", "x", new long[] {T0}, new double[] {1}))
          .statusCode());
      HttpResponse<String> r = ts.write(late);
      assertEquals(400, r.statusCode());
      assertTrue(r.body().contains("out of order sample"), r.body());
    }
    Path lenient = dir.resolve("lenient");
    Files.createDirectories(lenient);
    Files.writeString(lenient.resolve("prometheus.yml"),
        "storage:\n  tsdb:\n    out_of_order_time_window: 10m\n");
    try (TestServer ts = new TestServer(lenient)) {
      assertEquals(204, ts.write(series("ooo", "x", new long[] {T0}, new double[] {1}))
          .statusCode());
      assertEquals(204, ts.write(late).statusCode());
      assertTrue(query(ts, "count_over_time(ooo[5m])", T0).contains("\"2\""));
      assertTrue(ts.get("/api/v1/status/config").body().contains("out_of_order_time_window"));
    }
    Path bad = dir.resolve("bad");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve("prometheus.yml"),
        "storage:\n  tsdb:\n    out_of_order_time_window: soon\n");
    assertThrows(dev.tsdb.rules.config.ConfigException.class, () -> new TestServer(bad));
  }

  @Test
  void deprecatedRetentionFlagStillWorks() throws Exception {
    try (TestServer ts = new TestServer(dir, "--storage.tsdb.retention=3d")) {
      assertEquals("3d", json(ts.get("/api/v1/status/runtimeinfo")).path("data")
          .path("storageRetention").asText());
    }
    try (TestServer ts = new TestServer(dir, "--storage.tsdb.retention=3d",
        "--storage.tsdb.retention.time=5d")) {
      assertEquals("5d", json(ts.get("/api/v1/status/runtimeinfo")).path("data")
          .path("storageRetention").asText(), "the new flag wins");
    }
  }

  @Test
  void badWalSegmentSizeFailsStartup() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TestServer(dir, "--storage.tsdb.wal-segment-size=1MB"));
    assertTrue(e.getMessage().contains(
        "flag 'storage.tsdb.wal-segment-size' must be set between 10MB and 256MB"),
        e.getMessage());
  }
}
