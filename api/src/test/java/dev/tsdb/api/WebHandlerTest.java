package dev.tsdb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.QueryEngine;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.index.storage.Queryable;
import dev.tsdb.testkit.MemStorage;
import io.undertow.Undertow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP surface on a real loopback socket: routing, readiness, CORS, gzip, validation. */
class WebHandlerTest {
  private Undertow undertow;
  private String base;
  private WebHandler web;
  private final HttpClient http = HttpClient.newHttpClient();

  /** An engine stand-in for endpoints whose validation fails before any evaluation. */
  private static final QueryEngine NO_ENGINE = new QueryEngine() {
    @Override
    public QueryResult instantQuery(Queryable s, String q, long t, QueryOptions o) {
      throw new PromQLException(ErrorType.BAD_DATA, "1:1: parse error: no expression found in input");
    }

    @Override
    public QueryResult rangeQuery(Queryable s, String q, long a, long b, long st, QueryOptions o) {
      throw new PromQLException(ErrorType.BAD_DATA, "1:1: parse error: no expression found in input");
    }
  };

  @BeforeEach
  void start() {
    StatusSource status =
        new FixedStatus("global: {}\n", Map.of("b.flag", "2", "a.flag", "1"), "15d");
    web = WebHandler.builder().storage(new MemStorage()).engine(NO_ENGINE)
        .selectorParser(s -> {
          throw new PromQLException(ErrorType.BAD_DATA, "1:1: parse error: unexpected");
        })
        .status(status).corsOrigin("https?://allowed\\.example").build();
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

  private HttpResponse<String> send(String method, String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void notReadyUntilMarked() throws Exception {
    assertEquals(200, send("GET", "/-/healthy").statusCode());
    assertEquals("Prometheus Server is Healthy.\n", send("GET", "/-/healthy").body());
    HttpResponse<String> r = send("GET", "/-/ready");
    assertEquals(503, r.statusCode());
    assertEquals("Service Unavailable", r.body());
    assertEquals(503, send("GET", "/api/v1/labels").statusCode());
    assertEquals(503, send("POST", "/api/v1/write").statusCode());
    assertEquals(200, send("GET", "/api/v1/status/walreplay").statusCode());
    assertEquals(200, send("HEAD", "/-/healthy").statusCode());

    web.readiness().markReady();
    r = send("GET", "/-/ready");
    assertEquals(200, r.statusCode());
    assertEquals("Prometheus Server is Ready.\n", r.body());
    assertEquals("{\"status\":\"success\",\"data\":[]}", send("GET", "/api/v1/labels").body());
  }

  @Test
  void metricsUsePrometheusNames() throws Exception {
    web.readiness().markReady();
    send("GET", "/api/v1/labels");
    String m = send("GET", "/metrics").body();
    assertTrue(m.contains("prometheus_http_requests_total{code=\"200\",handler=\"/api/v1/labels\"} 1"),
        m);
    assertTrue(m.contains("prometheus_http_request_duration_seconds_bucket{handler=\"/api/v1/labels\""
        + ",le=\"0.1\"}"), m);
    assertTrue(m.contains("prometheus_build_info{branch=\"b\",goversion=\"g\",revision=\"r\","
        + "version=\"v\"} 1"), m);
    assertTrue(m.contains("prometheus_ready 1"), m);
    assertTrue(m.contains("prometheus_remote_write_receiver_samples_rejected_total{reason="
        + "\"out_of_order\"} 0"), m);
  }

  @Test
  void unknownPathsAndWrongMethods() throws Exception {
    web.readiness().markReady();
    HttpResponse<String> r = send("GET", "/api/v1/nope");
    assertEquals(404, r.statusCode());
    assertEquals("404 page not found\n", r.body());
    r = send("DELETE", "/api/v1/query");
    assertEquals(405, r.statusCode());
    assertEquals("GET, OPTIONS, POST", r.headers().firstValue("Allow").orElse(""));
    assertEquals("Method Not Allowed\n", r.body());
  }

  @Test
  void corsAndPreflight() throws Exception {
    web.readiness().markReady();
    HttpResponse<String> r = send("GET", "/api/v1/labels", "Origin", "http://allowed.example");
    assertEquals("http://allowed.example",
        r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    assertEquals("Date", r.headers().firstValue("Access-Control-Expose-Headers").orElse(""));
    r = send("GET", "/api/v1/labels", "Origin", "http://other.example");
    assertFalse(r.headers().firstValue("Access-Control-Allow-Origin").isPresent());
    assertEquals("GET, POST, OPTIONS",
        r.headers().firstValue("Access-Control-Allow-Methods").orElse(""));
    r = send("OPTIONS", "/api/v1/query", "Origin", "https://allowed.example");
    assertEquals(204, r.statusCode());
    assertEquals("https://allowed.example",
        r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    assertEquals(200, send("GET", "/api/v1/labels").statusCode());
    assertFalse(send("GET", "/api/v1/labels").headers().firstValue("Vary").isPresent());
    assertEquals(204, send("OPTIONS", "/api/v1/anything/else").statusCode());
  }

  @Test
  void gzipWhenAccepted() throws Exception {
    web.readiness().markReady();
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(
            URI.create(base + "/api/v1/status/flags")).header("Accept-Encoding", "gzip").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(""));
    String body = new String(new GZIPInputStream(new ByteArrayInputStream(r.body()))
        .readAllBytes(), StandardCharsets.UTF_8);
    assertEquals("{\"status\":\"success\",\"data\":{\"a.flag\":\"1\",\"b.flag\":\"2\"}}", body);
  }

  @Test
  void queryParameterErrorsVerbatim() throws Exception {
    web.readiness().markReady();
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter"
            + " \\\"time\\\": invalid time value for 'time': cannot parse \\\"x\\\" to a valid"
            + " timestamp\"}", send("GET", "/api/v1/query?query=1&time=x").body());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter"
            + " \\\"query\\\": 1:1: parse error: no expression found in input\"}",
        send("GET", "/api/v1/query").body());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter"
            + " \\\"start\\\": cannot parse \\\"x\\\" to a valid timestamp\"}",
        send("GET", "/api/v1/query_range?query=1&start=x").body());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter"
            + " \\\"end\\\": end timestamp must not be before start time\"}",
        send("GET", "/api/v1/query_range?query=1&start=2&end=1&step=1").body());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter"
            + " \\\"step\\\": zero or negative query resolution step widths are not accepted."
            + " Try a positive integer\"}",
        send("GET", "/api/v1/query_range?query=1&start=1&end=2&step=0").body());
    HttpResponse<String> r = send("GET", "/api/v1/query_range?query=1&start=0&end=100000&step=1");
    assertEquals(400, r.statusCode());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"exceeded maximum"
            + " resolution of 11,000 points per timeseries. Try decreasing the query resolution"
            + " (?step=XX)\"}", r.body());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter"
            + " \\\"step\\\": cannot parse \\\"1e300\\\" to a valid duration. It overflows"
            + " int64\"}", send("GET", "/api/v1/query_range?query=1&start=1&end=2&step=1e300")
        .body());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no match[]"
        + " parameter provided\"}", send("GET", "/api/v1/series").body());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter"
            + " \\\"limit\\\": strconv.Atoi: parsing \\\"x\\\": invalid syntax\"}",
        send("GET", "/api/v1/labels?limit=x").body());
    // Go quotes the input in the message (checked with Prometheus 3.5).
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter"
            + " \\\"limit\\\": strconv.Atoi: parsing \\\"\\\\\\\"x\\\\\\\"\\\": invalid syntax\"}",
        send("GET", "/api/v1/labels?limit=%22x%22").body());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"limit must be a"
        + " number\"}", send("GET", "/api/v1/metadata?limit=x").body());
    assertTrue(send("GET", "/api/v1/label/U__/values").body().contains("invalid label name"));
  }
}
