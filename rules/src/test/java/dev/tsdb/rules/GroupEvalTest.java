package dev.tsdb.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.rules.api.AlertSnapshot;
import dev.tsdb.rules.api.AlertingRuleSnapshot;
import dev.tsdb.rules.api.RecordingRuleSnapshot;
import dev.tsdb.rules.api.RuleGroupSnapshot;
import dev.tsdb.rules.metrics.MeterValues;
import dev.tsdb.rules.metrics.RuleMetrics;
import dev.tsdb.rules.notifier.NotifierAlert;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class GroupEvalTest {
  static final long T0 = 1_700_000_000_000L;

  @TempDir
  Path dir;

  final RuleTestSupport env = new RuleTestSupport();
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  final List<NotifierAlert> sent = Collections.synchronizedList(new ArrayList<>());
  RuleManager manager;

  @AfterEach
  void close() {
    if (manager != null) {
      manager.stop();
    }
  }

  private Group load(String yaml) throws Exception {
    Path f = RuleTestSupport.writeRules(dir, "rules.yml", yaml);
    manager = new RuleManager(env.options().withMetrics(metrics).withSender(sent::addAll));
    manager.update(60_000, List.of(f.toString()), Labels.of("cluster", "eu1"),
        "http://prom.example:9090");
    return manager.groups().get(0);
  }

  private void seedUp() throws Exception {
    env.append(Labels.of("__name__", "up", "job", "api", "instance", "a"), T0 - 10_000, 1);
    env.append(Labels.of("__name__", "up", "job", "api", "instance", "b"), T0 - 10_000, 0);
    env.append(Labels.of("__name__", "up", "job", "db", "instance", "c"), T0 - 10_000, 1);
  }

  @Test
  void recordingRulesSeeEarlierResultsOfTheSameEvaluation() throws Exception {
    seedUp();
    Group g = load("""
        groups:
        - name: rec
          interval: 10s
          rules:
          - record: job:up:sum
            expr: sum by (job) (up)
            labels: {source: rule}
          - record: job:up:double
            expr: job:up:sum * 2
        """);
    g.eval(T0);
    Map<Labels, List<double[]>> sums = env.raw(Matcher.eq("__name__", "job:up:sum"));
    assertEquals(2, sums.size());
    List<double[]> api = sums.get(Labels.of("__name__", "job:up:sum", "job", "api",
        "source", "rule"));
    assertEquals(T0, (long) api.get(0)[0]);
    assertEquals(1, api.get(0)[1]);
    Map<Labels, List<double[]>> doubled = env.raw(Matcher.eq("__name__", "job:up:double"));
    assertEquals(2.0, doubled.get(Labels.of("__name__", "job:up:double", "job", "db",
        "source", "rule")).get(0)[1]);
    for (Rule r : g.rules()) {
      assertEquals(RuleHealth.GOOD, r.health());
      assertNull(r.lastError());
      assertTrue(r.evaluationTimestamp() != null);
    }
    assertEquals(2, MeterValues.value(metrics, RuleMetrics.EVALUATIONS_TOTAL,
        Map.of("rule_group", g.key())));
    assertEquals(4, MeterValues.value(metrics, RuleMetrics.GROUP_SAMPLES, Map.of("rule_group", g.key())));
  }

  @Test
  void seriesThatDisappearGetStaleMarkers() throws Exception {
    seedUp();
    Group g = load("""
        groups:
        - name: rec
          interval: 10s
          rules:
          - record: job:up:positive
            expr: sum by (job) (up) > 0
        """);
    g.eval(T0);
    env.append(Labels.of("__name__", "up", "job", "db", "instance", "c"), T0 + 5_000, 0);
    g.eval(T0 + 10_000);
    Map<Labels, List<double[]>> res = env.raw(Matcher.eq("__name__", "job:up:positive"));
    List<double[]> db = res.get(Labels.of("__name__", "job:up:positive", "job", "db"));
    assertEquals(2, db.size());
    assertEquals(T0 + 10_000, (long) db.get(1)[0]);
    assertTrue(RuleTestSupport.isStale(db.get(1)[1]));
    List<double[]> api = res.get(Labels.of("__name__", "job:up:positive", "job", "api"));
    assertEquals(1.0, api.get(1)[1]);
  }

  @Test
  void limitDiscardsAllSamplesAndFailsTheRule() throws Exception {
    seedUp();
    Group g = load("""
        groups:
        - name: limited
          interval: 10s
          limit: 1
          rules:
          - record: job:up:sum
            expr: sum by (job) (up)
          - alert: TooMany
            expr: up
        """);
    g.restoreForState(T0);
    g.eval(T0);
    assertTrue(env.raw(Matcher.eq("__name__", "job:up:sum")).isEmpty());
    assertEquals(RuleHealth.BAD, g.rules().get(0).health());
    assertEquals("exceeded limit of 1 with 2 series", g.rules().get(0).lastError());
    assertEquals("exceeded limit of 1 with 3 alerts", g.rules().get(1).lastError());
    assertTrue(env.raw(Matcher.eq("__name__", "ALERTS")).isEmpty());
    assertEquals(2, MeterValues.value(metrics, RuleMetrics.EVALUATION_FAILURES,
        Map.of("rule_group", g.key())));
  }

  @Test
  void evaluationFailuresAreReportedAndDoNotStopTheGroup() throws Exception {
    seedUp();
    Group g = load("""
        groups:
        - name: g
          interval: 10s
          rules:
          - record: bad
            expr: '"a string"'
          - record: dup
            expr: up
            labels: {instance: x}
          - record: good
            expr: count(up)
        """);
    g.eval(T0);
    assertEquals(RuleHealth.BAD, g.rules().get(0).health());
    assertEquals("rule result is not a vector or scalar", g.rules().get(0).lastError());
    assertEquals("vector contains metrics with the same labelset after applying rule labels",
        g.rules().get(1).lastError());
    assertEquals(RuleHealth.GOOD, g.rules().get(2).health());
    assertEquals(3.0, env.raw(Matcher.eq("__name__", "good")).values().iterator().next()
        .get(0)[1]);
    RuleGroupSnapshot snap = manager.ruleGroupsSnapshot().get(0);
    RecordingRuleSnapshot bad = (RecordingRuleSnapshot) snap.rules().get(0);
    assertEquals("err", bad.health());
    assertEquals("rule result is not a vector or scalar", bad.lastError());
    assertEquals("\"a string\"", bad.query());
    assertEquals("ok", snap.rules().get(2).health());
    assertEquals(10.0, snap.interval());
  }

  @Test
  void queryOffsetShiftsEvaluationAndSampleTimes() throws Exception {
    env.append(Labels.of("__name__", "m"), T0 - 60_000, 5);
    env.append(Labels.of("__name__", "m"), T0, 7);
    Group g = load("""
        groups:
        - name: off
          interval: 10s
          query_offset: 1m
          rules:
          - record: m:copy
            expr: m
        """);
    g.eval(T0);
    List<double[]> pts = env.raw(Matcher.eq("__name__", "m:copy")).values().iterator().next();
    assertEquals(T0 - 60_000, (long) pts.get(0)[0]);
    assertEquals(5.0, pts.get(0)[1]);
  }

  @Test
  void alertLifecycleWithForKeepFiringForAndNotifications() throws Exception {
    seedUp();
    Group g = load("""
        groups:
        - name: alerts
          interval: 10s
          rules:
          - alert: InstanceDown
            expr: up == 0
            for: 20s
            keep_firing_for: 10s
            labels:
              severity: page
              instance_copy: "{{ $labels.instance }}"
            annotations:
              summary: "{{ $labels.instance }} of {{ $labels.job }} down ({{ $value }}) in {{ $externalLabels.cluster }}"
        """);
    AlertingRule rule = (AlertingRule) g.rules().get(0);
    assertEquals(AlertState.UNKNOWN, rule.state());
    g.restoreForState(T0);
    g.eval(T0);
    assertEquals(AlertState.PENDING, rule.state());
    Labels alertLabels = Labels.of("__name__", "ALERTS", "alertname", "InstanceDown",
        "alertstate", "pending", "instance", "b", "job", "api", "severity", "page",
        "instance_copy", "b");
    assertEquals(1.0, env.raw(Matcher.eq("__name__", "ALERTS")).get(alertLabels).get(0)[1]);
    Labels forState = alertLabels.without("alertstate").toBuilder()
        .set("__name__", "ALERTS_FOR_STATE").build();
    assertEquals(T0 / 1000.0,
        env.raw(Matcher.eq("__name__", "ALERTS_FOR_STATE")).get(forState).get(0)[1]);
    AlertSnapshot pending = manager.alertsSnapshot().get(0);
    assertEquals("pending", pending.state());
    assertEquals("b of api down (0) in eu1", pending.annotations().get("summary"));
    assertEquals("0e+00", pending.value());
    assertTrue(sent.isEmpty(), "pending alerts are not sent");

    g.eval(T0 + 10_000);
    assertEquals(AlertState.PENDING, rule.state());
    g.eval(T0 + 20_000);
    assertEquals(AlertState.FIRING, rule.state());
    assertEquals(1, sent.size());
    NotifierAlert n = sent.get(0);
    assertEquals(T0 + 20_000, n.startsAtMs());
    assertEquals(T0 + 20_000 + 4 * 60_000, n.endsAtMs());
    assertEquals("http://prom.example:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1",
        n.generatorUrl());
    assertEquals("b", n.labels().get("instance_copy"));
    assertEquals("InstanceDown", n.labels().get("alertname"));

    // The condition clears: keep_firing_for keeps it firing for one more interval.
    env.append(Labels.of("__name__", "up", "job", "api", "instance", "b"), T0 + 25_000, 1);
    g.eval(T0 + 30_000);
    assertEquals(AlertState.FIRING, rule.state());
    AlertSnapshot kept = manager.alertsSnapshot().get(0);
    assertEquals("firing", kept.state());
    assertEquals("2023-11-14T22:13:50Z", kept.keepFiringSince());
    assertEquals(1, sent.size(), "resend delay not yet passed");

    g.eval(T0 + 40_000);
    assertEquals(AlertState.INACTIVE, rule.state());
    assertTrue(manager.alertsSnapshot().isEmpty());
    assertEquals(2, sent.size());
    assertEquals(T0 + 40_000, sent.get(1).endsAtMs(), "resolved alerts end at resolution");
    Map<Labels, List<double[]>> alerts = env.raw(Matcher.eq("__name__", "ALERTS"),
        Matcher.eq("alertstate", "firing"));
    List<double[]> firing = alerts.values().iterator().next();
    assertTrue(RuleTestSupport.isStale(firing.get(firing.size() - 1)[1]));
    assertEquals(T0 + 40_000, (long) firing.get(firing.size() - 1)[0]);

    // Resolved alerts are re-sent after the resend delay, and forgotten after 15 minutes.
    g.eval(T0 + 110_000);
    assertEquals(3, sent.size());
    assertEquals(1, rule.activeCount());
    g.eval(T0 + 40_000 + 15 * 60_000 + 10_000);
    assertEquals(0, rule.activeCount());

    AlertingRuleSnapshot rs = (AlertingRuleSnapshot) manager.ruleGroupsSnapshot().get(0)
        .rules().get(0);
    assertEquals("inactive", rs.state());
    assertEquals(20.0, rs.duration());
    assertEquals(10.0, rs.keepFiringFor());
    assertEquals("{{ $labels.instance }}", rs.labels().get("instance_copy"));
    assertEquals("up == 0", rs.query());
    assertEquals("alerting", rs.type());
  }

  @Test
  void alertsAreNotWrittenBeforeRestoration() throws Exception {
    seedUp();
    Group g = load("""
        groups:
        - name: alerts
          interval: 10s
          rules:
          - alert: Down
            expr: up == 0
        """);
    g.eval(T0);
    assertTrue(env.raw(Matcher.eq("__name__", "ALERTS")).isEmpty());
    assertEquals(AlertState.FIRING, ((AlertingRule) g.rules().get(0)).state());
    g.restoreForState(T0 + 5_000);
    g.eval(T0 + 10_000);
    assertFalse(env.raw(Matcher.eq("__name__", "ALERTS")).isEmpty());
  }

  @Test
  void duplicateAlertLabelSetsFail() throws Exception {
    seedUp();
    Group g = load("""
        groups:
        - name: alerts
          interval: 10s
          rules:
          - alert: Dup
            expr: up
            labels:
              instance: same
        """);
    g.eval(T0);
    assertEquals("vector contains metrics with the same labelset after applying alert labels",
        g.rules().get(0).lastError());
  }

  @Test
  void templateExpansionMetrics() throws Exception {
    seedUp();
    Group g = load("""
        groups:
        - name: alerts
          interval: 10s
          rules:
          - alert: T
            expr: up == 0
            labels: {ok: "{{ $labels.job }}"}
            annotations: {bad: '{{ query "up" | first | label "x" | humanize }}'}
        """);
    g.eval(T0);
    assertEquals(2.0, MeterValues.value(metrics, RuleMetrics.TEMPLATE_EXPANSIONS, Map.of()));
    assertEquals(1.0, MeterValues.value(metrics, RuleMetrics.TEMPLATE_FAILURES, Map.of()));
    assertTrue(manager.alertsSnapshot().get(0).annotations().get("bad")
        .startsWith("<error expanding template: "));
  }

  @Test
  void evalTimestampIsSlottedByGroupHash() throws Exception {
    Group g = load("""
        groups:
        - name: slot
          interval: 10s
          rules:
          - record: x
            expr: vector(1)
        """);
    long offset = Long.remainderUnsigned(g.hash(), 10_000_000_000L) / 1_000_000;
    for (long now : new long[] {T0, T0 + 1, T0 + 9_999, T0 + 123_456}) {
      long ts = g.evalTimestamp(now);
      assertTrue(ts <= now && ts > now - 10_000, "ts " + ts + " now " + now);
      assertEquals(offset, Math.floorMod(ts, 10_000));
    }
  }
}
