package dev.tsdb.api.importer;

import dev.tsdb.api.SelectorParser;
import dev.tsdb.api.export.ExportHandler;
import dev.tsdb.api.export.ExpositionLines;
import dev.tsdb.api.export.JsonLines;
import dev.tsdb.api.http.Router;
import dev.tsdb.index.storage.Storage;
import dev.tsdb.promql.parser.Parser;
import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** The four import and export endpoints over one storage on a loopback port, for tests. */
final class ImportExportHttp implements AutoCloseable {
  static final SelectorParser PARSER = Parser::parseMetricSelector;
  final HttpClient http = HttpClient.newHttpClient();
  private final Undertow undertow;
  final String base;

  ImportExportHttp(Storage storage, long now) {
    Map<String, Router.RouteHandler> routes = Map.of(
        "/api/v1/export", new ExportHandler(storage, PARSER, () -> now, new JsonLines()),
        "/api/v1/export/prometheus",
        new ExportHandler(storage, PARSER, () -> now, new ExpositionLines()),
        "/api/v1/import", new ImportHandler(storage, ImportHandler.Format.JSON_LINES, 1 << 20,
            () -> now),
        "/api/v1/import/prometheus", new ImportHandler(storage, ImportHandler.Format.EXPOSITION,
            1 << 20, () -> now));
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1")
        .setHandler(new BlockingHandler(ex -> {
          Router.RouteHandler h = routes.get(ex.getRelativePath());
          if (h == null) {
            ex.setStatusCode(404);
            ex.endExchange();
            return;
          }
          h.handle(ex, Map.of());
        })).build();
    undertow.start();
    int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    base = "http://127.0.0.1:" + port;
  }

  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String pathAndQuery, byte[] body, String contentType,
      String encoding) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    undertow.stop();
  }
}
