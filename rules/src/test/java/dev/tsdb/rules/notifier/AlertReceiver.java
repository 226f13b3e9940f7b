package dev.tsdb.rules.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A loopback HTTP(S) endpoint standing in for an Alertmanager's POST /api/v2/alerts: records
 * every request body and Authorization header, answers with a configurable status, and can be
 * held (to fill queues) until released.
 */
final class AlertReceiver implements AutoCloseable {
  /** {@code custom}: the values of the X-Custom header (for http_headers). */
  record Request(String path, String authorization, JsonNode body, List<String> custom) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  volatile int status = 200;
  volatile CountDownLatch hold;
  private final HttpServer server;

  AlertReceiver() throws IOException {
    this((HttpsConfigurator) null);
  }

  AlertReceiver(SSLContext tls) throws IOException {
    this(tls == null ? null : new HttpsConfigurator(tls));
  }

  AlertReceiver(HttpsConfigurator tls) throws IOException {
    InetSocketAddress addr = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls != null) {
      HttpsServer s = HttpsServer.create(addr, 0);
      s.setHttpsConfigurator(tls);
      server = s;
    } else {
      server = HttpServer.create(addr, 0);
    }
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      CountDownLatch h = hold;
      if (h != null) {
        h.await(20, TimeUnit.SECONDS);
      }
      byte[] body = ex.getRequestBody().readAllBytes();
      requests.add(new Request(ex.getRequestURI().getPath(),
          ex.getRequestHeaders().getFirst("Authorization"), JSON.readTree(body),
          ex.getRequestHeaders().getOrDefault("X-Custom", List.of())));
      ex.sendResponseHeaders(status, -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ex.close();
    }
  }

  int alertCount() {
    synchronized (requests) {
      return requests.stream().mapToInt(r -> r.body().size()).sum();
    }
  }

  void awaitAlerts(int n, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (alertCount() < n && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
