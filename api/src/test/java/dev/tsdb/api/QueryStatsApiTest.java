package dev.tsdb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tsdb.index.storage.Queryable;
import dev.tsdb.promql.QueryEngine;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.QueryStats;
import dev.tsdb.promql.value.Matrix;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.testkit.MemStorage;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code stats} parameter of /api/v1/query and query_range: any non-empty value adds
 * {@code data.stats} after the result, keys in Prometheus 3.5.3's order and floats written as
 * it writes them (compared with its answers to the same requests).
 */
class QueryStatsApiTest {
  static final QueryStats STATS = new QueryStats(new QueryStats.Timings(0.00002698, 7.92e-07,
      0.000009875, 0.000011868, 0.000095912, 0), 5, 6);
  static final QueryEngine FIXED = new QueryEngine() {
    @Override
    public QueryResult instantQuery(Queryable s, String q, long t, QueryOptions o) {
      return new QueryResult(new Vector(List.of()), List.of(), List.of(), STATS);
    }

    @Override
    public QueryResult rangeQuery(Queryable s, String q, long a, long b, long st, QueryOptions o) {
      return new QueryResult(new Matrix(List.of()), List.of(), List.of(), STATS);
    }
  };
  static final String STATS_JSON = "\"stats\":{\"timings\":{\"evalTotalTime\":0.00002698,"
      + "\"resultSortTime\":7.92e-07,\"queryPreparationTime\":0.000009875,"
      + "\"innerEvalTime\":0.000011868,\"execQueueTime\":0.000095912,\"execTotalTime\":0},"
      + "\"samples\":{\"totalQueryableSamples\":5,\"peakSamples\":6}}";

  WebHandler web;
  Undertow undertow;
  String base;

  @BeforeEach
  void start() {
    web = WebHandler.builder().storage(new MemStorage()).engine(FIXED).selectorParser(s -> {
      throw new UnsupportedOperationException();
    }).status(new FixedStatus("global: {}\n", java.util.Map.of(), "15d")).build();
    web.readiness().markReady();
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(web.handler())
        .build();
    undertow.start();
    int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    base = "http://127.0.0.1:" + port;
  }

  @AfterEach
  void stop() {
    undertow.stop();
  }

  private String get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void statsAfterTheResultForAnyNonEmptyValue() throws Exception {
    assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[],"
        + STATS_JSON + "}}", get("/api/v1/query?query=up&stats=all"));
    assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[],"
        + STATS_JSON + "}}", get("/api/v1/query_range?query=up&start=0&end=10&step=1&stats=1"));
  }

  @Test
  void noStatsWithoutTheParameterOrWithAnEmptyOne() throws Exception {
    String plain = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
    assertEquals(plain, get("/api/v1/query?query=up"));
    assertEquals(plain, get("/api/v1/query?query=up&stats="));
  }
}
