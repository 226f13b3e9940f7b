package dev.tsdb.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus (/usr/bin/prometheus, installed by .ci/run) on a free loopback port with
 * its data in a temp dir, for differential and interoperability tests.
 */
final class ReferencePrometheus implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/prometheus");
  final Process process;
  final String base;
  final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  ReferencePrometheus(Path dir, String configYaml) throws Exception {
    this(dir, configYaml, freePort());
  }

  ReferencePrometheus(Path dir, String configYaml, int port) throws Exception {
    this(dir, configYaml, port, List.of());
  }

  /** With extra command-line flags (e.g. --enable-feature=exemplar-storage). */
  ReferencePrometheus(Path dir, String configYaml, int port, List<String> extraFlags)
      throws Exception {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " is missing: install it with"
          + " `apt-get install prometheus` (.ci/run does)");
    }
    Files.createDirectories(dir);
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, configYaml);
    base = "http://127.0.0.1:" + port;
    log = dir.resolve("prometheus.log");
    List<String> cmd = new java.util.ArrayList<>(List.of(BINARY.toString(),
        "--web.enable-remote-write-receiver", "--storage.tsdb.path=" + dir.resolve("data"),
        "--config.file=" + config, "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"));
    cmd.addAll(extraFlags);
    process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready"))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          break;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException("reference Prometheus did not start: "
            + Files.readString(log));
      }
      Thread.sleep(100);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> postForm(String path, String form)
      throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> write(byte[] protobuf) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
            .header("Content-Type", "application/x-protobuf")
            .header("Content-Encoding", "snappy")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(TestServer.snappy(protobuf))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
