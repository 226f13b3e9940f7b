package dev.tsdb.server;

import dev.tsdb.api.Readiness;
import dev.tsdb.api.http.Router;
import dev.tsdb.api.ui.WebUi;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;

/**
 * Our web UI in front of another server: the UI's pages and assets served as our server serves
 * them, every /api/ request forwarded to {@code upstream} (a Prometheus), so that the UI can be
 * tried against Prometheus's own API.
 */
final class UiProxy implements AutoCloseable {
  private final Undertow undertow;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String upstream;
  final String base;

  UiProxy(String upstream, String pageTitle) {
    this.upstream = upstream;
    Readiness ready = new Readiness();
    ready.markReady();
    Router router = new Router(ready);
    new WebUi("", pageTitle).register(router);
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(ex -> {
      if (ex.getRelativePath().startsWith("/api/")) {
        ex.dispatch(() -> forward(ex));
      } else {
        router.handleRequest(ex);
      }
    }).build();
    undertow.start();
    int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    base = "http://127.0.0.1:" + port;
  }

  /** GETs only: all the UI sends. */
  private void forward(HttpServerExchange ex) {
    try {
      String q = ex.getQueryString();
      URI uri = URI.create(upstream + ex.getRequestPath() + (q.isEmpty() ? "" : "?" + q));
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      ex.setStatusCode(r.statusCode());
      r.headers().firstValue("Content-Type").ifPresent(
          t -> ex.getResponseHeaders().put(new HttpString("Content-Type"), t));
      ex.getResponseSender().send(ByteBuffer.wrap(r.body()));
    } catch (Exception e) {
      ex.setStatusCode(502);
      ex.getResponseSender().send("upstream: " + e);
    }
  }

  @Override
  public void close() {
    undertow.stop();
  }
}
