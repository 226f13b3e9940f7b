package dev.tsdb.rules;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A Debian-packaged server (Alertmanager, Prometheus) started on a free loopback port for
 * integration tests, with its output in a log file; killed on close.
 */
final class ExternalServer implements AutoCloseable {
  final int port;
  private final Process process;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private ExternalServer(int port, Process process, Path log) {
    this.port = port;
    this.process = process;
    this.log = log;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts {@code command} (which must listen on {@code port}) and waits for readyPath. */
  static ExternalServer start(List<String> command, int port, Path log, String readyPath)
      throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    ExternalServer s = new ExternalServer(port, p, log);
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(command.get(0) + " exited: " + s.log());
      }
      try {
        if (s.get(readyPath).statusCode() == 200) {
          return s;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    s.close();
    throw new IllegalStateException(command.get(0) + " did not become ready: " + s.log());
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  String log() {
    try {
      return java.nio.file.Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
