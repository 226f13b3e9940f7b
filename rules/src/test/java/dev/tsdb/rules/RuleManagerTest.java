package dev.tsdb.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.rules.api.AlertSnapshot;
import dev.tsdb.rules.metrics.MeterValues;
import dev.tsdb.rules.metrics.RuleMetrics;
import dev.tsdb.gocompat.GoTimeFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class RuleManagerTest {
  static final long T0 = 1_700_000_000_000L;
  static final long MIN = 60_000L;

  @TempDir
  Path dir;

  final RuleTestSupport env = new RuleTestSupport();
  RuleManager m1;
  RuleManager m2;

  @AfterEach
  void close() {
    if (m1 != null) {
      m1.stop();
    }
    if (m2 != null) {
      m2.stop();
    }
  }

  static final String ALERT_AND_RECORD = """
      groups:
      - name: g
        interval: 1m
        rules:
        - record: r
          expr: sum(up)
        - alert: Down
          expr: up == 0
          for: 1h
      """;

  private void update(RuleManager m, Path... files) throws RuleLoadException {
    m.update(MIN, java.util.Arrays.stream(files).map(Path::toString).toList(), Labels.EMPTY, "");
  }

  @Test
  void reloadKeepsUnchangedGroupsAndCarriesAlertStateIntoChangedOnes() throws Exception {
    env.append(Labels.of("__name__", "up", "instance", "a"), T0 - 10_000, 0);
    Path f = RuleTestSupport.writeRules(dir, "a.yml", ALERT_AND_RECORD);
    m1 = new RuleManager(env.options());
    update(m1, f);
    Group g1 = m1.groups().get(0);
    g1.eval(T0);
    assertEquals(GoTimeFormat.jsonMillis(T0), m1.alertsSnapshot().get(0).activeAt());

    update(m1, f);
    assertSame(g1, m1.groups().get(0), "an unchanged group keeps running as is");

    Files.writeString(f, ALERT_AND_RECORD.replace("sum(up)", "count(up)"));
    update(m1, f);
    Group g2 = m1.groups().get(0);
    assertNotSame(g1, g2);
    assertTrue(g1.isStopped());
    List<AlertSnapshot> alerts = m1.alertsSnapshot();
    assertEquals(1, alerts.size());
    assertEquals(GoTimeFormat.jsonMillis(T0), alerts.get(0).activeAt(),
        "the for-state of an unchanged rule survives the reload");
    g2.eval(T0 + MIN);
    assertEquals(GoTimeFormat.jsonMillis(T0), m1.alertsSnapshot().get(0).activeAt());
    assertEquals("count(up)", g2.rules().get(0).query());
  }

  @Test
  void loadsRuleFilesFromPrometheusConfig() throws Exception {
    java.nio.file.Files.createDirectories(dir.resolve("rules"));
    RuleTestSupport.writeRules(dir.resolve("rules"), "a.yml", ALERT_AND_RECORD);
    RuleTestSupport.writeRules(dir.resolve("rules"), "b.yml", ALERT_AND_RECORD.replace(
        "name: g", "name: h").replace("interval: 1m", "query_offset: 5s"));
    Path cfgFile = dir.resolve("prometheus.yml");
    Files.writeString(cfgFile, """
        global:
          evaluation_interval: 15s
          rule_query_offset: 30s
          external_labels: {cluster: c1}
        rule_files: [rules/*.yml]
        """);
    dev.tsdb.rules.config.PrometheusConfig cfg = dev.tsdb.rules.config.ConfigLoader.load(cfgFile);
    m1 = new RuleManager(env.options());
    m1.update(cfg, "http://x");
    List<Group> gs = m1.groups();
    assertEquals(2, gs.size());
    assertEquals(dir.resolve("rules/a.yml").toString(), gs.get(0).file());
    assertEquals(60_000, gs.get(0).intervalMs());
    assertEquals(30_000, gs.get(0).queryOffsetMs(), "global rule_query_offset");
    assertEquals(15_000, gs.get(1).intervalMs(), "global evaluation_interval");
    assertEquals(5_000, gs.get(1).queryOffsetMs(), "group query_offset wins");
  }

  @Test
  void badReloadKeepsTheOldRules() throws Exception {
    Path f = RuleTestSupport.writeRules(dir, "a.yml", ALERT_AND_RECORD);
    m1 = new RuleManager(env.options());
    update(m1, f);
    Group g1 = m1.groups().get(0);
    Files.writeString(f, ALERT_AND_RECORD.replace("sum(up)", "sum(up"));
    RuleLoadException e = assertThrows(RuleLoadException.class, () -> update(m1, f));
    assertEquals(1, e.errors().size());
    assertTrue(e.errors().get(0).message().contains("could not parse expression"),
        e.errors().get(0).message());
    assertTrue(e.getMessage().startsWith("error loading rules, previous rule set restored"));
    assertSame(g1, m1.groups().get(0));
    assertTrue(!g1.isStopped());
    assertThrows(RuleLoadException.class, () -> update(m1, dir.resolve("missing.yml")));
    assertEquals(1, m1.groups().size());
  }

  @Test
  void removedGroupsSeriesBecomeStale() throws Exception {
    long now = System.currentTimeMillis();
    Path f = RuleTestSupport.writeRules(dir, "a.yml", """
        groups:
        - name: g
          interval: 1s
          rules:
          - record: one
            expr: vector(1)
        """);
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    m1 = new RuleManager(env.options().withMetrics(metrics));
    update(m1, f);
    String key = m1.groups().get(0).key();
    m1.groups().get(0).eval(now - 1_000);
    assertEquals(1.0, MeterValues.value(metrics, RuleMetrics.EVALUATIONS_TOTAL, Map.of("rule_group", key)));
    update(m1);
    assertTrue(m1.groups().isEmpty());
    assertTrue(Double.isNaN(MeterValues.value(metrics, RuleMetrics.EVALUATIONS_TOTAL,
        Map.of("rule_group", key))), "per-group metrics are removed with the group");
    long deadline = System.currentTimeMillis() + 10_000;
    List<double[]> pts;
    do {
      Thread.sleep(100);
      pts = env.raw(Matcher.eq("__name__", "one")).values().iterator().next();
    } while (pts.size() < 2 && System.currentTimeMillis() < deadline);
    assertEquals(2, pts.size(), "stale marker written two intervals after removal");
    assertTrue(RuleTestSupport.isStale(pts.get(1)[1]));
  }

  @Test
  void scheduledEvaluationUsesSlottedTimestamps() throws Exception {
    Path f = RuleTestSupport.writeRules(dir, "a.yml", """
        groups:
        - name: fast
          interval: 1s
          rules:
          - record: one
            expr: vector(1)
        """);
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    m1 = new RuleManager(env.options().withMetrics(metrics));
    update(m1, f);
    Group g = m1.groups().get(0);
    long offset = Math.floorMod(g.evalTimestamp(System.currentTimeMillis()), 1000);
    m1.start();
    long deadline = System.currentTimeMillis() + 10_000;
    List<double[]> pts = List.of();
    while (System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      var series = env.raw(Matcher.eq("__name__", "one"));
      if (!series.isEmpty()) {
        pts = series.values().iterator().next();
        if (pts.size() >= 3) {
          break;
        }
      }
    }
    assertTrue(pts.size() >= 3, "evaluated " + pts.size() + " times");
    for (int i = 0; i < pts.size(); i++) {
      assertEquals(offset, Math.floorMod((long) pts.get(i)[0], 1000));
      if (i > 0) {
        assertEquals(1000, (long) (pts.get(i)[0] - pts.get(i - 1)[0]));
      }
    }
    assertTrue(MeterValues.value(metrics, RuleMetrics.ITERATIONS_TOTAL, Map.of("rule_group", g.key())) >= 3);
    assertTrue(g.lastEvaluation() != null);
    m1.stop();
    int n = env.raw(Matcher.eq("__name__", "one")).values().iterator().next().size();
    Thread.sleep(1500);
    assertEquals(n, env.raw(Matcher.eq("__name__", "one")).values().iterator().next().size(),
        "no evaluation after stop");
  }

  private static final String LONG_FOR = """
      groups:
      - name: g
        interval: 1m
        rules:
        - alert: Down
          expr: up == 0
          for: 10m
      """;

  /** Runs the alert in manager 1 from T0 to T0+stopAfter, then returns manager 2's group. */
  private Group restartAfter(long stopAfter, long restartAt, long gracePeriod) throws Exception {
    Path f = RuleTestSupport.writeRules(dir, "a.yml", LONG_FOR);
    m1 = new RuleManager(env.options());
    update(m1, f);
    Group g1 = m1.groups().get(0);
    g1.restoreForState(T0);
    for (long t = T0; t <= T0 + stopAfter; t += MIN) {
      down(t);
      g1.eval(t);
    }
    m1.stop();
    down(restartAt);
    m2 = new RuleManager(env.options().withForState(3_600_000L, gracePeriod));
    update(m2, f);
    Group g2 = m2.groups().get(0);
    g2.eval(restartAt);
    g2.restoreForState(restartAt);
    return g2;
  }

  /** Keeps the alert condition true at {@code t}. */
  private void down(long t) throws Exception {
    env.append(Labels.of("__name__", "up", "instance", "a"), t - 10_000, 0);
  }

  @Test
  void forStateIsRestoredAfterRestart() throws Exception {
    // Pending for 4m before going down for 2m: 6m of the 10m remain, shifted by the outage.
    Group g2 = restartAfter(4 * MIN, T0 + 6 * MIN, MIN);
    AlertingRule rule = (AlertingRule) g2.rules().get(0);
    assertEquals(GoTimeFormat.jsonMillis(T0 + 2 * MIN), m2.alertsSnapshot().get(0).activeAt());
    down(T0 + 11 * MIN);
    g2.eval(T0 + 11 * MIN);
    assertEquals(AlertState.PENDING, rule.state());
    down(T0 + 12 * MIN);
    g2.eval(T0 + 12 * MIN);
    assertEquals(AlertState.FIRING, rule.state(), "fires 10m of pending time after T0+2m");
  }

  @Test
  void restoredAlertsWaitAtLeastTheGracePeriod() throws Exception {
    // 9m pending before the outage: only 1m remains, less than the 5m grace period.
    Group g2 = restartAfter(9 * MIN, T0 + 10 * MIN, 5 * MIN);
    assertEquals(GoTimeFormat.jsonMillis(T0 + 10 * MIN + 5 * MIN - 10 * MIN),
        m2.alertsSnapshot().get(0).activeAt());
    AlertingRule rule = (AlertingRule) g2.rules().get(0);
    down(T0 + 14 * MIN);
    g2.eval(T0 + 14 * MIN);
    assertEquals(AlertState.PENDING, rule.state());
    down(T0 + 15 * MIN);
    g2.eval(T0 + 15 * MIN);
    assertEquals(AlertState.FIRING, rule.state());
  }

  @Test
  void holdShorterThanGracePeriodIsNotRestored() throws Exception {
    Group g2 = restartAfter(4 * MIN, T0 + 6 * MIN, 20 * MIN);
    assertEquals(GoTimeFormat.jsonMillis(T0 + 6 * MIN), m2.alertsSnapshot().get(0).activeAt());
    assertTrue(((AlertingRule) g2.rules().get(0)).restored());
  }

  @Test
  void outagesLongerThanTheToleranceStartAfresh() throws Exception {
    Group g2 = restartAfter(4 * MIN, T0 + 4 * MIN + 2 * 3_600_000L, MIN);
    assertEquals(GoTimeFormat.jsonMillis(T0 + 4 * MIN + 2 * 3_600_000L),
        m2.alertsSnapshot().get(0).activeAt());
  }
}
