package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.testkit.process.HttpEndpoint;
import dev.tsdb.testkit.process.ServerProcess;
import dev.tsdb.testkit.process.TsdbJarServer;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of native histograms in the packaged server (the histogram case of
 * {@link CrashIT}): SIGKILL during concurrent remote writes of histograms loses no acknowledged
 * histogram. After the restart, a block cut from the data (a snapshot with the head) reads back
 * identically in our server, and Prometheus 3.5 opened on a copy of that block and on a copy of
 * our data directory (WAL with histogram records) answers the same queries byte for byte.
 */
class HistogramCrashIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SERIES_PER_REQUEST = 3;
  private static final int SAMPLES_PER_SERIES = 4;

  @TempDir
  Path dir;

  /** Sample n of a series: a counter histogram of n + 1 observations in one bucket. */
  private static Histogram histogram(long n) {
    Histogram h = new Histogram();
    h.schema = 0;
    h.positiveSpans = new int[] {1, 1};
    h.positiveBuckets = new long[] {n + 1};
    h.count = n + 1;
    h.sum = 1.5 * (n + 1);
    return h;
  }

  /** Request k of writer w: series hcrash{s=j,writer=w}, samples at base + 4k + i (ms). */
  private static byte[] request(int writer, long base, int k) {
    List<PromPb.Series> series = new ArrayList<>();
    for (int j = 0; j < SERIES_PER_REQUEST; j++) {
      List<PromPb.NativeHistogram> hs = new ArrayList<>();
      for (int i = 0; i < SAMPLES_PER_SERIES; i++) {
        long n = (long) k * SAMPLES_PER_SERIES + i;
        hs.add(PromPb.NativeHistogram.of(base + n, histogram(n)));
      }
      series.add(PromPb.Series.of(Labels.of("__name__", "hcrash", "s", "" + j,
          "writer", "" + writer), new long[0], new double[0]).withHistograms(hs));
    }
    return PromPb.writeRequest(series, List.of());
  }

  /** Each series' histogram counts by timestamp (ms), by "writer/s". */
  private static Map<String, Map<Long, String>> histograms(String body) throws IOException {
    Map<String, Map<Long, String>> out = new HashMap<>();
    for (JsonNode e : JSON.readTree(body).path("data").path("result")) {
      Map<Long, String> counts = new HashMap<>();
      for (JsonNode h : e.path("histograms")) {
        counts.put(new BigDecimal(h.get(0).asText()).movePointRight(3).longValueExact(),
            h.get(1).path("count").asText());
      }
      out.put(e.path("metric").path("writer").asText() + "/"
          + e.path("metric").path("s").asText(), counts);
    }
    return out;
  }

  /** The queries compared across servers: all raw histograms, and an aggregation. */
  private static List<String> queries(long base) {
    return List.of(
        "/api/v1/query?query=" + HttpEndpoint.enc("hcrash[2h]") + "&time=" + (base / 1000 + 3600),
        "/api/v1/query?query=" + HttpEndpoint.enc("histogram_count(sum(hcrash))") + "&time="
            + (base / 1000 + 60),
        "/api/v1/query?query=" + HttpEndpoint.enc("sum by (s) (hcrash)") + "&time="
            + (base / 1000 + 60));
  }

  private static Map<String, String> answers(ServerProcess s, long base) throws Exception {
    Map<String, String> out = new HashMap<>();
    for (String q : queries(base)) {
      HttpResponse<String> r = s.get(q);
      assertEquals(200, r.statusCode(), q + ": " + r.body());
      out.put(q, r.body());
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals("lock")) {
          Files.copy(p, target);
        }
      }
    }
  }

  @Test
  void sigkillDuringHistogramWritesKeepsEveryAcknowledgedHistogram() throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("server.log");
    long base = (System.currentTimeMillis() - 3_600_000) / 1000 * 1000;
    int writers = 2;
    List<List<Boolean>> acked; // per writer, per request: got a 204
    TsdbJarServer s = TsdbJarServer.start(data, log);
    try {
      acked = KillDuringWrites.run(s, writers, 100, 500, (w, k) -> request(w, base, k));
    } finally {
      s.close();
    }

    Map<String, String> ours;
    Path snapshot;
    try (TsdbJarServer again = TsdbJarServer.start(data, log, "--web.enable-admin-api")) {
      ours = answers(again, base);
      Map<String, Map<Long, String>> found = histograms(ours.get(queries(base).get(0)));
      int checked = 0;
      for (int w = 0; w < writers; w++) {
        List<Boolean> mine = acked.get(w);
        for (int j = 0; j < SERIES_PER_REQUEST; j++) {
          Map<Long, String> counts = found.getOrDefault(w + "/" + j, Map.of());
          for (int k = 0; k < mine.size(); k++) {
            if (!mine.get(k)) {
              continue;
            }
            for (int i = 0; i < SAMPLES_PER_SERIES; i++) {
              long n = (long) k * SAMPLES_PER_SERIES + i;
              assertEquals(String.valueOf(n + 1), counts.get(base + n),
                  "writer " + w + " series " + j + " request " + k + " sample " + i);
            }
            checked++;
          }
        }
      }
      assertTrue(checked >= writers * SERIES_PER_REQUEST * 100, "checked " + checked);
      System.out.println("HistogramCrashIT: " + checked + " acknowledged request-series checked, "
          + ours.get(queries(base).get(0)).length() + " bytes of histograms compared");
      // Cut the head into a block: a snapshot with the head.
      HttpResponse<String> snap = again.post("/api/v1/admin/tsdb/snapshot");
      assertEquals(200, snap.statusCode(), snap.body());
      snapshot = data.resolve("snapshots")
          .resolve(JSON.readTree(snap.body()).path("data").path("name").asText());
      try (Stream<Path> blocks = Files.list(snapshot)) {
        assertTrue(blocks.anyMatch(b -> Files.exists(b.resolve("meta.json"))), "a block");
      }
    }
    assertFalse(Files.readString(log).contains("level=ERROR"), Files.readString(log));

    Path blockCopy = dir.resolve("block-copy");
    copyTree(snapshot, blockCopy);
    try (TsdbJarServer fromBlock = TsdbJarServer.start(blockCopy, dir.resolve("block.log"))) {
      assertEquals(ours, answers(fromBlock, base), "our server on the block");
    }
    Path promBlock = dir.resolve("prom-block");
    copyTree(snapshot, promBlock);
    try (Prometheus prom = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("p1"))
        .data(promBlock).start()) {
      assertEquals(ours, answers(prom, base), "Prometheus 3.5 on the block");
    }
    Path promData = dir.resolve("prom-data");
    copyTree(data, promData);
    try (Stream<Path> snaps = Files.list(promData.resolve("snapshots"))) {
      for (Path p : (Iterable<Path>) snaps::iterator) {
        try (Stream<Path> all = Files.walk(p)) {
          all.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }
    try (Prometheus prom = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("p2"))
        .data(promData).start()) {
      assertEquals(ours, answers(prom, base), "Prometheus 3.5 on our data directory");
    }
  }
}
