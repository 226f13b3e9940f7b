package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.labels.Labels;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana overview dashboard only uses metrics our /metrics really exports: every PromQL
 * target and variable query is parsed by the server itself (/api/v1/parse_query) and each
 * selector's metric name is looked up in a scrape of a running server.
 */
class GrafanaDashboardTest {
  static final Path GRAFANA = Path.of("..", "grafana");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Metrics the dashboard may use although a fresh server does not export them yet. Empty today:
   * the storage metrics are registered when the server starts, before anything is written.
   */
  private static final Set<String> ALLOWED_MISSING = Set.of();

  @TempDir
  Path dir;

  @Test
  void everyMetricTheDashboardQueriesIsExported() throws Exception {
    JsonNode dash = JSON.readTree(GRAFANA.resolve("dashboards/tsdb-overview.json").toFile());
    assertEquals("tsdb-overview", dash.get("uid").asText());
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dash.get("panels")) {
      if (panel.get("type").asText().equals("row")) {
        continue;
      }
      assertEquals("${datasource}", panel.at("/datasource/uid").asText(),
          panel.get("title").asText());
      assertTrue(panel.get("targets").size() > 0, panel.get("title").asText());
      for (JsonNode t : panel.get("targets")) {
        exprs.add(t.get("expr").asText());
      }
    }
    for (JsonNode v : dash.at("/templating/list")) {
      if (v.get("type").asText().equals("query")) {
        exprs.add(v.at("/query/query").asText());
      }
    }
    assertTrue(exprs.size() > 30, "targets: " + exprs.size());

    // A remote_write queue (to a closed port) that drops "m" by relabelling, so the forwarding
    // metrics exist, the per-reason dropped counter too.
    Files.writeString(dir.resolve("prometheus.yml"), "remote_write:\n"
        + "  - url: http://127.0.0.1:1/api/v1/write\n    name: grafana\n"
        + "    write_relabel_configs: [{source_labels: [__name__], regex: m, action: drop}]\n");
    try (TestServer ts = new TestServer(dir)) {
      for (int i = 0; i < 100 && !exportedNames(ts).contains("prometheus_remote_storage_shards");
          i++) {
        Thread.sleep(100); // the queues start once the WAL is open
      }
      // Traffic that makes the lazily created meters appear: a write, a query, a GC.
      assertEquals(204, ts.write(PromPb.writeRequest(List.of(PromPb.Series.of(
          Labels.of("__name__", "m", "job", "j"), new long[] {System.currentTimeMillis()},
          new double[] {1})), List.of())).statusCode());
      assertEquals(200, ts.get("/api/v1/query?query=m").statusCode());
      Set<String> exported = exportedNames(ts);
      String text = ts.get("/metrics").body();
      assertTrue(text.contains("prometheus_tsdb_head_samples_appended_total{type=\"float\"} 1.0\n"),
          text);
      assertTrue(text.contains("prometheus_tsdb_head_series 1.0\n"), text);
      assertTrue(text.contains("prometheus_tsdb_head_series_created_total 1\n"), text);
      for (int i = 0; i < 50
          && !exported.contains("prometheus_remote_storage_samples_dropped_total"); i++) {
        Thread.sleep(100); // the queue reads the write from the WAL
        exported = exportedNames(ts);
      }
      for (int i = 0; i < 50 && !exported.contains("jvm_gc_pause_seconds_count"); i++) {
        System.gc(); // the GC meters register on the first collection the JVM reports
        Thread.sleep(100);
        exported = exportedNames(ts);
      }

      Set<String> used = new TreeSet<>();
      for (String expr : exprs) {
        used.addAll(metricNames(ts, expr));
      }
      assertTrue(used.contains("prometheus_tsdb_head_series"), used.toString());
      List<String> missing = new ArrayList<>();
      for (String name : used) {
        if (!exported.contains(name) && !ALLOWED_MISSING.contains(name)) {
          missing.add(name);
        }
      }
      assertEquals(List.of(), missing, "dashboard metrics not on /metrics");
    }
  }

  @Test
  void provisioningPointsAtTheDashboards() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode p = yaml.readTree(GRAFANA.resolve("provisioning/dashboards/tsdb.yaml").toFile());
    assertEquals(1, p.get("apiVersion").asInt());
    JsonNode provider = p.get("providers").get(0);
    assertEquals("file", provider.get("type").asText());
    assertFalse(provider.at("/options/path").asText().isEmpty());
    JsonNode ds = yaml.readTree(GRAFANA.resolve("provisioning/datasources/tsdb.yaml").toFile());
    assertEquals("prometheus", ds.at("/datasources/0/type").asText());
    assertTrue(Files.exists(GRAFANA.resolve("dashboards/tsdb-overview.json")));
  }

  /** Family and sample names of a /metrics scrape (so both x and x_bucket are found). */
  static Set<String> exportedNames(TestServer ts) throws Exception {
    HttpResponse<String> r = ts.get("/metrics");
    assertEquals(200, r.statusCode());
    Set<String> names = new TreeSet<>();
    for (String line : r.body().split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      names.add(line.substring(0, end));
    }
    return names;
  }

  private static final Pattern LABEL_VALUES =
      Pattern.compile("^label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\)$");

  /** Metric names of an expression's selectors, as our parser sees them. */
  static Set<String> metricNames(TestServer ts, String grafanaExpr) throws Exception {
    String expr = grafanaExpr;
    Matcher lv = LABEL_VALUES.matcher(expr);
    if (lv.matches()) {
      expr = lv.group(1);
    }
    // Grafana's interval variables become durations, others (inside matchers) regexes.
    expr = expr.replaceAll("\\$__(rate_interval|interval|range)", "1m")
        .replaceAll("\\$\\{?[A-Za-z_][A-Za-z0-9_]*(:[a-z]+)?\\}?", ".+");
    HttpResponse<String> r = ts.get("/api/v1/parse_query?query=" + TestServer.enc(expr));
    assertEquals(200, r.statusCode(), grafanaExpr + " -> " + r.body());
    Set<String> names = new TreeSet<>();
    collect(JSON.readTree(r.body()).get("data"), names);
    assertFalse(names.isEmpty(), grafanaExpr);
    return names;
  }

  private static void collect(JsonNode n, Set<String> names) {
    if (n.isObject()) {
      String type = n.path("type").asText();
      if ((type.equals("vectorSelector") || type.equals("matrixSelector"))
          && !n.path("name").asText().isEmpty()) {
        names.add(n.get("name").asText());
      }
      n.elements().forEachRemaining(c -> collect(c, names));
    } else if (n.isArray()) {
      n.forEach(c -> collect(c, names));
    }
  }
}
