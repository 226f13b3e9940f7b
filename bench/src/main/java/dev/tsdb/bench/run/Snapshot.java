package dev.tsdb.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes a server's in-memory data as persistent blocks through the admin snapshot API
 * (POST /api/v1/admin/tsdb/snapshot, head included) and measures them; then lets promtool list
 * the snapshot, which both checks that the blocks are readable by Prometheus's tools and counts
 * the samples they hold.
 */
public final class Snapshot {
  /** Sizes of the snapshot's block files, and what promtool says is in them. */
  public record Result(String error, long totalBytes, long indexBytes, long chunkBytes,
      long promtoolSamples, long promtoolSeries, String promtoolError, long millis) {
    static Result failed(String error) {
      return new Result(error, 0, 0, 0, 0, 0, null, 0);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private Snapshot() {}

  public static Result take(String baseUrl, Path dataDir, Path promtool)
      throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long start = System.nanoTime();
    Path dir;
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl
          + "/api/v1/admin/tsdb/snapshot")).timeout(Duration.ofMinutes(10))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode root = JSON.readTree(r.body());
      if (r.statusCode() != 200 || !"success".equals(root.path("status").asText())) {
        return Result.failed("HTTP " + r.statusCode() + ": " + root.path("error").asText(r.body()));
      }
      dir = dataDir.resolve("snapshots").resolve(root.path("data").path("name").asText());
      if (!Files.isDirectory(dir)) {
        return Result.failed("snapshot directory " + dir + " not found");
      }
    } catch (IOException e) {
      return Result.failed(e.toString());
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    try {
      long total = DiskUsage.bytes(dir);
      long index = DiskUsage.bytes(dir, "index");
      long chunks = DiskUsage.bytes(dir, "chunks");
      long[] listed = new long[2];
      String promtoolError = list(promtool, dir, listed);
      return new Result(null, total, index, chunks, listed[0], listed[1], promtoolError, millis);
    } catch (IOException e) {
      return Result.failed(e.toString());
    }
  }

  /** Sums NUM SAMPLES and NUM SERIES over `promtool tsdb list` rows; returns an error or null. */
  static String list(Path promtool, Path dir, long[] samplesAndSeries)
      throws IOException, InterruptedException {
    if (promtool == null || !Files.isExecutable(promtool)) {
      return "promtool not available";
    }
    Process p = new ProcessBuilder(List.of(promtool.toString(), "tsdb", "list", dir.toString()))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      return "promtool tsdb list failed: " + out.strip();
    }
    return parseList(out, samplesAndSeries);
  }

  static String parseList(String out, long[] samplesAndSeries) {
    List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
    if (lines.size() < 2) {
      return "promtool listed no blocks: " + out.strip();
    }
    for (String line : lines.subList(1, lines.size())) {
      // BLOCK ULID, MIN TIME, MAX TIME, DURATION, NUM SAMPLES, NUM CHUNKS, NUM SERIES, SIZE
      String[] f = line.trim().split("\\s+");
      try {
        samplesAndSeries[0] += Long.parseLong(f[4]);
        samplesAndSeries[1] += Long.parseLong(f[6]);
      } catch (RuntimeException e) {
        return "unexpected promtool output: " + line;
      }
    }
    return null;
  }
}
