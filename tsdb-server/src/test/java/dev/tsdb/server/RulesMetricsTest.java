package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.api.ApiMetrics;
import dev.tsdb.rules.metrics.RuleMetrics;
import dev.tsdb.rules.notifier.NotifierMetrics;
import org.junit.jupiter.api.Test;

/**
 * The rules' metrics as the server's /metrics renders them (its Micrometer Prometheus registry):
 * Prometheus's names, types and labels.
 */
class RulesMetricsTest {
  @Test
  void rendersPrometheusNamesTypesAndLabels() {
    ApiMetrics api = new ApiMetrics();
    RuleMetrics rules = new RuleMetrics(api.registry());
    RuleMetrics.GroupMetrics g = rules.group("/r.yml;g");
    g.evalTotal.increment(3);
    g.lastDuration.set(0.25);
    rules.evalDuration.record(0.5);
    new NotifierMetrics(api.registry(), 10, () -> 2);
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
    assertFalse(text.contains("prometheus_rule_evaluations_total_total"), text);

    rules.removeGroup("/r.yml;g");
    text = api.scrape();
    assertFalse(text.contains("prometheus_rule_evaluations_total{"), text);
    assertFalse(text.contains("prometheus_rule_group_last_duration_seconds{"), text);
  }

  @Test
  void dropsAndQueueLengthAreSummedOverAlertmanagersAsPrometheusHasNoLabelThere() {
    ApiMetrics api = new ApiMetrics();
    NotifierMetrics m = new NotifierMetrics(api.registry(), 10, () -> 2);
    NotifierMetrics.PerAlertmanager a = m.forAlertmanager("http://a/api/v2/alerts");
    NotifierMetrics.PerAlertmanager b = m.forAlertmanager("http://b/api/v2/alerts");
    a.dropped.increment(2);
    b.dropped.increment(3);
    a.queueLength.set(4);
    b.queueLength.set(5);
    a.sent.increment(1);
    String text = api.scrape();
    assertTrue(text.contains("\nprometheus_notifications_dropped_total 5.0\n"), text);
    assertTrue(text.contains("\nprometheus_notifications_queue_length 9.0\n"), text);
    assertTrue(text.contains(
        "\nprometheus_notifications_sent_total{alertmanager=\"http://a/api/v2/alerts\"} 1.0\n"),
        text);
    m.remove("http://b/api/v2/alerts");
    text = api.scrape();
    assertTrue(text.contains("\nprometheus_notifications_dropped_total 5.0\n"), text);
    assertTrue(text.contains("\nprometheus_notifications_queue_length 4.0\n"), text);
  }
}
