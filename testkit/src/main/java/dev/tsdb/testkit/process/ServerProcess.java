package dev.tsdb.testkit.process;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server binary as a child process listening on a loopback port: started with its output
 * (stdout and stderr) appended to a log file that outlives it, ready once {@code GET /-/ready}
 * answers 200, stopped with SIGTERM and, if that does not end it in time, SIGKILL. The log is in
 * every failure message, so a test that fails to start a server says why.
 */
public class ServerProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;
  private final HttpEndpoint http;
  /** Kills the server if the test JVM exits without closing it (an aborted run). */
  private final Thread orphanGuard;

  /**
   * Starts {@code command} (which must make the server listen on 127.0.0.1:{@code port}) in
   * {@code workDir} and waits until it is ready; {@code name} says which server in messages.
   */
  protected ServerProcess(String name, List<String> command, Path workDir, Path log, int port)
      throws IOException, InterruptedException {
    this(name, command, workDir, log, port, new HttpEndpoint("http://127.0.0.1:" + port));
  }

  /**
   * As above, reached (for readiness too) through {@code http}: for a server that wants TLS or
   * credentials.
   */
  protected ServerProcess(String name, List<String> command, Path workDir, Path log, int port,
      HttpEndpoint http) throws IOException, InterruptedException {
    this.name = name;
    this.port = port;
    this.log = log;
    this.http = http;
    Files.createDirectories(workDir);
    this.process = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    this.orphanGuard = new Thread(process::destroyForcibly, name + " orphan guard");
    Runtime.getRuntime().addShutdownHook(orphanGuard);
    try {
      awaitReady();
    } catch (InterruptedException | RuntimeException | Error e) {
      kill();
      throw e;
    }
  }

  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      try {
        if (http.get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue()
            + " before it was ready; its log " + log + ":\n" + logText());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " not ready after " + READY_TIMEOUT
            + "; its log " + log + ":\n" + logText());
      }
      Thread.sleep(50);
    }
  }

  public final int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT} (https when started behind TLS). */
  public final String base() {
    return http.base();
  }

  public final HttpEndpoint http() {
    return http;
  }

  public final Path log() {
    return log;
  }

  /** Everything the process (and earlier processes sharing the log file) wrote so far. */
  public final String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(log " + log + " unreadable: " + e + ")";
    }
  }

  public final long pid() {
    return process.pid();
  }

  public final boolean isAlive() {
    return process.isAlive();
  }

  public final HttpResponse<String> get(String pathAndQuery)
      throws IOException, InterruptedException {
    return http.get(pathAndQuery);
  }

  public final HttpResponse<String> post(String path) throws IOException, InterruptedException {
    return http.post(path);
  }

  public final HttpResponse<String> postForm(String path, String form)
      throws IOException, InterruptedException {
    return http.postForm(path, form);
  }

  /** Remote write 1.0 of an uncompressed prometheus.WriteRequest. */
  public final HttpResponse<String> write(byte[] writeRequest)
      throws IOException, InterruptedException {
    return http.write(writeRequest);
  }

  /** SIGKILL, as a crash: no shutdown of any kind. */
  public final void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    releaseGuard();
  }

  /**
   * SIGTERM, a clean shutdown; SIGKILL if it takes longer than a minute. Returns the exit code,
   * or -1 if it had to be killed.
   */
  public final int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
      return -1;
    }
    releaseGuard();
    return process.exitValue();
  }

  private void releaseGuard() {
    try {
      Runtime.getRuntime().removeShutdownHook(orphanGuard);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs anyway
    }
  }

  /** {@link #stop()} if still running; interrupted, it kills instead of waiting. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    try {
      stop();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + " at " + base();
  }
}
