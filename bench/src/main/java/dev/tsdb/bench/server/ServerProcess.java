package dev.tsdb.bench.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server under test, run as a child process on a free loopback port with its data in a fresh
 * directory; ready once /-/ready answers 200. Both our server and Prometheus are driven only over
 * their HTTP APIs, so the same client code measures both.
 */
public abstract class ServerProcess implements AutoCloseable {
  private final String name;
  protected final Path dir;
  protected final int port;
  private Process process;
  private Path log;
  private int starts;

  protected ServerProcess(String name, Path dir) throws IOException {
    this.name = name;
    this.dir = dir;
    this.port = freePort();
  }

  /** The command line that starts the server. */
  protected abstract List<String> command() throws IOException;

  /** Flags and settings worth printing in the report. */
  public abstract String describe();

  public String name() {
    return name;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public Path dataDir() {
    return dir.resolve("data");
  }

  public Path logFile() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  public ProcStats stats() throws IOException {
    return ProcStats.of(pid());
  }

  /**
   * Starts the process (again, after {@link #kill} or {@link #stop}: same directory and port)
   * and waits until it is ready. Every start logs to its own file.
   *
   * @return nanoseconds from launching the process to /-/ready answering 200
   */
  public long start(Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.yml"), "global:\n  scrape_interval: 15s\n");
    starts++;
    log = dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_")
        + (starts == 1 ? "" : "-start" + starts) + ".log");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/-/ready"))
        .timeout(Duration.ofSeconds(2)).build();
    long launched = System.nanoTime();
    process = new ProcessBuilder(command()).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    long deadline = launched + timeout.toNanos();
    while (true) {
      try {
        HttpResponse<Void> r = http.send(ready, HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return System.nanoTime() - launched;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        close();
        throw new IOException(name + " did not become ready; log " + log + ":\n"
            + tail(log, 2000));
      }
      // Short polls: start-to-ready is a reported figure, measured to about this resolution.
      Thread.sleep(READY_POLL_MILLIS);
    }
  }

  /** SIGKILL, as a crash or the OOM killer would end the server; waits until it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * SIGTERM, then waits for the process to exit on its own (SIGKILL only after {@code timeout}).
   *
   * @return nanoseconds from the signal to the exit
   */
  public long stop(Duration timeout) throws IOException, InterruptedException {
    long signalled = System.nanoTime();
    process.destroy();
    if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      process.destroyForcibly();
      process.waitFor();
      throw new IOException(name + " did not stop within " + timeout + " of SIGTERM");
    }
    return System.nanoTime() - signalled;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Last {@code chars} characters of a log, for error messages. */
  public static String tail(Path file, int chars) {
    try {
      String s = Files.readString(file);
      return s.length() > chars ? s.substring(s.length() - chars) : s;
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private static final long READY_POLL_MILLIS = 20;

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** SIGTERM, then SIGKILL if it has not stopped within 30 s. */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
