package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input answered as Prometheus 3.5 answers it: every parameter error with the same
 * status, errorType and message, unknown paths 404, wrong methods 405 (status and body compared
 * byte for byte).
 */
class ApiErrorsIT {
  @TempDir
  static Path dir;
  static TestServer ours;
  static Prometheus prom;

  @BeforeAll
  static void start() throws Exception {
    ours = new TestServer(dir.resolve("tsdb"));
    prom = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("prom")).start();
  }

  @AfterAll
  static void stop() {
    if (prom != null) {
      prom.close();
    }
    if (ours != null) {
      ours.close();
    }
  }

  static final String[] BAD_GETS = {
      "/api/v1/query",
      "/api/v1/query?query=",
      "/api/v1/query?query=up&timeout=abc",
      "/api/v1/query?query=up&timeout=-1s",
      "/api/v1/query?query=up&time=1e400",
      "/api/v1/query?query=up&time=NaN",
      "/api/v1/query?query=up&time=2023-13-01T00:00:00Z",
      "/api/v1/query?query=up{",
      "/api/v1/query?query=sum(",
      "/api/v1/query?query=rate(up[5x])",
      "/api/v1/query_range?query=up&start=1&end=2&step=abc",
      "/api/v1/query_range?query=up&start=1&end=2&step=1e400",
      "/api/v1/query_range?query=up&start=1&end=2&step=1&timeout=1x",
      "/api/v1/query_range?query=up&start=1&end=x&step=1",
      "/api/v1/query_range?query=up&end=2&step=1",
      "/api/v1/query_range?query=up[5m]&start=1&end=2&step=1",
      "/api/v1/series?match[]=up&start=abc",
      "/api/v1/series?match[]=up&end=abc",
      "/api/v1/series?match[]=up&start=10&end=5",
      "/api/v1/series?match[]={}",
      "/api/v1/series?match[]=up{",
      "/api/v1/labels?match[]=bad{",
      "/api/v1/labels?start=abc",
      "/api/v1/labels?start=10&end=5",
      "/api/v1/label/1bad/values",
      "/api/v1/label/job/values?match[]=x{",
      "/api/v1/label/job/values?start=x",
      "/api/v1/label/job/values?end=x",
      "/api/v1/query_exemplars?query=up&start=abc",
      "/api/v1/query_exemplars?query=up{",
      "/api/v1/query_exemplars?query=up&start=10&end=5",
      "/api/v1/nonexistent",
      "/api/v2/query",
      "/api/v1/label/job",
      "/api/v1/label//values",
      "/api/v1/status/nope",
      "/federate?match[]=x{",
      "/federate",
      "/nonexistent",
  };

  static final String[][] BAD_METHODS = {
      {"DELETE", "/api/v1/query"},
      {"PATCH", "/api/v1/query_range"},
      {"POST", "/api/v1/label/job/values"},
      {"GET", "/api/v1/write"},
      {"GET", "/api/v1/read"},
      {"PUT", "/api/v1/read"},
      {"POST", "/api/v1/status/buildinfo"},
      {"POST", "/api/v1/metadata"},
      {"DELETE", "/federate"},
  };

  private static String badData(String msg) {
    return "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"" + msg + "\"}";
  }

  /** Where we answer differently from Prometheus 3.5, with our expected status and body. */
  static final java.util.Map<String, String> EXPECTED_DIFFERENCES = java.util.Map.of(
      // On purpose: Prometheus turns NaN seconds into a time through Go's platform-dependent
      // float-to-int conversion (amd64: the minimum int64); we refuse it as unparseable.
      "/api/v1/query?query=up&time=NaN", "400 " + badData("invalid parameter \\\"time\\\":"
          + " invalid time value for 'time': cannot parse \\\"NaN\\\" to a valid timestamp"));

  @Test
  void parameterErrorsAndUnknownPathsMatchPrometheus() throws Exception {
    List<String> mismatches = new ArrayList<>();
    for (String q : BAD_GETS) {
      compare("GET", q, mismatches);
    }
    for (String[] m : BAD_METHODS) {
      compare(m[0], m[1], mismatches);
    }
    assertTrue(mismatches.isEmpty(), mismatches.size() + " answers differ:\n"
        + String.join("\n", mismatches));
  }

  @Test
  void formBodiesGetTheSameErrors() throws Exception {
    List<String> mismatches = new ArrayList<>();
    String[][] forms = {
        {"/api/v1/query", "query=up&time=abc"},
        {"/api/v1/query_range", "query=up&start=1&end=2&step=0"},
        {"/api/v1/series", "start=1"},
        {"/api/v1/labels", "match[]=%7B"},
        {"/api/v1/query", "query=sum(&time=1"},
    };
    for (String[] f : forms) {
      HttpResponse<String> a = ours.postForm(f[0], f[1]);
      HttpResponse<String> b = prom.postForm(f[0], f[1]);
      if (a.statusCode() != b.statusCode() || !a.body().equals(b.body())) {
        mismatches.add("POST " + f[0] + " " + f[1] + "\n  prometheus: " + b.statusCode() + " "
            + b.body() + "\n  ours:       " + a.statusCode() + " " + a.body());
      }
    }
    assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
  }

  private static void compare(String method, String path, List<String> mismatches)
      throws Exception {
    HttpResponse<String> a = send(ours.base, method, path);
    HttpResponse<String> b = send(prom.base(), method, path);
    String want = b.statusCode() + " " + b.body();
    if (method.equals("GET") && EXPECTED_DIFFERENCES.containsKey(path)) {
      want = EXPECTED_DIFFERENCES.get(path);
    }
    if (!(a.statusCode() + " " + a.body()).equals(want)) {
      mismatches.add(method + " " + path + "\n  prometheus: " + b.statusCode() + " " + b.body()
          + "\n  ours:       " + a.statusCode() + " " + a.body());
    }
  }

  /** Encodes the query's keys and values (tests write them raw for readability). */
  static String encoded(String path) {
    int q = path.indexOf('?');
    if (q < 0) {
      return path;
    }
    StringBuilder sb = new StringBuilder(path.substring(0, q + 1));
    String[] pairs = path.substring(q + 1).split("&");
    for (int i = 0; i < pairs.length; i++) {
      int eq = pairs[i].indexOf('=');
      if (i > 0) {
        sb.append('&');
      }
      sb.append(TestServer.enc(eq < 0 ? pairs[i] : pairs[i].substring(0, eq)));
      if (eq >= 0) {
        sb.append('=').append(TestServer.enc(pairs[i].substring(eq + 1)));
      }
    }
    return sb.toString();
  }

  static HttpResponse<String> send(String base, String method, String path) throws Exception {
    return ours.http.send(HttpRequest.newBuilder(URI.create(base + encoded(path)))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
