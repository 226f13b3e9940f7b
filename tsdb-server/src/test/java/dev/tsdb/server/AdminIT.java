package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.api.remote.PromPb;
import dev.tsdb.blocks.db.Database;
import dev.tsdb.blocks.db.DbOptions;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.testkit.reference.Promtool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /api/v1/admin/tsdb/* on the real database: deletions (head and blocks, kept across restarts),
 * tombstone cleaning and snapshots that promtool and our database can read. Error answers are
 * Prometheus 2.42's, checked by hand with curl against Debian's Prometheus.
 */
class AdminIT {
  private static final long MIN = 60_000;
  /** Six hours of minutely samples up to now: the head cuts the older part into 2h blocks. */
  private static final long END = System.currentTimeMillis() / MIN * MIN;
  private static final long START = END - 6 * 60 * MIN;
  private static final int POINTS = 361;

  @TempDir
  Path dir;

  private static byte[] data() {
    List<PromPb.Series> s = new ArrayList<>();
    for (String[] l : new String[][] {{"__name__", "del_a", "job", "x"},
        {"__name__", "del_a", "job", "y"}, {"__name__", "keep_b", "job", "x"}}) {
      long[] ts = new long[POINTS];
      double[] vs = new double[POINTS];
      for (int i = 0; i < POINTS; i++) {
        ts[i] = START + i * MIN;
        vs[i] = i;
      }
      s.add(PromPb.Series.raw(l, ts, vs));
    }
    return PromPb.writeRequest(s, List.of());
  }

  private static HttpResponse<String> admin(TestServer ts, String method, String pathAndQuery)
      throws Exception {
    return ts.http.send(HttpRequest.newBuilder(URI.create(ts.base + "/api/v1/admin/tsdb/"
            + pathAndQuery)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Samples per series over all time, from a range query ({@code name{job}} -> count). */
  private static Map<String, Long> counts(TestServer ts) throws Exception {
    HttpResponse<String> r = ts.get("/api/v1/query?query=" + TestServer.enc(
        "{__name__=~\"del_a|keep_b\"}[7h]") + "&time=" + END / 1000);
    assertEquals(200, r.statusCode(), r.body());
    Map<String, Long> out = new TreeMap<>();
    for (com.fasterxml.jackson.databind.JsonNode e : new com.fasterxml.jackson.databind
        .ObjectMapper().readTree(r.body()).path("data").path("result")) {
      out.put(e.path("metric").path("__name__").asText() + "{job=\""
          + e.path("metric").path("job").asText() + "\"}", (long) e.path("values").size());
    }
    return out;
  }

  private static List<String> blockDirs(Path data) throws IOException {
    try (Stream<Path> s = Files.list(data)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.length() == 26).sorted()
          .toList();
    }
  }

  private static void awaitBlocks(Path data, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (blockDirs(data).size() < n) {
      assertTrue(System.nanoTime() < deadline, "blocks cut: " + blockDirs(data));
      Thread.sleep(100);
    }
  }

  @Test
  void refusedWithoutTheFlag() throws Exception {
    try (TestServer ts = new TestServer(dir)) {
      for (String op : new String[] {"delete_series?match[]=up", "clean_tombstones",
          "snapshot"}) {
        for (String method : new String[] {"POST", "PUT"}) {
          HttpResponse<String> r = admin(ts, method, op);
          assertEquals(500, r.statusCode(), op);
          assertEquals("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"admin"
              + " APIs disabled\"}", r.body());
        }
      }
      assertFalse(Files.exists(dir.resolve("data/snapshots")));
    }
  }

  @Test
  void parametersCheckedAsPrometheus() throws Exception {
    try (TestServer ts = new TestServer(dir, "--web.enable-admin-api")) {
      Map<String, String> cases = new TreeMap<>(Map.of(
          "delete_series", "no match[] parameter provided",
          "delete_series?match[]=up&start=x", "invalid parameter \\\"start\\\": invalid time"
              + " value for 'start': cannot parse \\\"x\\\" to a valid timestamp",
          "delete_series?match[]=up&end=abc", "invalid parameter \\\"end\\\": invalid time value"
              + " for 'end': cannot parse \\\"abc\\\" to a valid timestamp",
          "delete_series?match[]=up%7B", "invalid parameter \\\"match[]\\\": 1:4: parse error:"
              + " unexpected end of input inside braces",
          "snapshot?skip_head=bad", "invalid parameter \\\"skip_head\\\": unable to parse"
              + " boolean: strconv.ParseBool: parsing \\\"bad\\\": invalid syntax"));
      for (Map.Entry<String, String> c : cases.entrySet()) {
        HttpResponse<String> r = admin(ts, "POST", c.getKey());
        assertEquals(400, r.statusCode(), c.getKey());
        assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\""
            + c.getValue() + "\"}", r.body(), c.getKey());
      }
      // Form bodies work too (POST and PUT), as for every Prometheus API endpoint.
      HttpResponse<String> r = ts.http.send(HttpRequest.newBuilder(URI.create(ts.base
              + "/api/v1/admin/tsdb/delete_series"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .PUT(HttpRequest.BodyPublishers.ofString("match[]=nothing_here")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(204, r.statusCode(), r.body());
      assertEquals("", r.body());
    }
  }

  @Test
  void deleteCleanAndSnapshot() throws Exception {
    Path data = dir.resolve("data");
    Map<String, Long> full = Map.of("del_a{job=\"x\"}", (long) POINTS, "del_a{job=\"y\"}",
        (long) POINTS, "keep_b{job=\"x\"}", (long) POINTS);
    Map<String, Long> deleted = Map.of("del_a{job=\"y\"}", (long) POINTS, "keep_b{job=\"x\"}",
        POINTS - 61L);
    try (TestServer ts = new TestServer(dir, "--web.enable-admin-api")) {
      assertEquals(204, ts.write(data()).statusCode());
      awaitBlocks(data, 2);
      assertEquals(full, counts(ts));
      // A whole series, and one hour (inclusive ends: 61 samples) spanning a block and the head.
      assertEquals(204, admin(ts, "POST", "delete_series?match[]="
          + TestServer.enc("del_a{job=\"x\"}")).statusCode());
      long from = END - 5 * 60 * MIN;
      HttpResponse<String> r = admin(ts, "PUT", "delete_series?match[]=keep_b&start="
          + from / 1000 + "&end=" + (from + 60 * MIN) / 1000);
      assertEquals(204, r.statusCode(), r.body());
      assertEquals("", r.body());
      assertEquals(deleted, counts(ts));
    }
    try (TestServer ts = new TestServer(dir, "--web.enable-admin-api")) {
      assertEquals(deleted, counts(ts), "after restart");
      List<String> before = blockDirs(data);
      assertEquals(204, admin(ts, "POST", "clean_tombstones").statusCode());
      List<String> after = blockDirs(data);
      assertFalse(after.equals(before), "blocks with tombstones rewritten: " + before + after);
      assertEquals(deleted, counts(ts), "after cleaning");

      HttpResponse<String> snap = admin(ts, "POST", "snapshot");
      assertEquals(200, snap.statusCode(), snap.body());
      assertTrue(snap.body().matches("\\{\"status\":\"success\",\"data\":\\{\"name\":"
          + "\"\\d{8}T\\d{6}Z-[0-9a-f]{16}\"}}"), snap.body());
      String name = snap.body().replaceAll(".*\"name\":\"([^\"]+)\".*", "$1");
      Path snapDir = data.resolve("snapshots").resolve(name);
      assertEquals(deleted, count(snapDir));
      assertPromtoolLists(snapDir, blockDirs(snapDir));

      String noHead = admin(ts, "PUT", "snapshot?skip_head=true").body()
          .replaceAll(".*\"name\":\"([^\"]+)\".*", "$1");
      Path noHeadDir = data.resolve("snapshots").resolve(noHead);
      assertEquals(blockDirs(data), blockDirs(noHeadDir), "just the blocks");
      Map<String, Long> c = count(noHeadDir);
      assertTrue(c.get("del_a{job=\"y\"}") < POINTS, c.toString());
    }
  }

  /** Samples per series in a data directory, read with our database. */
  private static Map<String, Long> count(Path dataDir) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Database db = Database.open(dataDir, new DbOptions().compactionIntervalMs(0)
        .retentionTimeMs(0).noLockfile(true));
        Querier q = db.querier(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2)) {
      SeriesSet ss = q.select(true, null, Matcher.re(Labels.METRIC_NAME, ".+"));
      SampleIterator it = null;
      while (ss.next()) {
        it = ss.at().iterator(it);
        long n = 0;
        while (it.next() != dev.tsdb.index.storage.ValueType.NONE) {
          n++;
        }
        Labels l = ss.at().labels();
        out.put(l.metricName() + "{job=\"" + l.get("job") + "\"}", n);
      }
    }
    return out;
  }

  /** Every promtool (2.42 and 3.5) lists the blocks of the directory. */
  private void assertPromtoolLists(Path dataDir, List<String> blocks) throws Exception {
    for (Promtool promtool : Promtool.all()) {
      String out = promtool.run(dir, "tsdb", "list", dataDir.toString()).check().output();
      for (String b : blocks) {
        assertTrue(out.contains(b), b + " in\n" + promtool + ":\n" + out);
      }
    }
  }

}
