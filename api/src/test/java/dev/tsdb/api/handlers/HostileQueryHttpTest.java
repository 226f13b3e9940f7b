package dev.tsdb.api.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.api.WebHandler;
import dev.tsdb.index.storage.Queryable;
import dev.tsdb.promql.QueryEngine;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.engine.Engine;
import dev.tsdb.promql.engine.EngineOptions;
import dev.tsdb.testkit.EndlessStorage;
import dev.tsdb.testkit.MemStorage;
import io.undertow.Undertow;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile queries over HTTP: a query decoding an endless range times out with Prometheus's 503,
 * a queued one runs out of its timeout parameter with Prometheus 3.5's 400, and a client that
 * closes its socket mid-query stops the query and frees its slot.
 */
class HostileQueryHttpTest {
  private static final String SLOW = "count_over_time(m[10y])";
  private static final String AT = Long.toString(10L * 365 * 86_400);
  /** Generous for CI. */
  private static final long ANSWER_WITHIN_MS = 5_000;

  private Undertow undertow;
  private int port;
  private final AtomicInteger running = new AtomicInteger();
  private final EndlessStorage endless = new EndlessStorage(true);
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    Engine engine = new Engine(EngineOptions.DEFAULT.withMaxConcurrency(1)
        .withTimeoutMs(60_000).withMaxSamples(Long.MAX_VALUE));
    // Every query reads the endless series; running counts queries still holding a thread.
    QueryEngine counting = new QueryEngine() {
      @Override
      public QueryResult instantQuery(Queryable s, String q, long t, QueryOptions o) {
        running.incrementAndGet();
        try {
          return engine.instantQuery(endless, q, t, o);
        } finally {
          running.decrementAndGet();
        }
      }

      @Override
      public QueryResult rangeQuery(Queryable s, String q, long a, long b, long st,
          QueryOptions o) {
        return engine.rangeQuery(endless, q, a, b, st, o);
      }
    };
    WebHandler web = WebHandler.builder().storage(new MemStorage()).engine(counting)
        .selectorParser(sel -> List.of())
        .status(new dev.tsdb.api.FixedStatus("global: {}\n", java.util.Map.of(), "15d"))
        .build();
    web.readiness().markReady();
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(web.handler())
        .build();
    undertow.start();
    port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  @AfterEach
  void stop() {
    undertow.stop();
  }

  private String path(String query, String timeout) {
    return "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time="
        + AT + (timeout == null ? "" : "&timeout=" + timeout);
  }

  private HttpResponse<String> get(String query, String timeout) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + path(query, timeout))).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void slowQueryTimesOutWith503InAboutItsTimeout() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r = get(SLOW, "500ms");
    long tookMs = (System.nanoTime() - t0) / 1_000_000L;
    assertEquals(503, r.statusCode(), r.body());
    assertEquals("{\"status\":\"error\",\"errorType\":\"timeout\","
        + "\"error\":\"query timed out in expression evaluation\"}", r.body());
    assertTrue(tookMs < ANSWER_WITHIN_MS, "answered after " + tookMs + " ms");
    assertEquals(0, running.get());
  }

  @Test
  void queuedQueryRunningOutOfItsTimeoutIs400AsPrometheus35() throws Exception {
    CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path(SLOW, "2s"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(endless.reading.await(5, TimeUnit.SECONDS));
    HttpResponse<String> r = get("m", "300ms");
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
        + "\"invalid parameter \\\"query\\\": context deadline exceeded\"}", r.body());
    HttpResponse<String> first = slow.get(10, TimeUnit.SECONDS);
    assertEquals(503, first.statusCode(), first.body());
  }

  @Test
  void clientClosingItsSocketStopsTheQueryAndFreesTheSlot() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path(SLOW, null) + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertTrue(endless.reading.await(5, TimeUnit.SECONDS));
      assertEquals(1, running.get());
    }
    long t0 = System.nanoTime();
    while (running.get() > 0) {
      assertTrue((System.nanoTime() - t0) / 1_000_000L < ANSWER_WITHIN_MS,
          "query still running after its client left");
      Thread.sleep(20);
    }
    // The only slot is free: a query with a short timeout parameter runs at once.
    HttpResponse<String> r = get("vector(1)", "2s");
    assertEquals(200, r.statusCode(), r.body());
  }
}
