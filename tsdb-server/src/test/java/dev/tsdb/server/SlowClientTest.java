package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow or stalled clients cannot hold the server: with --web.read-timeout=1s, connections that
 * stall in their headers or body, trickle their body, or sit idle are closed after about the
 * timeout, while other clients keep being answered; threads and file descriptors return.
 */
class SlowClientTest {
  @TempDir
  static Path dir;
  static TestServer ts;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    ts = new TestServer(dir, "--web.read-timeout=1s");
    port = ts.server.port();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static Socket open(String head) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(15_000);
    s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    return s;
  }

  /** Reads until the server closes the connection; returns the seconds that took. */
  private static double secondsUntilClosed(Socket s, long sinceNanos) throws IOException {
    InputStream in = s.getInputStream();
    try {
      while (in.read() >= 0) {
        // drain whatever the server says before closing
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("connection still open after 15 s", e);
    } catch (IOException e) {
      // reset by the server: closed as well
    }
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  private static void assertAnswering() throws Exception {
    long t0 = System.nanoTime();
    assertEquals(200, ts.http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(ts.base + "/api/v1/query?query=1%2B1"))
        .timeout(java.time.Duration.ofSeconds(20)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "slow answer");
  }

  @Test
  void stalledHeadersAreClosed() throws Exception {
    long t0 = System.nanoTime();
    try (Socket s = open("GET /api/v1/query?query=1 HTTP/1.1\r\nHost: x\r\n")) {
      assertAnswering();
      double secs = secondsUntilClosed(s, t0);
      assertTrue(secs >= 0.5 && secs < 8, "closed after " + secs + " s");
    }
  }

  @Test
  void stalledBodyIsClosed() throws Exception {
    long t0 = System.nanoTime();
    try (Socket s = open("POST /api/v1/query HTTP/1.1\r\nHost: x\r\nContent-Type:"
        + " application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nquery=1%2B")) {
      assertAnswering();
      double secs = secondsUntilClosed(s, t0);
      assertTrue(secs >= 0.5 && secs < 8, "closed after " + secs + " s");
    }
  }

  @Test
  void tricklingBodyIsCutOffAtTheDeadline() throws Exception {
    long t0 = System.nanoTime();
    try (Socket s = open("POST /api/v1/query HTTP/1.1\r\nHost: x\r\nContent-Type:"
        + " application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nquery=")) {
      OutputStream out = s.getOutputStream();
      // One byte every 200 ms never lets the connection go idle.
      boolean cut = false;
      for (int i = 0; i < 60 && !cut; i++) {
        Thread.sleep(200);
        try {
          out.write('1');
          out.flush();
        } catch (IOException e) {
          cut = true;
        }
      }
      double secs = secondsUntilClosed(s, t0);
      assertTrue(secs < 8, "closed after " + secs + " s");
    }
    assertAnswering();
  }

  @Test
  void idleKeepAliveConnectionsAreClosed() throws Exception {
    try (Socket s = open("GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n")) {
      byte[] buf = new byte[4096];
      int n = s.getInputStream().read(buf);
      assertTrue(new String(buf, 0, n, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200"));
      long t0 = System.nanoTime();
      double secs = secondsUntilClosed(s, t0);
      assertTrue(secs >= 0.5 && secs < 8, "closed after " + secs + " s");
    }
  }

  @Test
  void manyStalledClientsDoNotStopTheServerNorLeak() throws Exception {
    round(); // warms up the worker pool to its size
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    long fds = openFds();
    round();
    round();
    Thread.sleep(1500); // let the server close what it still holds
    int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
    long fdsAfter = openFds();
    assertTrue(threadsAfter <= threads + 4, "threads " + threads + " -> " + threadsAfter);
    assertTrue(fdsAfter <= fds + 8, "fds " + fds + " -> " + fdsAfter);
  }

  /** More stalled bodies than worker threads; the server still answers within seconds. */
  private static void round() throws Exception {
    List<Socket> stalled = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < 80; i++) {
        stalled.add(open("POST /api/v1/series HTTP/1.1\r\nHost: x\r\nContent-Type:"
            + " application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\nmatch[]="));
      }
      assertAnswering();
      for (Socket s : stalled) {
        double secs = secondsUntilClosed(s, t0);
        assertTrue(secs < 10, "closed after " + secs + " s");
      }
    } finally {
      for (Socket s : stalled) {
        s.close();
      }
    }
  }

  private static long openFds() throws IOException {
    try (var files = Files.list(Path.of("/proc/self/fd"))) {
      return files.count();
    }
  }
}
