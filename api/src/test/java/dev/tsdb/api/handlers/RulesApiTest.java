package dev.tsdb.api.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.api.FixedStatus;
import dev.tsdb.api.StatusSource;
import dev.tsdb.api.WebHandler;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.engine.Engine;
import dev.tsdb.promql.engine.EngineOptions;
import dev.tsdb.promql.parser.Parser;
import dev.tsdb.rules.EngineQueryFunc;
import dev.tsdb.rules.Group;
import dev.tsdb.rules.RuleManager;
import dev.tsdb.rules.RuleManagerOptions;
import dev.tsdb.rules.config.ConfigLoader;
import dev.tsdb.rules.config.PrometheusConfig;
import dev.tsdb.rules.notifier.NotifierManager;
import dev.tsdb.testkit.MemStorage;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /api/v1/rules, /api/v1/alerts and /api/v1/alertmanagers over a real socket, backed by a real
 * rule manager (evaluated once, deterministically) and notifier.
 */
class RulesApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = 1_700_000_000_000L;

  @TempDir
  static Path dir;
  static RuleManager rules;
  static NotifierManager notifier;
  static Undertow undertow;
  static String base;
  static String file1;
  static String file2;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    MemStorage storage = new MemStorage();
    var app = storage.appender();
    app.append(0, Labels.of("__name__", "up", "job", "a"), NOW - 10_000, 1);
    app.append(0, Labels.of("__name__", "up", "job", "b"), NOW - 10_000, 0);
    app.commit();
    Path f1 = dir.resolve("a.yml");
    Files.writeString(f1, """
        groups:
          - name: first
            interval: 10s
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
                labels:
                  team: infra
              - alert: InstanceDown
                expr: up == 0
                for: 0s
                labels:
                  severity: page
                annotations:
                  summary: "{{ $labels.job }} is down ({{ $value }})"
          - name: second
            rules:
              - alert: Broken
                expr: up + on() group_left up
        """);
    Path f2 = dir.resolve("b.yml");
    Files.writeString(f2, """
        groups:
          - name: third
            limit: 5
            rules:
              - record: up:count
                expr: count(up)
        """);
    file1 = f1.toString();
    file2 = f2.toString();
    Engine engine = new Engine(EngineOptions.DEFAULT, Parser::parseExpr);
    rules = new RuleManager(RuleManagerOptions.of(storage, storage,
        EngineQueryFunc.of(engine, storage, QueryOptions.DEFAULT)).withClock(() -> NOW));
    PrometheusConfig cfg = ConfigLoader.parse("""
        rule_files: [a.yml, b.yml]
        alerting:
          alertmanagers:
            - static_configs:
                - targets: ['127.0.0.1:1', 'drop.me:2']
              relabel_configs:
                - source_labels: [__address__]
                  regex: drop.*
                  action: drop
        """, "prometheus.yml", dir);
    rules.update(cfg, "http://tsdb.example:9090");
    for (Group g : rules.groups()) {
      g.eval(NOW);
    }
    notifier = new NotifierManager(NotifierManager.Options.DEFAULT);
    notifier.applyConfig(cfg);
    StatusSource status = new FixedStatus("", Map.of(), "");
    WebHandler web = WebHandler.builder().storage(storage).engine(engine)
        .selectorParser(Parser::parseMetricSelector).status(status)
        .rules(rules, notifier).build();
    web.readiness().markReady();
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(web.handler())
        .build();
    undertow.start();
    base = "http://127.0.0.1:"
        + ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  @AfterAll
  static void stop() {
    undertow.stop();
    rules.stop();
    notifier.stop();
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode data(String pathAndQuery) throws Exception {
    HttpResponse<String> r = get(pathAndQuery);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode n = JSON.readTree(r.body());
    assertEquals("success", n.get("status").asText());
    return n.get("data");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** group name -> rule names, in answer order. */
  private static List<String> shape(JsonNode data) {
    List<String> out = new ArrayList<>();
    for (JsonNode g : data.get("groups")) {
      StringBuilder sb = new StringBuilder(g.get("name").asText()).append(':');
      for (JsonNode r : g.get("rules")) {
        sb.append(' ').append(r.get("name").asText());
      }
      out.add(sb.toString());
    }
    return out;
  }

  @Test
  void listsGroupsAndRulesAsPrometheusDoes() throws Exception {
    HttpResponse<String> r = get("/api/v1/rules");
    assertEquals(200, r.statusCode());
    JsonNode data = JSON.readTree(r.body()).get("data");
    assertEquals(List.of("first: job:up:sum InstanceDown", "second: Broken", "third: up:count"),
        shape(data));
    JsonNode first = data.get("groups").get(0);
    assertEquals(file1, first.get("file").asText());
    assertEquals(10, first.get("interval").asInt());
    assertEquals(0, first.get("limit").asInt());
    assertTrue(first.get("lastEvaluation").asText()
        .matches("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z"), first.toString());
    assertEquals(5, data.get("groups").get(2).get("limit").asInt());
    assertEquals(60, data.get("groups").get(1).get("interval").asInt());

    JsonNode rec = first.get("rules").get(0);
    assertEquals("sum by (job) (up)", rec.get("query").asText());
    assertEquals("infra", rec.get("labels").get("team").asText());
    assertEquals("ok", rec.get("health").asText());
    assertEquals("recording", rec.get("type").asText());
    assertFalse(rec.has("lastError"));

    JsonNode alert = first.get("rules").get(1);
    assertEquals("firing", alert.get("state").asText());
    assertEquals("up == 0", alert.get("query").asText());
    assertEquals(0, alert.get("duration").asInt());
    assertEquals("page", alert.get("labels").get("severity").asText());
    assertEquals("{{ $labels.job }} is down ({{ $value }})",
        alert.get("annotations").get("summary").asText());
    JsonNode a = alert.get("alerts").get(0);
    assertEquals(Map.of("alertname", "InstanceDown", "job", "b",
        "severity", "page"), JSON.convertValue(a.get("labels"), Map.class));
    assertEquals("b is down (0)", a.get("annotations").get("summary").asText());
    assertEquals("firing", a.get("state").asText());
    assertEquals("0e+00", a.get("value").asText());
    assertEquals("2023-11-14T22:13:20Z", a.get("activeAt").asText());
    assertFalse(a.has("keepFiringSince"));

    JsonNode broken = data.get("groups").get(1).get("rules").get(0);
    assertEquals("err", broken.get("health").asText());
    assertTrue(broken.get("lastError").asText().contains("duplicate series"),
        broken.toString());

    // Field order and number formats are Prometheus's.
    String body = r.body();
    assertTrue(body.startsWith("{\"status\":\"success\",\"data\":{\"groups\":[{\"name\":\"first\","
        + "\"file\":" + JSON.writeValueAsString(file1) + ",\"rules\":[{\"name\":\"job:up:sum\","
        + "\"query\":\"sum by (job) (up)\",\"labels\":{\"team\":\"infra\"},\"health\":\"ok\","
        + "\"evaluationTime\":"), body);
    assertTrue(body.contains("{\"state\":\"firing\",\"name\":\"InstanceDown\",\"query\":"
        + "\"up == 0\",\"duration\":0,\"keepFiringFor\":0,\"labels\":{\"severity\":\"page\"},"
        + "\"annotations\":{\"summary\":\"{{ $labels.job }} is down ({{ $value }})\"},"
        + "\"alerts\":[{\"labels\":{\"alertname\":\"InstanceDown\","
        + "\"job\":\"b\",\"severity\":\"page\"},\"annotations\":{\"summary\":"
        + "\"b is down (0)\"},\"state\":\"firing\",\"activeAt\":\"2023-11-14T22:13:20Z\","
        + "\"value\":\"0e+00\"}],\"health\":\"ok\",\"evaluationTime\":"), body);
    assertTrue(body.matches(".*\"interval\":10,\"limit\":0,\"evaluationTime\":[0-9.e-]+,"
        + "\"lastEvaluation\":\"[0-9T:.-]+Z\"}.*"), body);
    assertFalse(body.contains("groupNextToken"));
  }

  @Test
  void filtersByTypeNameGroupFileAndLabels() throws Exception {
    assertEquals(List.of("first: job:up:sum", "third: up:count"),
        shape(data("/api/v1/rules?type=record")));
    assertEquals(List.of("first: InstanceDown", "second: Broken"),
        shape(data("/api/v1/rules?type=ALERT")));
    assertEquals(List.of("first: InstanceDown", "third: up:count"),
        shape(data("/api/v1/rules?rule_name[]=InstanceDown&rule_name[]=up:count")));
    assertEquals(List.of("second: Broken", "third: up:count"),
        shape(data("/api/v1/rules?rule_group[]=second&rule_group[]=third")));
    assertEquals(List.of("third: up:count"),
        shape(data("/api/v1/rules?file[]=" + enc(file2))));
    assertEquals(List.of("first: InstanceDown"),
        shape(data("/api/v1/rules?match[]=" + enc("{severity=\"page\"}"))));
    assertEquals(List.of("first: job:up:sum InstanceDown"),
        shape(data("/api/v1/rules?match[]=" + enc("{severity=\"page\"}") + "&match[]="
            + enc("{team=~\"inf.*\"}"))));
    assertEquals(List.of(), shape(data("/api/v1/rules?type=record&rule_group[]=second")));
  }

  @Test
  void excludeAlertsLeavesAlertsNull() throws Exception {
    String body = get("/api/v1/rules?exclude_alerts=true&type=alert&rule_group[]=first").body();
    assertTrue(body.contains("\"alerts\":null,\"health\""), body);
    assertTrue(get("/api/v1/rules?exclude_alerts=0").body().contains("\"alerts\":[{"));
  }

  @Test
  void paginatesWithGroupLimitAndToken() throws Exception {
    JsonNode page1 = data("/api/v1/rules?group_limit=2");
    assertEquals(List.of("first: job:up:sum InstanceDown", "second: Broken"), shape(page1));
    String token = page1.get("groupNextToken").asText();
    assertEquals(40, token.length());
    JsonNode page2 = data("/api/v1/rules?group_limit=2&group_next_token=" + token);
    assertEquals(List.of("third: up:count"), shape(page2));
    assertFalse(page2.has("groupNextToken"));
  }

  @Test
  void rejectsBadParametersWithPrometheusMessages() throws Exception {
    assertError("/api/v1/rules?type=x", "invalid parameter \"type\": not supported value \"x\"");
    assertError("/api/v1/rules?exclude_alerts=maybe", "invalid parameter \"exclude_alerts\": "
        + "error converting exclude_alerts: strconv.ParseBool: parsing \"maybe\": invalid syntax");
    assertError("/api/v1/rules?group_next_token=abc", "invalid parameter \"group_next_token\": "
        + "group_limit needs to be present in order to paginate over the groups");
    assertError("/api/v1/rules?group_limit=0",
        "invalid parameter \"group_limit\": group_limit needs to be greater than 0");
    assertError("/api/v1/rules?group_limit=x", "invalid parameter \"group_limit\": group_limit"
        + " needs to be a valid number: strconv.ParseInt: parsing \"x\": invalid syntax");
    assertError("/api/v1/rules?group_limit=2147483648", "invalid parameter \"group_limit\": "
        + "group_limit needs to be a valid number: strconv.ParseInt: parsing \"2147483648\": "
        + "value out of range");
    assertError("/api/v1/rules?group_limit=" + enc("\"x\""), "invalid parameter \"group_limit\": "
        + "group_limit needs to be a valid number: strconv.ParseInt: parsing \"\\\"x\\\"\": "
        + "invalid syntax");
    assertError("/api/v1/rules?group_limit=1&group_next_token=abc",
        "invalid parameter \"group_next_token\": invalid group_next_token 'abc'. were rule"
            + " groups changed?");
    assertError("/api/v1/rules?match[]=" + enc("{a=\"\"}"),
        "match[] must contain at least one non-empty matcher");
  }

  private static void assertError(String path, String message) throws Exception {
    HttpResponse<String> r = get(path);
    assertEquals(400, r.statusCode(), r.body());
    JsonNode n = JSON.readTree(r.body());
    assertEquals("bad_data", n.get("errorType").asText());
    assertEquals(message, n.get("error").asText());
  }

  @Test
  void alertsListsActiveAlerts() throws Exception {
    String body = get("/api/v1/alerts").body();
    assertEquals("{\"status\":\"success\",\"data\":{\"alerts\":[{\"labels\":{"
        + "\"alertname\":\"InstanceDown\",\"job\":\"b\",\"severity\":\"page\"},\"annotations\":"
        + "{\"summary\":\"b is down (0)\"},\"state\":\"firing\",\"activeAt\":"
        + "\"2023-11-14T22:13:20Z\",\"value\":\"0e+00\"}]}}", body);
  }

  @Test
  void alertmanagersListsActiveAndDropped() throws Exception {
    assertEquals("{\"status\":\"success\",\"data\":{\"activeAlertmanagers\":[{\"url\":"
            + "\"http://127.0.0.1:1/api/v2/alerts\"}],\"droppedAlertmanagers\":[{\"url\":"
            + "\"http://drop.me:2/api/v2/alerts\"}]}}",
        get("/api/v1/alertmanagers").body());
  }
}
