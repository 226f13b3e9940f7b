package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.api.ApiMetrics;
import dev.tsdb.rules.metrics.MetricsSink;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules' metrics as /metrics renders them: Prometheus's names, types and labels. */
class RulesMetricsSinkTest {
  @Test
  void rendersPrometheusNamesTypesAndLabels() {
    ApiMetrics api = new ApiMetrics();
    MetricsSink sink = new RulesMetricsSink(api.registry().getPrometheusRegistry());
    Map<String, String> g = Map.of("rule_group", "/r.yml;g");
    sink.counter("prometheus_rule_evaluations_total", "The total number of rule evaluations.", g)
        .inc(3);
    sink.gauge("prometheus_rule_group_last_duration_seconds",
        "The duration of the last rule group evaluation.", g).set(0.25);
    sink.summary("prometheus_rule_evaluation_duration_seconds",
        "The duration for a rule to execute.", Map.of()).observe(0.5);
    sink.gaugeFunction("prometheus_notifications_alertmanagers_discovered",
        "The number of alertmanagers discovered and active.", Map.of(), () -> 2);
    String text = api.scrape();
    assertTrue(text.contains("# TYPE prometheus_rule_evaluations_total counter\n"), text);
    assertTrue(text.contains(
        "prometheus_rule_evaluations_total{rule_group=\"/r.yml;g\"} 3.0\n"), text);
    assertTrue(text.contains("# TYPE prometheus_rule_group_last_duration_seconds gauge\n"), text);
    assertTrue(text.contains(
        "prometheus_rule_group_last_duration_seconds{rule_group=\"/r.yml;g\"} 0.25\n"), text);
    assertTrue(text.contains("# TYPE prometheus_rule_evaluation_duration_seconds summary\n"),
        text);
    assertTrue(text.contains(
        "prometheus_rule_evaluation_duration_seconds{quantile=\"0.99\"} 0.5\n"), text);
    assertTrue(text.contains("prometheus_rule_evaluation_duration_seconds_count 1\n"), text);
    assertTrue(text.contains("prometheus_notifications_alertmanagers_discovered 2.0\n"), text);

    sink.remove("prometheus_rule_evaluations_total", g);
    sink.remove("prometheus_notifications_alertmanagers_discovered", Map.of());
    text = api.scrape();
    assertFalse(text.contains("prometheus_rule_evaluations_total{"), text);
    assertFalse(text.contains("prometheus_notifications_alertmanagers_discovered 2"), text);
  }

  @Test
  void dropsAndQueueLengthAreSummedOverAlertmanagersAsPrometheusHasNoLabelThere() {
    ApiMetrics api = new ApiMetrics();
    MetricsSink sink = new RulesMetricsSink(api.registry().getPrometheusRegistry());
    Map<String, String> a = Map.of("alertmanager", "http://a/api/v2/alerts");
    Map<String, String> b = Map.of("alertmanager", "http://b/api/v2/alerts");
    sink.counter("prometheus_notifications_dropped_total", "drops", a).inc(2);
    sink.counter("prometheus_notifications_dropped_total", "drops", b).inc(3);
    sink.gauge("prometheus_notifications_queue_length", "queued", a).set(4);
    sink.gauge("prometheus_notifications_queue_length", "queued", b).set(5);
    sink.counter("prometheus_notifications_sent_total", "sent", a).inc(1);
    String text = api.scrape();
    assertTrue(text.contains("\nprometheus_notifications_dropped_total 5.0\n"), text);
    assertTrue(text.contains("\nprometheus_notifications_queue_length 9.0\n"), text);
    assertTrue(text.contains(
        "\nprometheus_notifications_sent_total{alertmanager=\"http://a/api/v2/alerts\"} 1.0\n"),
        text);
    sink.remove("prometheus_notifications_queue_length", b);
    sink.remove("prometheus_notifications_dropped_total", b);
    text = api.scrape();
    assertTrue(text.contains("\nprometheus_notifications_dropped_total 5.0\n"), text);
    assertTrue(text.contains("\nprometheus_notifications_queue_length 4.0\n"), text);
  }
}
