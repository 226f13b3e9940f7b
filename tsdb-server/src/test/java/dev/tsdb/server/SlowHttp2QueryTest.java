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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries over HTTP/2 (TLS with http2 on, as Grafana talks to a secured server): a slow POSTed
 * query is answered, not canceled, and a client that dies mid-query (curl killed: its connection
 * closes) frees the only query slot long before the query would have ended.
 */
class SlowHttp2QueryTest {
  /**
   * 24 times 1.7 M subquery steps, one after the other: seconds even once compiled (a query the
   * engine could answer from one step, like count_over_time(vector(1)[..]), would not do).
   */
  private static final String SLOW_FORM = "query=" + TestServer.enc(String.join(" + ",
      java.util.Collections.nCopies(24, "sum_over_time(vector(time())[20d:1s])")))
      + "&time=1700000000";

  @TempDir
  Path dir;

  @Test
  void slowQueryAnsweredAndCanceledWhenTheConnectionCloses() throws Exception {
    Path pkiDir = Files.createDirectories(dir.resolve("pki"));
    TestPkiAccess.Material pki = TestPkiAccess.write(pkiDir);
    Path web = pkiDir.resolve("web.yml");
    Files.writeString(web, "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
        + "http_server_config:\n  http2: true\n");
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
        .sslContext(TestPkiAccess.clientContext(pki, false)).build();
    try (TestServer ts = new TestServer(dir.resolve("srv"), "--web.config.file=" + web,
        "--query.max-concurrency=1")) {
      String base = "https://127.0.0.1:" + ts.server.port();
      long start = System.nanoTime();
      HttpResponse<String> r = post(h2, base, SLOW_FORM);
      long slowMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(HttpClient.Version.HTTP_2, r.version());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"success\""), r.body());

      Process curl = new ProcessBuilder("curl", "-sk", "--http2", "-o", "/dev/null",
          "--data", SLOW_FORM, base + "/api/v1/query").redirectErrorStream(true).start();
      Thread.sleep(500);
      curl.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      start = System.nanoTime();
      r = post(h2, base, "query=1");
      long nextMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(nextMs < slowMs / 2, "waited " + nextMs + " ms; the query takes "
          + slowMs + " ms");
    }
  }

  private static HttpResponse<String> post(HttpClient client, String base, String form)
      throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
