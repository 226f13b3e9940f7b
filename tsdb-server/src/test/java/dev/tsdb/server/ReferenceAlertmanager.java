package dev.tsdb.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Alertmanager (/usr/bin/prometheus-alertmanager, installed by .ci/run) on a free
 * loopback port, clustering off, data in a temp dir, routing everything to a receiver that does
 * nothing: a real v2 API to send alerts to and read them back from.
 */
final class ReferenceAlertmanager implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
  final Process process;
  final String base;
  final int port;
  final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  ReferenceAlertmanager(Path dir) throws Exception {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " is missing: install it with"
          + " `apt-get install prometheus-alertmanager` (.ci/run does)");
    }
    Files.createDirectories(dir);
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(config, "route:\n  receiver: blackhole\n  group_wait: 0s\n"
        + "receivers:\n  - name: blackhole\n");
    port = ReferencePrometheus.freePort();
    base = "http://127.0.0.1:" + port;
    log = dir.resolve("alertmanager.log");
    process = new ProcessBuilder(List.of(BINARY.toString(),
        "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
        "--cluster.listen-address=", "--config.file=" + config, "--log.level=warn"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        if (get("/-/ready").statusCode() == 200) {
          break;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException("Alertmanager did not start: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).build(),
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
