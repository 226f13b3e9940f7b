package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the same data to us and to Prometheus 3.5 over remote write, then asks both the
 * same API questions and compares the answers byte for byte.
 *
 * <p>Prometheus 2.42 closes range and lookback windows on the left where 3.x (our target) leaves
 * them open, so sample timestamps are jittered a few milliseconds off every window boundary the
 * queries use; on such data both semantics agree.
 */
class DifferentialIT {
  @TempDir
  static Path dir;
  static TestServer ours;
  static Prometheus ref;

  /** Whole minute an hour ago: every query time below is an offset from it. */
  static final long BASE = System.currentTimeMillis() / 60_000 * 60_000 - 3_600_000;
  static final long STEP = 15_000;
  static final int POINTS = 40;

  @BeforeAll
  static void start() throws Exception {
    ours = new TestServer(dir.resolve("tsdb"));
    ref = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("prom")).start();
    byte[] req = PromPb.writeRequest(dataset(), List.of());
    SideBySide.write(ref, ours, req);
  }

  @AfterAll
  static void stop() {
    SideBySide.stop(ref, ours);
  }

  /**
   * Series sorted by labels, so that creation order is label order in both stores: Prometheus
   * 3.x answers instant selectors and /series in the order the series were created, we in label
   * order.
   */
  static List<PromPb.Series> dataset() {
    Random rnd = new Random(42);
    List<PromPb.Series> out = new ArrayList<>();
    double[] specials = {0, -0.0, 1, -1, 0.1, 1e-7, 1e22, 123456789.125, -2.5e-3, 1.0 / 3,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 9007199254740993.0,
        Double.MIN_VALUE, Double.MAX_VALUE};
    String[][] labelSets = {
        {"__name__", "diff_counter", "instance", "a:9100", "job", "node"},
        {"__name__", "diff_counter", "instance", "b:9100", "job", "node"},
        {"__name__", "diff_gauge", "env", "prod", "job", "api"},
        {"__name__", "diff_gauge", "env", "staging", "job", "api"},
        {"__name__", "diff_sparse", "job", "gaps"},
        {"__name__", "diff_special", "quote", "a\"b\\c\nd", "unicode", "é<>&\u2028"},
    };
    for (int s = 0; s < labelSets.length; s++) {
      long[] ts = new long[POINTS];
      double[] vs = new double[POINTS];
      double acc = 0;
      int n = 0;
      for (int i = 0; i < POINTS; i++) {
        if (labelSets[s][1].equals("diff_sparse") && i % 7 != 0) {
          continue; // gaps longer than the lookback delta
        }
        // Jitter 1..9 ms after the grid so no sample sits on a query window boundary.
        ts[n] = BASE + i * STEP + 1 + rnd.nextInt(9);
        switch (labelSets[s][1]) {
          case "diff_counter" -> acc += rnd.nextInt(100);
          case "diff_special" -> acc = specials[i % specials.length];
          default -> acc = rnd.nextGaussian() * 1000;
        }
        vs[n] = acc;
        n++;
      }
      out.add(PromPb.Series.raw(labelSets[s], java.util.Arrays.copyOf(ts, n),
          java.util.Arrays.copyOf(vs, n)));
    }
    // Recent samples for /federate, which looks back 5 minutes from now.
    long now = System.currentTimeMillis();
    out.add(PromPb.Series.raw(new String[] {"__name__", "diff_recent", "instance", "i1",
        "job", "fed"}, new long[] {now - 30_001}, new double[] {1e-7}));
    out.add(PromPb.Series.raw(new String[] {"__name__", "diff_recent", "job", "fed", "q", "x\"y"},
        new long[] {now - 40_003, now - 20_007}, new double[] {1234567, 0.5}));
    out.sort(java.util.Comparator.comparing(DifferentialIT::labelsOf));
    return out;
  }

  private static Labels labelsOf(PromPb.Series s) {
    List<String> pairs = new ArrayList<>();
    for (String[] p : s.labelPairs()) {
      pairs.add(p[0]);
      pairs.add(p[1]);
    }
    return Labels.of(pairs.toArray(new String[0]));
  }

    static String sec(long ms) {
    return ms % 1000 == 0 ? Long.toString(ms / 1000) : String.format("%.3f", ms / 1000.0);
  }

  static List<String> queries() {
    List<String> q = new ArrayList<>();
    String[] selectors = {"diff_counter", "diff_gauge", "diff_special", "diff_sparse",
        "{__name__=~\"diff_.*\"}", "diff_gauge{env!=\"prod\"}", "diff_counter{instance=~\"a.*\"}",
        "{job=\"api\",env!~\"s.*\"}", "diff_nonexistent", "diff_counter{job=\"\"}"};
    long[] times = {BASE + 5 * STEP, BASE + 5 * STEP + 7_500, BASE + (POINTS - 1) * STEP + 30_000,
        BASE + (POINTS + 30) * STEP, BASE - 60_000, BASE + 20 * STEP + 123};
    for (String s : selectors) {
      for (long t : times) {
        q.add("/api/v1/query?query=" + TestServer.enc(s) + "&time=" + sec(t));
      }
      q.add("/api/v1/query?query=" + TestServer.enc(s + "[2m]") + "&time=" + sec(BASE + 20 * STEP));
      q.add("/api/v1/query_range?query=" + TestServer.enc(s) + "&start=" + sec(BASE)
          + "&end=" + sec(BASE + (POINTS + 25) * STEP) + "&step=30");
      q.add("/api/v1/query_range?query=" + TestServer.enc(s) + "&start=" + sec(BASE + 3_000)
          + "&end=" + sec(BASE + 600_000) + "&step=7s");
    }
    q.add("/api/v1/query?query=1.5&time=" + sec(BASE));
    q.add("/api/v1/query?query=" + TestServer.enc("\"a string\"") + "&time=" + sec(BASE + 1));
    q.add("/api/v1/query?query=" + TestServer.enc("-0.0000001") + "&time=1.001");
    q.add("/api/v1/query_range?query=" + TestServer.enc("2") + "&start=1&end=100&step=10");
    q.add("/api/v1/series?match[]=" + TestServer.enc("diff_gauge"));
    q.add("/api/v1/series?match[]=" + TestServer.enc("{__name__=~\"diff_.+\"}"));
    q.add("/api/v1/series?match[]=" + TestServer.enc("diff_gauge") + "&match[]="
        + TestServer.enc("diff_counter{instance=\"b:9100\"}"));
    q.add("/api/v1/labels");
    q.add("/api/v1/labels?match[]=" + TestServer.enc("diff_gauge"));
    q.add("/api/v1/label/job/values");
    q.add("/api/v1/label/__name__/values");
    q.add("/api/v1/label/env/values?match[]=" + TestServer.enc("diff_gauge{env=\"prod\"}"));
    q.add("/api/v1/query_exemplars?query=diff_gauge&start=" + sec(BASE) + "&end="
        + sec(BASE + 600_000));
    q.add("/api/v1/query_exemplars?query=1");
    q.add("/api/v1/query_exemplars?query=" + TestServer.enc("sum(") );
    q.add("/api/v1/query_exemplars?query=up&start=2&end=1");
    q.add("/federate?match[]=" + TestServer.enc("diff_recent"));
    q.add("/federate?match[]=" + TestServer.enc("{job=\"fed\"}") + "&match[]="
        + TestServer.enc("diff_nonexistent"));
    for (String f : new String[] {"sum by(a)(rate(x{y=\"z\"}[5m]))>2", "foo offset 5m",
        "a + on(b) group_left(c) d", "histogram_quantile(0.9, sum by (le) (rate(h[1m])))",
        "-1.5 * x @ 100", "topk(3, {__name__=~\"a.+\", job!=\"b<>\"})[5m:30s]", "foo("}) {
      q.add("/api/v1/format_query?query=" + TestServer.enc(f));
    }
    // Evaluation errors (422) and aggregations over the selectors.
    for (String e : new String[] {"sum(diff_gauge)",
        "sum by (job) (diff_counter)", "count({__name__=~\"diff_.*\"})",
        "diff_counter > 300", "max_over_time(diff_gauge[2m])", "label_replace(diff_gauge, \"x\", \"$1\", \"env\", \"(.*)\")",
        "vector(1)", "time()", "absent(nope)", "diff_gauge / on(env, job) diff_gauge"}) {
      q.add("/api/v1/query?query=" + TestServer.enc(e) + "&time=" + sec(BASE + 20 * STEP));
      q.add("/api/v1/query_range?query=" + TestServer.enc(e) + "&start=" + sec(BASE)
          + "&end=" + sec(BASE + 600_000) + "&step=60");
    }
    q.add("/api/v1/query?query=1&time=x");
    q.add("/api/v1/query_range?query=1&start=x&end=2&step=1");
    q.add("/api/v1/query_range?query=1&start=3&end=2&step=1");
    q.add("/api/v1/query_range?query=1&start=1&end=2&step=0");
    q.add("/api/v1/query_range?query=1&start=1&end=2&step=-1");
    q.add("/api/v1/query_range?query=1&start=0&end=100000&step=1");
    q.add("/api/v1/query_range?query=1&start=1&end=2");
    q.add("/api/v1/series");
    q.add("/api/v1/series?match[]=" + TestServer.enc("{a=\"\"}"));
    return q;
  }

  @Test
  void answersMatchPrometheusByteForByte() throws Exception {
    List<String> mismatches = new ArrayList<>();
    List<String> qs = queries();
    for (String q : qs) {
      HttpResponse<String> a = ours.get(q);
      HttpResponse<String> b = ref.get(q);
      if (a.statusCode() != b.statusCode() || !a.body().equals(b.body())) {
        mismatches.add(q + "\n  prometheus: " + b.statusCode() + " " + b.body()
            + "\n  ours:       " + a.statusCode() + " " + a.body());
      }
    }
    assertTrue(mismatches.isEmpty(), mismatches.size() + " of " + qs.size()
        + " answers differ:\n" + String.join("\n", mismatches));
  }

  @Test
  void federationIsNotTriviallyEmpty() throws Exception {
    String body = ours.get("/federate?match[]=" + TestServer.enc("diff_recent")).body();
    assertTrue(body.startsWith("# TYPE diff_recent untyped\ndiff_recent{instance=\"i1\",job=\"fed\"}"
        + " 1e-07 "), body);
    assertTrue(body.contains("diff_recent{job=\"fed\",q=\"x\\\"y\",instance=\"\"} 0.5 "), body);
  }

  @Test
  void parseQueryAnswersTheAst() throws Exception {
    HttpResponse<String> r = ours.get("/api/v1/parse_query?query=" + TestServer.enc("up + 1"));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().startsWith("{\"status\":\"success\",\"data\":{\"bool\":false,"), r.body());
    assertTrue(r.body().contains("\"type\":\"binaryExpr\""), r.body());
    assertTrue(r.body().contains("\"type\":\"vectorSelector\""), r.body());
    r = ours.get("/api/v1/parse_query?query=" + TestServer.enc("up +"));
    assertEquals(400, r.statusCode());
  }

  @Test
  void adminApisDisabledByDefault() throws Exception {
    for (String op : new String[] {"snapshot", "delete_series", "clean_tombstones"}) {
      HttpResponse<String> a = ours.postForm("/api/v1/admin/tsdb/" + op, "");
      HttpResponse<String> b = ref.postForm("/api/v1/admin/tsdb/" + op, "");
      assertEquals(b.statusCode(), a.statusCode());
      assertEquals(b.body(), a.body());
    }
  }

  @Test
  void sameAnswersThroughFormPost() throws Exception {
    String form = "query=" + TestServer.enc("diff_gauge") + "&time=" + sec(BASE + 5 * STEP);
    HttpResponse<String> a = ours.postForm("/api/v1/query", form);
    HttpResponse<String> b = ref.get("/api/v1/query?" + form);
    assertEquals(b.body(), a.body());
    assertEquals(200, a.statusCode());
  }
}
