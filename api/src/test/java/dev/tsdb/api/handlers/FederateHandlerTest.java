package dev.tsdb.api.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tsdb.api.FixedStatus;
import dev.tsdb.api.WebHandler;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.promql.parser.Parser;
import dev.tsdb.testkit.MemStorage;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * /federate reads each matched series' newest sample, so it must select with plain range hints
 * (as Prometheus's federate handler): the "series" hint lets a storage (our blocks, and
 * MemStorage like them) answer labels without samples, and a sample held only in a block would be
 * missed.
 */
class FederateHandlerTest {
  static final long NOW = 1_700_000_000_000L;
  Undertow undertow;

  @AfterEach
  void stop() {
    if (undertow != null) {
      undertow.stop();
    }
  }

  @Test
  void newestSampleOfEachMatchedSeries() throws Exception {
    MemStorage storage = new MemStorage();
    Appender app = storage.appender();
    Labels a = Labels.of("__name__", "fed_total", "job", "a");
    app.append(0, a, NOW - 60_000, 1);
    app.append(0, a, NOW - 30_000, 2);
    app.append(0, Labels.of("__name__", "fed_total", "job", "b"), NOW - 20_000, 7);
    app.commit();
    WebHandler web = WebHandler.builder().storage(storage).engine(new dev.tsdb.promql.engine.Engine(
            dev.tsdb.promql.engine.EngineOptions.DEFAULT, Parser::parseExpr))
        .selectorParser(Parser::parseMetricSelector)
        .status(FixedStatus.minimal()).clock(() -> NOW).build();
    web.readiness().markReady();
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(web.handler()).build();
    undertow.start();
    int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + port + "/federate?match%5B%5D=fed_total")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals("# TYPE fed_total untyped\n"
        + "fed_total{job=\"a\",instance=\"\"} 2 " + (NOW - 30_000) + "\n"
        + "fed_total{job=\"b\",instance=\"\"} 7 " + (NOW - 20_000) + "\n", r.body());
  }
}
