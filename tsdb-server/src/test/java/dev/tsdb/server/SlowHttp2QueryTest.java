package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.server.web.TestPkiAccess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries over HTTP/2 (TLS, as Grafana talks to a secured server): a slow POSTed query is
 * answered, not canceled; a client that dies mid-query (curl killed: its connection closes) or
 * cancels its request on a connection that stays open (a stream reset, as Go's client does when
 * Grafana cancels a panel's query) stops the query: the engine's in-flight gauge drops to 0 long
 * before the query would have ended, and the only query slot is free again.
 */
class SlowHttp2QueryTest {
  /**
   * 24 times 1.7 M subquery steps, one after the other: seconds even once compiled (a query the
   * engine can answer from one step, like count_over_time(vector(1)[..]), would not do).
   */
  private static final String SLOW_FORM = "query=" + TestServer.enc(String.join(" + ",
      Collections.nCopies(24, "sum_over_time(vector(time())[20d:1s])"))) + "&time=1700000000";

  @TempDir
  Path dir;

  @Test
  void connectionClosedMidQuery() throws Exception {
    try (Secured s = new Secured(dir)) {
      long slowMs = s.timeSlowQuery();
      Process curl = new ProcessBuilder("curl", "-sk", "--http2", "-o", "/dev/null",
          "--data", SLOW_FORM, s.base + "/api/v1/query").redirectErrorStream(true).start();
      s.awaitRunning();
      curl.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      s.assertStoppedWithin(slowMs / 2);
    }
  }

  @Test
  void streamResetMidQuery() throws Exception {
    try (Secured s = new Secured(dir)) {
      long slowMs = s.timeSlowQuery();
      var pending = s.h2.sendAsync(s.form(SLOW_FORM), HttpResponse.BodyHandlers.ofString());
      s.awaitRunning();
      pending.cancel(true);
      s.assertStoppedWithin(slowMs / 2);
    }
  }

  /** Our server behind a TLS web config (HTTP/2 by ALPN) with one query slot. */
  private static final class Secured implements AutoCloseable {
    final TestServer ts;
    final HttpClient h2;
    final String base;

    Secured(Path dir) throws Exception {
      Path pkiDir = Files.createDirectories(dir.resolve("pki"));
      TestPkiAccess.Material pki = TestPkiAccess.write(pkiDir);
      Path web = pkiDir.resolve("web.yml");
      Files.writeString(web, "tls_server_config:\n  cert_file: server.crt\n"
          + "  key_file: server.key\nhttp_server_config:\n  http2: true\n");
      h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
          .sslContext(TestPkiAccess.clientContext(pki, false)).build();
      ts = new TestServer(dir.resolve("srv"), "--web.config.file=" + web,
          "--query.max-concurrency=1");
      base = "https://127.0.0.1:" + ts.server.port();
    }

    HttpRequest form(String body) {
      return HttpRequest.newBuilder(URI.create(base + "/api/v1/query"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The slow query answered over HTTP/2 (the second run: the first compiles the path). */
    long timeSlowQuery() throws Exception {
      h2.send(form(SLOW_FORM), HttpResponse.BodyHandlers.ofString());
      long start = System.nanoTime();
      HttpResponse<String> r = h2.send(form(SLOW_FORM), HttpResponse.BodyHandlers.ofString());
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(HttpClient.Version.HTTP_2, r.version());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"success\""), r.body());
      return ms;
    }

    double inFlight() throws Exception {
      String metrics = h2.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      return metrics.lines().filter(l -> l.startsWith("prometheus_engine_queries "))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
          .findFirst().orElseThrow();
    }

    void awaitRunning() throws Exception {
      long deadline = System.currentTimeMillis() + 10_000;
      while (inFlight() < 1) {
        assertTrue(System.currentTimeMillis() < deadline, "the query never started");
        Thread.sleep(20);
      }
    }

    void assertStoppedWithin(long ms) throws Exception {
      long start = System.nanoTime();
      while (inFlight() > 0) {
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited < ms, "still running after " + waited + " ms");
        Thread.sleep(20);
      }
      HttpResponse<String> r = h2.send(form("query=1"), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
    }

    @Override
    public void close() {
      ts.close();
    }
  }
}
