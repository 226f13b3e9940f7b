package dev.tsdb.server;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar ({@code target/tsdb-server.jar}) as a child process on a free loopback port,
 * for tests that kill it: stderr goes to a file that survives the process (appended across
 * restarts), so its logs can be asserted on afterwards.
 */
final class JarServer implements AutoCloseable {
  static final Path JAR = Path.of("target", "tsdb-server.jar");

  final Process process;
  final String base;
  final Path stderr;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private JarServer(Process process, String base, Path stderr) {
    this.process = process;
    this.base = base;
    this.stderr = stderr;
  }

  /**
   * Starts the jar on {@code dataDir}, logging to {@code stderr} (its directory is the working
   * directory), and waits until /-/ready answers 200.
   */
  static JarServer start(Path dataDir, Path stderr, String... flags) throws Exception {
    int port = ReferencePrometheus.freePort();
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-jar", JAR.toAbsolutePath().toString(), "--web.listen-address=127.0.0.1:" + port,
        "--storage.tsdb.path=" + dataDir.toAbsolutePath()));
    cmd.addAll(List.of(flags));
    // Runs in the directory of the stderr file: a prometheus.yml there is the config (optional).
    Process p = new ProcessBuilder(cmd).directory(stderr.toAbsolutePath().getParent().toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
        .start();
    JarServer s = new JarServer(p, "http://127.0.0.1:" + port, stderr);
    try {
      s.awaitReady(Duration.ofSeconds(90));
    } catch (Exception | AssertionError e) {
      s.kill();
      throw e;
    }
    return s;
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited with " + process.exitValue() + ":\n"
            + stderrText());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("server not ready after " + timeout + ":\n"
            + stderrText());
      }
      Thread.sleep(50);
    }
  }

  String stderrText() throws IOException {
    return Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
  }

  HttpResponse<String> write(byte[] protobuf) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-protobuf")
            .header("Content-Encoding", "snappy")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(TestServer.snappy(protobuf))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** SIGKILL: no shutdown hook, no WAL sync, the lock file stays behind. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: a clean shutdown; returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      return -1;
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
