package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.rules.config.ConfigException;
import dev.tsdb.server.flags.FlagSet;
import dev.tsdb.server.flags.ServerFlags;
import dev.tsdb.testkit.reference.Alertmanager;
import dev.tsdb.testkit.reference.PrometheusRelease;
import dev.tsdb.testkit.reference.Promtool;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules and alerting end to end: the real server with rule files from src/test/resources/rules
 * (1s evaluation) and the reference Alertmanager (0.33, beside Prometheus 3.5). Remote-written
 * data makes an alert fire after its {@code for} and then resolve, both seen in Alertmanager's v2 API; a recording rule's output is
 * compared with the same expression through query_range; a bad rule file on reload keeps the old
 * rules; promtool (2.42 and 3.5) agrees on which rule files are good.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RulesServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  static Alertmanager am;
  static TestServer ts;
  static Path rulesDir;
  static Path configFile;

  static Path resource(String name) throws Exception {
    return Path.of(RulesServerIT.class.getResource("/" + name).toURI());
  }

  @BeforeAll
  static void start() throws Exception {
    am = Alertmanager.start(PrometheusRelease.V3_5, dir.resolve("am"));
    Path srv = dir.resolve("srv");
    rulesDir = srv.resolve("rules");
    Files.createDirectories(rulesDir);
    for (String f : List.of("it-alerts.yml", "it-recording.yml")) {
      Files.copy(resource("rules/" + f), rulesDir.resolve(f));
    }
    configFile = srv.resolve("prometheus.yml");
    Files.writeString(configFile, """
        global:
          evaluation_interval: 1s
          external_labels:
            cluster: it
        rule_files:
          - rules/*.yml
        alerting:
          alertmanagers:
            - scheme: http
              timeout: 5s
              api_version: v2
              static_configs:
                - targets: ['127.0.0.1:%d']
        """.formatted(am.port()));
    ts = new TestServer(srv, "--web.enable-lifecycle",
        "--web.external-url=http://tsdb.example:9090/");
  }

  @AfterAll
  static void stop() {
    if (ts != null) {
      ts.close();
    }
    if (am != null) {
      am.close();
    }
  }

  private static void write(String job, String instance, double v) throws Exception {
    write(job, Map.of(instance, v));
  }

  /** One sample per instance, all in one request (so no rule evaluation sees only some). */
  private static void write(String job, Map<String, Double> values) throws Exception {
    long now = System.currentTimeMillis();
    List<PromPb.Series> series = new ArrayList<>();
    values.forEach((instance, v) -> series.add(PromPb.Series.of(
        Labels.of("__name__", "it_value", "job", job, "instance", instance),
        new long[] {now}, new double[] {v})));
    assertEquals(204, ts.write(PromPb.writeRequest(series, List.of())).statusCode());
  }

  private static String seconds(long ms) {
    return java.math.BigDecimal.valueOf(ms, 3).toPlainString();
  }

  private static JsonNode data(String pathAndQuery) throws Exception {
    HttpResponse<String> r = ts.get(pathAndQuery);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body()).get("data");
  }

  /** Polls until the condition holds (30s at most) and returns the last value seen. */
  private static <T> T await(String what, Check<T> get, Predicate<T> ok) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    T last = get.get();
    while (!ok.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; last: " + last);
      }
      Thread.sleep(100);
      last = get.get();
    }
    return last;
  }

  private interface Check<T> {
    T get() throws Exception;
  }

  private static JsonNode amAlerts() throws Exception {
    JsonNode all = JSON.readTree(am.get("/api/v2/alerts").body());
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode a : all) {
      if ("ItHighValue".equals(a.get("labels").path("alertname").asText())) {
        out.add(a);
      }
    }
    return JSON.valueToTree(out);
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }


  private static ProcessResult run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new ProcessResult(p.exitValue(), out);
  }

  private record ProcessResult(int code, String output) {}

  @Test
  @Order(1)
  void promtoolAgreesTheTestRuleFilesAreValidAndTheBadOneIsNot() throws Exception {
    for (Promtool promtool : Promtool.all()) {
      Promtool.Result good = promtool.run(dir, "check", "rules",
          resource("rules/it-alerts.yml").toString(),
          resource("rules/it-recording.yml").toString());
      assertEquals(0, good.exit(), promtool + ": " + good.output());
      Promtool.Result bad = promtool.run(dir, "check", "rules",
          resource("rules-bad/it-bad.yml").toString());
      assertEquals(1, bad.exit(), promtool + ": " + bad.output());
      assertTrue(bad.output().contains("unclosed left parenthesis"), bad.output());
    }
  }

  @Test
  @Order(2)
  void alertFiresInAlertmanagerWithExpandedTemplatesThenResolves() throws Exception {
    write("alert", "i1", 20);
    JsonNode alerts = await("a firing alert in /api/v1/alerts",
        () -> data("/api/v1/alerts").get("alerts"),
        a -> a.size() == 1 && a.get(0).get("state").asText().equals("firing"));
    JsonNode a = alerts.get(0);
    assertEquals(List.of("labels", "annotations", "state", "activeAt", "value"), fieldNames(a));
    assertEquals(Map.of("alertname", "ItHighValue", "instance", "i1", "job", "alert",
        "severity", "page", "team", "alert-team"), JSON.convertValue(a.get("labels"), Map.class));
    assertEquals(Map.of("summary", "i1 value 20", "description", "job alert is at 20 in it"),
        JSON.convertValue(a.get("annotations"), Map.class));
    assertEquals("2e+01", a.get("value").asText());
    assertTrue(a.get("activeAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z"), a.toString());

    JsonNode inAm = await("the alert in Alertmanager", RulesServerIT::amAlerts,
        l -> l.size() == 1);
    JsonNode sent = inAm.get(0);
    // Alertmanager sees the external labels too (added by the notifier).
    assertEquals(Map.of("alertname", "ItHighValue", "instance", "i1", "job", "alert",
        "severity", "page", "team", "alert-team", "cluster", "it"),
        JSON.convertValue(sent.get("labels"), Map.class));
    assertEquals("i1 value 20", sent.get("annotations").get("summary").asText());
    assertEquals("job alert is at 20 in it", sent.get("annotations").get("description").asText());
    assertEquals("active", sent.get("status").get("state").asText());
    assertTrue(sent.get("generatorURL").asText().startsWith(
        "http://tsdb.example:9090/graph?g0.expr=it_value%7Bjob%3D%22alert%22%7D+%3E+10"),
        sent.toString());

    write("alert", "i1", 1);
    await("no alert in /api/v1/alerts", () -> data("/api/v1/alerts").get("alerts"),
        l -> l.isEmpty());
    await("the alert resolved in Alertmanager", RulesServerIT::amAlerts, l -> l.isEmpty());
  }

  @Test
  @Order(3)
  void rulesEndpointHasPrometheusShape() throws Exception {
    JsonNode groups = await("both groups evaluated", () -> data("/api/v1/rules").get("groups"),
        g -> g.size() == 2 && !g.get(0).get("lastEvaluation").asText().startsWith("0001")
            && !g.get(1).get("lastEvaluation").asText().startsWith("0001"));
    JsonNode alerts = groups.get(0);
    assertEquals(List.of("name", "file", "rules", "interval", "limit", "evaluationTime",
        "lastEvaluation"), fieldNames(alerts));
    assertEquals("it-alerts", alerts.get("name").asText());
    assertEquals(rulesDir.resolve("it-alerts.yml").toString(), alerts.get("file").asText());
    assertEquals("1", alerts.get("interval").toString());
    assertEquals(0, alerts.get("limit").asInt());
    JsonNode rule = alerts.get("rules").get(0);
    assertEquals(List.of("state", "name", "query", "duration", "keepFiringFor", "labels",
        "annotations", "alerts", "health", "evaluationTime", "lastEvaluation", "type"),
        fieldNames(rule));
    assertEquals("it_value{job=\"alert\"} > 10", rule.get("query").asText());
    assertEquals("2", rule.get("duration").toString());
    assertEquals("{{ $labels.job }}-team", rule.get("labels").get("team").asText());
    assertEquals("ok", rule.get("health").asText());
    assertEquals("alerting", rule.get("type").asText());

    JsonNode rec = groups.get(1).get("rules").get(0);
    assertEquals(List.of("name", "query", "labels", "health", "evaluationTime",
        "lastEvaluation", "type"), fieldNames(rec));
    assertEquals("sum by (job) (it_value{job=\"rec\"})", rec.get("query").asText());
    assertEquals("recording", rec.get("type").asText());

    assertEquals(1, data("/api/v1/rules?type=record").get("groups").size());
    assertEquals("it-recording",
        data("/api/v1/rules?type=record").get("groups").get(0).get("name").asText());
    assertEquals("{\"status\":\"success\",\"data\":{\"activeAlertmanagers\":[{\"url\":"
        + "\"http://127.0.0.1:" + am.port() + "/api/v2/alerts\"}],\"droppedAlertmanagers\":[]}}",
        ts.get("/api/v1/alertmanagers").body());
  }

  /** Raw samples of one series: [t, v] pairs from a matrix selector at time now. */
  private static JsonNode raw(String selector) throws Exception {
    JsonNode r = data("/api/v1/query?query=" + TestServer.enc(selector + "[1m]")).get("result");
    return r.isEmpty() ? JSON.createArrayNode() : r.get(0).get("values");
  }

  @Test
  @Order(4)
  void recordingRuleMatchesTheExpressionThroughQueryRange() throws Exception {
    write("rec", Map.of("a", 3.0, "b", 4.0));
    JsonNode first = await("recorded samples", () -> raw("job:it_value:sum"), v -> v.size() >= 2);
    long t0 = Math.round(first.get(0).get(0).asDouble() * 1000);
    // Change the input half-way between two evaluations, so no evaluation races the write.
    long next = t0 + 1000 * ((System.currentTimeMillis() - t0) / 1000 + 1) + 500;
    Thread.sleep(Math.max(0, next - System.currentTimeMillis()));
    write("rec", "a", 10);
    JsonNode all = await("recorded samples after the change", () -> raw("job:it_value:sum"),
        v -> v.size() >= 3 && v.get(v.size() - 1).get(1).asText().equals("14")
            && v.get(v.size() - 3).get(1).asText().equals("14"));
    long tEnd = Math.round(all.get(all.size() - 1).get(0).asDouble() * 1000);
    String range = "&start=" + seconds(t0) + "&end=" + seconds(tEnd) + "&step=1s";
    JsonNode recorded = data("/api/v1/query_range?query=job:it_value:sum" + range)
        .get("result");
    JsonNode adHoc = data("/api/v1/query_range?query="
        + TestServer.enc("sum by (job) (it_value{job=\"rec\"})") + range).get("result");
    assertEquals(1, recorded.size(), recorded.toString());
    assertEquals(1, adHoc.size(), adHoc.toString());
    assertEquals(Map.of("__name__", "job:it_value:sum", "job", "rec", "source", "recorded"),
        JSON.convertValue(recorded.get(0).get("metric"), Map.class));
    assertEquals(Map.of("job", "rec"), JSON.convertValue(adHoc.get(0).get("metric"), Map.class));
    assertEquals(adHoc.get(0).get("values"), recorded.get(0).get("values"));
    String values = recorded.get(0).get("values").toString();
    assertTrue(values.contains("\"7\"") && values.contains("\"14\""), values);
  }

  @Test
  @Order(5)
  void metricsCarryPrometheusNames() throws Exception {
    String m = ts.get("/metrics").body();
    String alertsGroup = rulesDir.resolve("it-alerts.yml") + ";it-alerts";
    String amUrl = "http://127.0.0.1:" + am.port() + "/api/v2/alerts";
    for (String prefix : List.of(
        "prometheus_rule_evaluations_total{rule_group=\"" + alertsGroup + "\"} ",
        "prometheus_rule_evaluation_failures_total{rule_group=\"" + alertsGroup + "\"} 0",
        "prometheus_rule_group_iterations_total{rule_group=\"" + alertsGroup + "\"} ",
        "prometheus_rule_group_last_duration_seconds{rule_group=\"" + alertsGroup + "\"} ",
        "prometheus_rule_group_interval_seconds{rule_group=\"" + alertsGroup + "\"} 1",
        "prometheus_rule_group_rules{rule_group=\"" + alertsGroup + "\"} 1",
        "prometheus_notifications_sent_total{alertmanager=\"" + amUrl + "\"} ",
        "prometheus_notifications_errors_total{alertmanager=\"" + amUrl + "\"} 0",
        "prometheus_notifications_dropped_total 0",
        "prometheus_notifications_queue_length 0",
        "prometheus_notifications_queue_capacity 10000",
        "prometheus_notifications_alertmanagers_discovered 1",
        "prometheus_config_last_reload_successful 1")) {
      assertTrue(m.contains("\n" + prefix), prefix + " missing in\n" + m);
    }
    assertTrue(m.contains("# TYPE prometheus_rule_evaluations_total counter"), m);
    assertFalse(m.contains("prometheus_rule_evaluations_total_total"), m);
  }

  @Test
  @Order(6)
  void badRuleFileOnReloadKeepsTheOldRules() throws Exception {
    Path bad = rulesDir.resolve("it-bad.yml");
    Files.copy(resource("rules-bad/it-bad.yml"), bad);
    try {
      HttpResponse<String> r = reload();
      assertEquals(500, r.statusCode());
      assertEquals("text/plain; charset=utf-8", r.headers().firstValue("Content-Type")
          .orElse(""));
      assertEquals("failed to reload config: one or more errors occurred while applying the new"
          + " configuration (--config.file=\"" + configFile + "\")\n", r.body());
      JsonNode groups = data("/api/v1/rules").get("groups");
      assertEquals(2, groups.size(), groups.toString());
      assertEquals("it-alerts", groups.get(0).get("name").asText());
      assertEquals("it-recording", groups.get(1).get("name").asText());
      assertTrue(ts.get("/metrics").body().contains(
          "\nprometheus_config_last_reload_successful 0"));
      assertFalse(data("/api/v1/status/runtimeinfo").get("reloadConfigSuccess").asBoolean());
      // The old rules keep evaluating.
      String before = groups.get(1).get("lastEvaluation").asText();
      await("another evaluation", () -> data("/api/v1/rules").get("groups").get(1)
          .get("lastEvaluation").asText(), t -> !t.equals(before));
    } finally {
      Files.delete(bad);
    }
    HttpResponse<String> r = reload();
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("", r.body());
    assertTrue(data("/api/v1/status/runtimeinfo").get("reloadConfigSuccess").asBoolean());

    // A config file that does not parse: Prometheus's other reload message, old config stays.
    String good = Files.readString(configFile);
    Files.writeString(configFile, good + "rule_files: [x]\n");
    try {
      r = reload();
      assertEquals(500, r.statusCode());
      assertTrue(r.body().startsWith("failed to reload config: couldn't load configuration"
          + " (--config.file=\"" + configFile + "\"): parsing YAML file " + configFile + ": "),
          r.body());
      assertEquals(2, data("/api/v1/rules").get("groups").size());
    } finally {
      Files.writeString(configFile, good);
    }
    assertEquals(200, reload().statusCode());
  }

  private static HttpResponse<String> reload() throws Exception {
    return ts.http.send(HttpRequest.newBuilder(URI.create(ts.base + "/-/reload"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(7)
  void refusesToStartWithABadRuleFile() throws Exception {
    Path d = dir.resolve("badstart");
    Files.createDirectories(d);
    Files.copy(resource("rules-bad/it-bad.yml"), d.resolve("it-bad.yml"));
    Path cfg = d.resolve("prometheus.yml");
    Files.writeString(cfg, "rule_files: [it-bad.yml]\n");
    ServerFlags flags = new ServerFlags();
    FlagSet.Parsed parsed = flags.set.parse(new String[] {"--web.listen-address=127.0.0.1:0",
        "--storage.tsdb.path=" + d.resolve("data"), "--config.file=" + cfg});
    ConfigException e = assertThrows(ConfigException.class,
        () -> TsdbServer.start(flags, parsed));
    assertEquals("one or more errors occurred while applying the new configuration"
        + " (--config.file=\"" + cfg + "\")", e.getMessage());

    // The packaged server exits with 1 and logs each problem with file:line and reason.
    Path jar = Path.of("target", "tsdb-server.jar").toAbsolutePath();
    assertTrue(Files.exists(jar), jar.toString());
    ProcessResult p = run(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString(), "--web.listen-address=127.0.0.1:0",
        "--storage.tsdb.path=" + d.resolve("data2"), "--config.file=" + cfg);
    assertEquals(1, p.code(), p.output());
    String file = d.resolve("it-bad.yml").toString();
    assertTrue(p.output().contains(file + ": 6:15: group \\\"it-bad\\\", rule 1,"), p.output());
    assertTrue(p.output().contains("unclosed left parenthesis"), p.output());
    assertTrue(p.output().contains(file + ": 7:17: group \\\"it-bad\\\", rule 2,"
        + " \\\"job:it_value:min\\\": invalid field 'annotations' in recording rule"),
        p.output());
  }
}
