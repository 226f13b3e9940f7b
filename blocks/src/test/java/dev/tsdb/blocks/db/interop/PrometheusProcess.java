package dev.tsdb.blocks.db.interop;

import com.google.protobuf.CodedOutputStream;
import dev.tsdb.index.labels.Labels;
import io.airlift.compress.snappy.SnappyCompressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Debian's Prometheus 2.42 on a free loopback port, fed by remote write, for interop tests. */
final class PrometheusProcess implements AutoCloseable {
  static final String BINARY = Files.isExecutable(Path.of("/usr/bin/prometheus"))
      ? "/usr/bin/prometheus" : "prometheus";
  static final String PROMTOOL = Files.isExecutable(Path.of("/usr/bin/promtool"))
      ? "/usr/bin/promtool" : "promtool";

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static PrometheusProcess start(Path work, Path data) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = work.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1h\nscrape_configs: []\n");
    Path log = work.resolve("prometheus.log");
    List<String> cmd = List.of(BINARY, "--storage.tsdb.path=" + data,
        "--config.file=" + config, "--web.listen-address=127.0.0.1:" + port,
        "--web.enable-remote-write-receiver");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    PrometheusProcess pp = new PrometheusProcess(p, port, log);
    pp.waitReady();
    return pp;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  private void waitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("prometheus exited: " + log());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("prometheus not ready: " + log());
  }

  /** Remote-writes the samples (labels sorted; per series in time order) in one request. */
  void remoteWrite(Map<Labels, TreeMap<Long, Double>> series) throws Exception {
    byte[] body = writeRequest(series);
    SnappyCompressor c = new SnappyCompressor();
    byte[] out = new byte[c.maxCompressedLength(body.length)];
    int n = c.compress(body, 0, body.length, out, 0, out.length);
    HttpRequest req = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/v1/write"))
        .header("Content-Type", "application/x-protobuf")
        .header("Content-Encoding", "snappy")
        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(java.util.Arrays.copyOf(out, n))).build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new AssertionError("remote write: HTTP " + r.statusCode() + " " + r.body());
    }
  }

  /**
   * prometheus.WriteRequest: repeated TimeSeries timeseries = 1; TimeSeries: repeated Label
   * labels = 1 (name = 1, value = 2), repeated Sample samples = 2 (double value = 1, int64
   * timestamp = 2).
   */
  static byte[] writeRequest(Map<Labels, TreeMap<Long, Double>> series) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bos);
    for (Map.Entry<Labels, TreeMap<Long, Double>> e : series.entrySet()) {
      ByteArrayOutputStream tsBytes = new ByteArrayOutputStream();
      CodedOutputStream ts = CodedOutputStream.newInstance(tsBytes);
      for (int i = 0; i < e.getKey().size(); i++) {
        ByteArrayOutputStream lb = new ByteArrayOutputStream();
        CodedOutputStream l = CodedOutputStream.newInstance(lb);
        l.writeString(1, e.getKey().name(i));
        l.writeString(2, e.getKey().value(i));
        l.flush();
        ts.writeByteArray(1, lb.toByteArray());
      }
      for (Map.Entry<Long, Double> s : e.getValue().entrySet()) {
        ByteArrayOutputStream sb = new ByteArrayOutputStream();
        CodedOutputStream so = CodedOutputStream.newInstance(sb);
        so.writeDouble(1, s.getValue());
        so.writeInt64(2, s.getKey());
        so.flush();
        ts.writeByteArray(2, sb.toByteArray());
      }
      ts.flush();
      out.writeByteArray(1, tsBytes.toByteArray());
    }
    out.flush();
    return bos.toByteArray();
  }

  /** SIGTERM and wait for a clean shutdown. */
  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  /** Runs promtool; returns stdout, failing on a non-zero exit. */
  static String promtool(Path workDir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(PROMTOOL);
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(workDir, "promtool", ".out");
    Path err = Files.createTempFile(workDir, "promtool", ".err");
    Process p = new ProcessBuilder(cmd).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool timed out: " + cmd);
    }
    String o = Files.readString(out, StandardCharsets.UTF_8);
    String e = Files.readString(err, StandardCharsets.UTF_8);
    Files.delete(out);
    Files.delete(err);
    if (p.exitValue() != 0) {
      throw new AssertionError("promtool exited " + p.exitValue() + ": " + e + "\n" + o);
    }
    return o;
  }
}
