package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POSTed queries (a form body, as Grafana sends them) and the disconnect watch: a query that
 * runs for longer than the watch's probe interval is answered, not canceled (once the body has
 * been read, the body's end is not the client's); a client that goes away mid-query frees the
 * only query slot long before the query would have ended.
 */
class SlowPostQueryTest {
  /** Millions of subquery steps: seconds of evaluation, many 100 ms probes. */
  private static final String SLOW_FORM = "query="
      + TestServer.enc("count_over_time(vector(1)[20d:1s])") + "&time=1700000000";

  @TempDir
  Path dir;

  @Test
  void postedSlowQueryIsAnsweredAndCanceledWhenItsClientLeaves() throws Exception {
    try (TestServer ts = new TestServer(dir, "--query.max-concurrency=1")) {
      long start = System.nanoTime();
      HttpResponse<String> r = ts.postForm("/api/v1/query", SLOW_FORM);
      long slowMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"1728000\""), r.body());

      // The same query from a client that hangs up once it is running.
      try (Socket s = new Socket("127.0.0.1", ts.server.port())) {
        OutputStream out = s.getOutputStream();
        out.write(("POST /api/v1/query HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
            + SLOW_FORM.length() + "\r\n\r\n" + SLOW_FORM).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(300);
      }
      // With one query slot, this waits for the abandoned query unless it was canceled.
      start = System.nanoTime();
      r = ts.postForm("/api/v1/query", "query=1");
      long nextMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(nextMs < slowMs / 2 + 300, "waited " + nextMs + " ms; the query takes "
          + slowMs + " ms");
    }
  }
}
