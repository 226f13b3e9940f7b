package dev.tsdb.server.thanos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.server.thanos.SidecarClient.Answer;
import dev.tsdb.server.thanos.SidecarClient.Matcher;
import dev.tsdb.server.thanos.SidecarClient.PromFlags;
import dev.tsdb.testkit.process.HttpEndpoint;
import dev.tsdb.testkit.process.TsdbJarServer;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our server under a Thanos sidecar: started as a user would (external labels in the config,
 * --storage.tsdb.min-block-duration = max-block-duration = 2h), it gets every call the sidecar
 * makes (replayed by {@link SidecarClient}), and Prometheus 3.5 with the same config, flags and
 * data gets the same calls: whatever is deterministic must be answered alike.
 */
class ThanosSidecarIT {
  static final String CONFIG = "global:\n  external_labels:\n    cluster: eu1\n"
      + "    replica: \"0\"\n";
  static final String[] FLAGS = {"--storage.tsdb.min-block-duration=2h",
      "--storage.tsdb.max-block-duration=2h", "--web.enable-lifecycle"};
  static final Map<String, String> EXTERNAL = Map.of("cluster", "eu1", "replica", "0");
  static final long STEP = 10_000;
  static final int SAMPLES = 400; // a bit over 3 chunks of 120 per series
  static final long END = System.currentTimeMillis() / 1000 * 1000 - 60_000;
  static final long START = END - (SAMPLES - 1) * STEP;

  @TempDir
  static Path dir;
  static TsdbJarServer ours;
  static Prometheus prom;
  static SidecarClient oursSidecar;
  static SidecarClient promSidecar;

  @BeforeAll
  static void start() throws Exception {
    Path oursDir = dir.resolve("ours");
    Files.createDirectories(oursDir);
    Files.writeString(oursDir.resolve("prometheus.yml"), CONFIG);
    ours = TsdbJarServer.start(oursDir.resolve("data"), oursDir.resolve("server.log"), FLAGS);
    prom = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("prom")).config(CONFIG)
        .flags(FLAGS).start();
    byte[] write = PromPb.writeRequest(List.of(
        series(new String[] {"__name__", "th_a", "job", "x"}, 0),
        series(new String[] {"__name__", "th_a", "job", "y", "zone", "z1"}, 1),
        series(new String[] {"__name__", "th_b", "instance", "i1"}, 2),
        series(new String[] {"__name__", "th_b", "instance", "i2", "cluster", "own"}, 3)),
        List.of());
    assertEquals(204, ours.write(write).statusCode());
    assertEquals(204, prom.write(write).statusCode());
    oursSidecar = new SidecarClient(ours.base());
    promSidecar = new SidecarClient(prom.base());
  }

  private static PromPb.Series series(String[] labels, int k) {
    long[] t = new long[SAMPLES];
    double[] v = new double[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      t[i] = START + i * STEP;
      v[i] = k * 1000 + i * 0.5;
    }
    return PromPb.Series.raw(labels, t, v);
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

  @Test
  void sidecarStartupChecksPass() throws Exception {
    // BuildVersion: a semver of 2.24 or later makes the sidecar send label calls with matchers.
    String version = oursSidecar.buildVersion();
    String[] core = version.split("[+-]")[0].split("\\.");
    assertEquals(3, core.length, version);
    assertTrue(Integer.parseInt(core[0]) > 2
        || Integer.parseInt(core[0]) == 2 && Integer.parseInt(core[1]) >= 24, version);

    // validatePrometheus: durations and booleans parse, local compaction is off.
    PromFlags f = oursSidecar.flags();
    PromFlags p = promSidecar.flags();
    assertEquals(7_200_000, f.minBlockMs());
    assertEquals(7_200_000, f.maxBlockMs());
    assertEquals(p.minBlockMs(), f.minBlockMs());
    assertEquals(p.maxBlockMs(), f.maxBlockMs());
    assertEquals(p.delayCompactPath(), f.delayCompactPath());
    assertEquals(p.adminApi(), f.adminApi());
    assertEquals(p.lifecycle(), f.lifecycle());
    assertTrue(f.tsdbPath().endsWith("data"), f.tsdbPath());
    assertNull(SidecarClient.refusal(f, f.tsdbPath() + "/thanos.shipper.json", false));

    // External labels, and the config's YAML for them exactly as Prometheus writes it.
    assertEquals(EXTERNAL, oursSidecar.externalLabels());
    assertEquals(promSidecar.externalLabels(), oursSidecar.externalLabels());
    assertEquals(externalLabelsYaml(promSidecar), externalLabelsYaml(oursSidecar));

    // The time range the sidecar advertises starts at the oldest sample.
    assertEquals(START, oursSidecar.lowestTimestamp());
    assertEquals(promSidecar.lowestTimestamp(), oursSidecar.lowestTimestamp());

    // Kubernetes probes and the config reloader (http method, and the signal method's check).
    for (SidecarClient c : List.of(oursSidecar, promSidecar)) {
      assertEquals(200, c.get("/-/ready", "kube-probe/1.30").status());
      assertEquals(200, c.get("/-/healthy", "kube-probe/1.30").status());
      assertEquals(200, c.post("/-/reload").status());
      JsonNode rt = c.get("/api/v1/status/runtimeinfo", "thanos-sidecar").json().path("data");
      assertTrue(rt.path("reloadConfigSuccess").asBoolean());
      java.time.OffsetDateTime.parse(rt.path("lastConfigTime").asText()); // Go's time.Time
    }
  }

  private static String externalLabelsYaml(SidecarClient c) throws Exception {
    String yaml = c.get("/api/v1/status/config", "thanos-sidecar").json().path("data")
        .path("yaml").asText();
    StringBuilder sb = new StringBuilder();
    boolean in = false;
    for (String line : yaml.lines().toList()) {
      if (line.startsWith("  external_labels:")) {
        in = true;
      } else if (in && !line.startsWith("    ")) {
        break;
      }
      if (in) {
        sb.append(line).append('\n');
      }
    }
    return sb.toString();
  }

  @Test
  void sidecarRefusesUnequalBlockDurationsOnUsAsOnPrometheus() throws Exception {
    Path d = dir.resolve("defaults");
    Files.createDirectories(d);
    Files.writeString(d.resolve("prometheus.yml"), CONFIG);
    try (TsdbJarServer defaults = TsdbJarServer.start(d.resolve("data"),
            d.resolve("server.log"));
        Prometheus promDefaults = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("pd"))
            .config(CONFIG).start()) {
      SidecarClient ourSide = new SidecarClient(defaults.base());
      SidecarClient promSide = new SidecarClient(promDefaults.base());
      PromFlags f = ourSide.flags();
      PromFlags p = promSide.flags();
      // Prometheus shows the block range it derived (10% of the 15d retention).
      assertEquals(p.maxBlockMs(), f.maxBlockMs());
      assertEquals(p.minBlockMs(), f.minBlockMs());
      String refusal = SidecarClient.refusal(f, "/x/thanos.shipper.json", false);
      assertEquals(SidecarClient.refusal(p, "/x/thanos.shipper.json", false), refusal);
      assertTrue(refusal.startsWith("found that TSDB Max time is 1d12h and Min time is 2h"),
          refusal);
      assertNull(SidecarClient.refusal(f, "/x/thanos.shipper.json", true));
      for (String flag : List.of("storage.tsdb.retention.time", "storage.tsdb.min-block-duration",
          "storage.tsdb.max-block-duration")) {
        assertEquals(promSide.get("/api/v1/status/flags", "t").json().path("data").path(flag),
            ourSide.get("/api/v1/status/flags", "t").json().path("data").path(flag), flag);
      }
      // An empty database: the sidecar takes "no lowest timestamp" as "everything".
      assertEquals(Long.MIN_VALUE, ourSide.lowestTimestamp());
      assertEquals(metricValue(promSide, "prometheus_tsdb_lowest_timestamp_seconds"),
          metricValue(ourSide, "prometheus_tsdb_lowest_timestamp_seconds"));
    }
  }

  private static double metricValue(SidecarClient c, String name) throws Exception {
    String line = c.get("/metrics", "t").text().lines().filter(l -> l.startsWith(name + " "))
        .findFirst().orElseThrow();
    return Double.parseDouble(line.substring(name.length() + 1).trim());
  }

  /** The Series call of the store API through remote read, as the sidecar makes it. */
  @Test
  void streamedRemoteReadAsTheSidecarReadsIt() throws Exception {
    List<List<Matcher>> selectors = List.of(
        List.of(Matcher.eq("__name__", "th_a")),
        List.of(Matcher.re("__name__", "th_.*")),
        List.of(Matcher.eq("__name__", "th_b"), Matcher.eq("cluster", "eu1")),
        List.of(Matcher.re("__name__", "th_.+"), Matcher.re("replica", "0|1"),
            Matcher.eq("zone", "")),
        List.of(Matcher.re("job", "x|y")));
    long[][] ranges = {{START, END}, {START + 1_000_000, START + 2_500_000},
        {Long.MIN_VALUE, Long.MAX_VALUE}, {END + 60_000, END + 120_000}};
    for (List<Matcher> selector : selectors) {
      List<Matcher> forwarded = SidecarStoreView.forwardedMatchers(selector, EXTERNAL);
      assertNotNull(forwarded, selector.toString());
      assertFalse(forwarded.isEmpty(), selector.toString());
      for (long[] range : ranges) {
        long mint = Math.max(range[0], oursSidecar.lowestTimestamp());
        String what = selector + " " + range[0] + ".." + range[1];
        StreamedReadResponse got = streamed(oursSidecar.remoteRead(mint, range[1], forwarded),
            what);
        StreamedReadResponse want = streamed(promSidecar.remoteRead(mint, range[1], forwarded),
            what);
        checkSidecarExpectations(got, mint, range[1], what);
        assertEquals(seriesLabels(want), seriesLabels(got), what);
        assertEquals(samplesIn(want, mint, range[1]), samplesIn(got, mint, range[1]), what);
        assertEquals(want.frames(), got.frames(), what);
      }
    }
    // A selector on a different cluster is answered by the sidecar without asking; one on
    // external labels only is refused by it.
    assertNull(SidecarStoreView.forwardedMatchers(List.of(Matcher.eq("cluster", "us1")),
        EXTERNAL));
    assertTrue(SidecarStoreView.forwardedMatchers(List.of(Matcher.eq("cluster", "eu1")),
        EXTERNAL).isEmpty());
  }

  private static StreamedReadResponse streamed(Answer a, String what) throws Exception {
    assertEquals(200, a.status(), what + ": " + a.text());
    assertTrue(a.contentType().startsWith(
        "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse"),
        what + ": " + a.contentType());
    return StreamedReadResponse.decode(a.body());
  }

  /** What the sidecar relies on: one series a frame, sorted labels and series, ordered chunks. */
  private static void checkSidecarExpectations(StreamedReadResponse r, long mint, long maxt,
      String what) {
    for (int n : r.seriesPerFrame()) {
      assertEquals(1, n, what);
    }
    String previous = null;
    for (StreamedReadResponse.Series s : r.series()) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < s.labels().size(); i += 2) {
        names.add(s.labels().get(i));
      }
      assertEquals(new ArrayList<>(new TreeSet<>(names)), names, "labels sorted: " + what);
      // The external labels are on every series, the series' own value winning (Prometheus's
      // MergeLabels; the sidecar puts its own value back over it).
      Map<String, String> sent = SidecarStoreView.withExternal(s.labels(), Map.of());
      assertTrue(List.of("eu1", "own").contains(sent.get("cluster")), what);
      assertEquals("0", sent.get("replica"), what);
      Map<String, String> seen = SidecarStoreView.withExternal(s.labels(), EXTERNAL);
      assertEquals("eu1", seen.get("cluster"), what);
      String key = withoutExternal(s);
      if (previous != null) {
        assertTrue(previous.compareTo(key) < 0, "series sorted: " + previous + " then " + key
            + " in " + what);
      }
      previous = key;
      long lastMax = Long.MIN_VALUE;
      assertFalse(s.chunks().isEmpty(), what);
      for (StreamedReadResponse.Chunk c : s.chunks()) {
        assertEquals(1, c.type(), "XOR chunks: " + what);
        assertTrue(c.t().length > 0, what);
        assertEquals(c.t()[0], c.minTimeMs(), "chunk min time: " + what);
        assertEquals(c.t()[c.t().length - 1], c.maxTimeMs(), "chunk max time: " + what);
        assertTrue(c.minTimeMs() > lastMax, "chunks in order, not overlapping: " + what);
        assertTrue(c.maxTimeMs() >= mint && c.minTimeMs() <= maxt, "chunk in range: " + what);
        lastMax = c.maxTimeMs();
      }
    }
  }

  /** The labels Prometheus sorts series by: the stored ones (external labels are added after). */
  private static String withoutExternal(StreamedReadResponse.Series s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.labels().size(); i += 2) {
      String n = s.labels().get(i);
      String v = s.labels().get(i + 1);
      if (EXTERNAL.containsKey(n) && EXTERNAL.get(n).equals(v)) {
        continue;
      }
      sb.append(n).append('\u0000').append(v).append('\u0000');
    }
    return sb.toString();
  }

  private static List<String> seriesLabels(StreamedReadResponse r) {
    return r.series().stream().map(StreamedReadResponse.Series::labelText).toList();
  }

  /** Samples inside the asked range (chunks crossing its bounds may come whole or trimmed). */
  private static List<String> samplesIn(StreamedReadResponse r, long mint, long maxt) {
    List<String> out = new ArrayList<>();
    for (StreamedReadResponse.Series s : r.series()) {
      StringBuilder sb = new StringBuilder(s.labelText());
      for (StreamedReadResponse.Chunk c : s.chunks()) {
        for (int i = 0; i < c.t().length; i++) {
          if (c.t()[i] >= mint && c.t()[i] <= maxt) {
            sb.append(' ').append(c.t()[i]).append('=').append(c.v()[i]);
          }
        }
      }
      out.add(sb.toString());
    }
    return out;
  }

  /** LabelNames, LabelValues and Series(skip chunks): the API calls, answered byte for byte. */
  @Test
  void labelAndSeriesCallsAnswerAsPrometheus() throws Exception {
    List<Matcher> ms = List.of(Matcher.re("__name__", "th_.*"), Matcher.eq("job", "y"));
    String range = "&start=" + SidecarClient.time(START + 5) + "&end=" + SidecarClient.time(END);
    String sel = "match%5B%5D=" + HttpEndpoint.enc(SidecarClient.selector(ms));
    List<String> calls = List.of(
        "/api/v1/labels?" + range.substring(1),
        "/api/v1/labels?" + sel + range,
        "/api/v1/labels?" + sel + range + "&limit=1",
        "/api/v1/label/job/values?" + range.substring(1),
        "/api/v1/label/__name__/values?" + sel + range,
        "/api/v1/label/instance/values?match%5B%5D="
            + HttpEndpoint.enc(SidecarClient.selector(List.of(Matcher.eq("__name__", "th_b"))))
            + range + "&limit=5",
        "/api/v1/series?" + sel + range,
        "/api/v1/series?match%5B%5D="
            + HttpEndpoint.enc(SidecarClient.selector(List.of(Matcher.re("__name__", ".+"))))
            + range + "&limit=2",
        // The sidecar's defaults when the querier gives no range: all of time.
        "/api/v1/labels?start=" + SidecarClient.time(oursSidecar.lowestTimestamp()) + "&end="
            + SidecarClient.time(Long.MAX_VALUE));
    for (String call : calls) {
      Answer want = promSidecar.get(call, SidecarClient.STORE_AGENT);
      Answer got = oursSidecar.get(call, SidecarClient.STORE_AGENT);
      assertEquals(want.status(), got.status(), call + ": " + got.text() + " vs " + want.text());
      assertEquals(want.json(), got.json(), call);
    }
  }

  /** The proxies the sidecar serves over its other gRPC APIs: same shapes as Prometheus's. */
  @Test
  void otherProxiedApisHaveThePrometheusShape() throws Exception {
    List<String> calls = List.of("/api/v1/rules", "/api/v1/rules?type=alert",
        "/api/v1/rules?type=record", "/api/v1/alerts", "/api/v1/targets",
        "/api/v1/targets?state=active", "/api/v1/targets?state=dropped",
        "/api/v1/metadata?limit=-1", "/api/v1/metadata?metric=th_a&limit=10",
        "/api/v1/query_exemplars?query=" + HttpEndpoint.enc("th_a") + "&start="
            + SidecarClient.time(START) + "&end=" + SidecarClient.time(END),
        "/api/v1/status/tsdb?limit=10");
    for (String call : calls) {
      Answer want = promSidecar.get(call, SidecarClient.SIDECAR_AGENT);
      Answer got = oursSidecar.get(call, SidecarClient.SIDECAR_AGENT);
      assertEquals(want.status(), got.status(), call + ": " + got.text());
      assertEquals("success", got.json().path("status").asText(), call);
      assertEquals(shape(want.json().path("data")), shape(got.json().path("data")), call);
    }
  }

  /** A JSON value's shape: its type, and for objects their field names with their shapes. */
  private static String shape(JsonNode n) {
    if (n.isObject()) {
      StringBuilder sb = new StringBuilder("{");
      TreeSet<String> names = new TreeSet<>();
      n.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        sb.append(name).append(':').append(shape(n.get(name))).append(',');
      }
      return sb.append('}').toString();
    }
    if (n.isArray()) {
      Iterator<JsonNode> it = n.elements();
      return "[" + (it.hasNext() ? shape(it.next()) : "") + "]";
    }
    return n.getNodeType().toString();
  }
}
