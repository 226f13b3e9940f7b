package dev.tsdb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.api.params.TimeParams;
import dev.tsdb.labels.Matcher;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.QueryEngine;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.storage.Queryable;
import dev.tsdb.storage.memory.MemStorage;
import io.undertow.Undertow;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API's parameters, answers and calls into the storage operations. */
class AdminApiTest {
  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private Undertow undertow;
  private String base;

  /** Storage operations that write what they were asked into a list (and a snapshot file). */
  final class RecordingOps implements AdminOps {
    final List<String> calls = new ArrayList<>();

    @Override
    public void deleteSeries(long mint, long maxt, List<Matcher> matchers) {
      calls.add("delete " + mint + " " + maxt + " " + matchers);
    }

    @Override
    public void cleanTombstones() {
      calls.add("clean");
    }

    @Override
    public Path snapshotsDir() {
      return dir.resolve("snapshots");
    }

    @Override
    public void snapshot(Path to, boolean withHead) throws IOException {
      calls.add("snapshot head=" + withHead);
      Files.writeString(to.resolve("meta"), "x");
    }
  }

  private void start(boolean enabled, AdminOps ops) {
    QueryEngine none = new QueryEngine() {
      @Override
      public QueryResult instantQuery(Queryable s, String q, long t, QueryOptions o) {
        throw new PromQLException(ErrorType.BAD_DATA, "unused");
      }

      @Override
      public QueryResult rangeQuery(Queryable s, String q, long a, long b, long st,
          QueryOptions o) {
        throw new PromQLException(ErrorType.BAD_DATA, "unused");
      }
    };
    WebHandler web = WebHandler.builder().storage(new MemStorage()).engine(none)
        .selectorParser(s -> {
          if (s.equals("up")) {
            return List.of(Matcher.eq("__name__", "up"));
          }
          throw new PromQLException(ErrorType.BAD_DATA, "1:3: parse error: unexpected end");
        })
        .status(new StatusSource() {
          @Override
          public String configYaml() {
            return "";
          }

          @Override
          public Map<String, String> flags() {
            return Map.of();
          }

          @Override
          public BuildInfo buildInfo() {
            return new BuildInfo("v", "r", "b", "u", "d", "g");
          }

          @Override
          public long startTimeMs() {
            return 0;
          }

          @Override
          public boolean reloadConfigSuccess() {
            return true;
          }

          @Override
          public long lastConfigTimeMs() {
            return 0;
          }

          @Override
          public String storageRetention() {
            return "";
          }
        })
        .enableAdminApi(enabled).adminOps(() -> ops).build();
    web.readiness().markReady();
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(web.handler())
        .build();
    undertow.start();
    base = "http://127.0.0.1:"
        + ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  @AfterEach
  void stop() {
    undertow.stop();
  }

  private HttpResponse<String> post(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void disabledWithoutTheFlag() throws Exception {
    start(false, new RecordingOps());
    HttpResponse<String> r = post("/api/v1/admin/tsdb/snapshot");
    assertEquals(500, r.statusCode());
    assertEquals("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"admin APIs"
        + " disabled\"}", r.body());
  }

  @Test
  void deleteSeriesParsesLikePrometheus() throws Exception {
    RecordingOps ops = new RecordingOps();
    start(true, ops);
    HttpResponse<String> r = post("/api/v1/admin/tsdb/delete_series");
    assertEquals(400, r.statusCode());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no match[]"
        + " parameter provided\"}", r.body());
    r = post("/api/v1/admin/tsdb/delete_series?match[]=up%7B");
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter"
        + " \\\"match[]\\\": 1:3: parse error: unexpected end\"}", r.body());
    r = post("/api/v1/admin/tsdb/delete_series?match[]=up&start=x");
    assertEquals(400, r.statusCode());
    r = post("/api/v1/admin/tsdb/delete_series?match[]=up&end=100");
    assertEquals(204, r.statusCode());
    r = post("/api/v1/admin/tsdb/clean_tombstones");
    assertEquals(204, r.statusCode());
    assertEquals(List.of("delete " + TimeParams.MIN_TIME_MS + " 100000 [__name__=\"up\"]",
        "clean"), ops.calls);
  }

  @Test
  void snapshotCreatesANamedDirectory() throws Exception {
    RecordingOps ops = new RecordingOps();
    start(true, ops);
    HttpResponse<String> r = post("/api/v1/admin/tsdb/snapshot?skip_head=x");
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter"
        + " \\\"skip_head\\\": unable to parse boolean: strconv.ParseBool: parsing \\\"x\\\":"
        + " invalid syntax\"}", r.body());
    r = post("/api/v1/admin/tsdb/snapshot?skip_head=true");
    assertEquals(200, r.statusCode(), r.body());
    String name = r.body().replaceAll(".*\"name\":\"([^\"]+)\".*", "$1");
    assertTrue(name.matches("[0-9]{8}T[0-9]{6}Z-[0-9a-f]{16}"), name);
    assertTrue(Files.exists(dir.resolve("snapshots").resolve(name).resolve("meta")));
    assertEquals(List.of("snapshot head=false"), ops.calls);
  }

  @Test
  void withoutStorageSupportTheAnswerSaysSo() throws Exception {
    start(true, null);
    HttpResponse<String> r = post("/api/v1/admin/tsdb/clean_tombstones");
    assertEquals(500, r.statusCode());
    assertTrue(r.body().contains("not supported by this storage yet"), r.body());
  }
}
