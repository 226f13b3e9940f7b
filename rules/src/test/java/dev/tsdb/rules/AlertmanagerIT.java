package dev.tsdb.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.rules.config.AlertingConfig;
import dev.tsdb.rules.config.AlertmanagerConfig;
import dev.tsdb.rules.notifier.NotifierManager;
import dev.tsdb.testkit.reference.Alertmanager;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * End to end with the reference Alertmanagers (0.25 beside Prometheus 2.42, 0.33 beside
 * 3.5): an alerting rule on real storage and the real engine fires after its {@code for}, the
 * alert with expanded labels and annotations shows up in Alertmanager's {@code /api/v2/alerts},
 * and disappears once the condition clears.
 */
class AlertmanagerIT {
  /** Everything to a receiver that does nothing, groups sent within a second. */
  private static final String CONFIG = """
      route:
        receiver: devnull
        group_wait: 1s
        group_interval: 1s
      receivers:
        - name: devnull
      """;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  final RuleTestSupport env = new RuleTestSupport();
  final ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
  volatile double value = 10;
  Alertmanager am;
  RuleManager rules;
  NotifierManager notifier;

  @BeforeEach
  void startFeeder() {
    // The monitored system: one series whose value the test controls, scraped every 200ms.
    feeder.scheduleAtFixedRate(() -> {
      try {
        env.append(Labels.of("__name__", "test_metric", "instance", "i1", "job", "it"),
            System.currentTimeMillis(), value);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, 0, 200, TimeUnit.MILLISECONDS);
  }

  @AfterEach
  void stop() {
    feeder.shutdownNow();
    if (rules != null) {
      rules.stop();
    }
    if (notifier != null) {
      notifier.stop();
    }
    if (am != null) {
      am.close();
    }
  }

  private JsonNode amAlerts() throws Exception {
    return JSON.readTree(am.get("/api/v2/alerts").body());
  }

  private JsonNode awaitAlerts(java.util.function.Predicate<JsonNode> done, long timeoutMs)
      throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    JsonNode alerts = amAlerts();
    while (!done.test(alerts) && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      alerts = amAlerts();
    }
    return alerts;
  }

  @ParameterizedTest
  @EnumSource(PrometheusRelease.class)
  void alertFiresAfterForReachesAlertmanagerAndResolves(PrometheusRelease release)
      throws Exception {
    am = Alertmanager.start(release, dir.resolve("am"), CONFIG);
    Path ruleFile = RuleTestSupport.writeRules(dir, "alerts.yml", """
        groups:
          - name: it
            interval: 1s
            rules:
              - alert: HighValue
                expr: test_metric > 5
                for: 3s
                labels:
                  severity: page
                  instance_copy: "{{ $labels.instance }}"
                annotations:
                  summary: "{{ $labels.instance }} is at {{ $value }}"
                  description: "{{ $value | humanize }} in {{ $externalLabels.cluster }}"
        """);
    notifier = new NotifierManager(NotifierManager.Options.DEFAULT);
    notifier.applyConfig(Labels.of("cluster", "it-cluster"), new AlertingConfig(List.of(),
        List.of(AlertmanagerConfig.staticTargets(List.of("127.0.0.1:" + am.port())))));
    rules = new RuleManager(env.options().withSender(notifier));
    rules.update(60_000, List.of(ruleFile.toString()), Labels.of("cluster", "it-cluster"),
        "http://tsdb.example:9090");
    rules.start();

    JsonNode alerts = awaitAlerts(a -> a.size() > 0, 15_000);
    long seenAt = System.currentTimeMillis();
    assertEquals(1, alerts.size(), am.logText());
    // Pending first: the first evaluation that saw the condition is >= 3s before firing.
    var forState = env.raw(Matcher.eq("__name__", "ALERTS_FOR_STATE"));
    double activeAtSec = forState.values().iterator().next().get(0)[1];
    var firing = env.raw(Matcher.eq("__name__", "ALERTS"), Matcher.eq("alertstate", "firing"));
    long firedAt = (long) firing.values().iterator().next().get(0)[0];
    assertTrue(firedAt - (long) activeAtSec * 1000 >= 3000,
        "fired at " + firedAt + ", active since " + activeAtSec);
    assertTrue(seenAt >= firedAt);

    JsonNode a = alerts.get(0);
    JsonNode labels = a.get("labels");
    assertEquals("HighValue", labels.get("alertname").asText());
    assertEquals("page", labels.get("severity").asText());
    assertEquals("i1", labels.get("instance").asText());
    assertEquals("i1", labels.get("instance_copy").asText());
    assertEquals("it", labels.get("job").asText());
    assertEquals("it-cluster", labels.get("cluster").asText(), "external label added");
    assertEquals("i1 is at 10", a.get("annotations").get("summary").asText());
    assertEquals("10 in it-cluster", a.get("annotations").get("description").asText());
    assertEquals("active", a.get("status").get("state").asText());
    assertEquals("http://tsdb.example:9090/graph?g0.expr=test_metric+%3E+5&g0.tab=1",
        a.get("generatorURL").asText());
    assertEquals(1, rules.alertsSnapshot().size());
    assertEquals("firing", rules.alertsSnapshot().get(0).state());

    // The condition clears: the resolved alert is sent and leaves Alertmanager's active list.
    value = 1;
    JsonNode after = awaitAlerts(x -> x.size() == 0, 15_000);
    assertEquals(0, after.size(), after.toString());
    assertTrue(rules.alertsSnapshot().isEmpty());
    JsonNode all = JSON.readTree(am.get("/api/v2/alerts/groups").body());
    assertTrue(all.isArray());
  }

  @Test
  void restartMidForFiresOnTime() throws Exception {
    long hold = 10_000;
    Path ruleFile = RuleTestSupport.writeRules(dir, "alerts.yml", """
        groups:
          - name: restart
            interval: 1s
            rules:
              - alert: Sustained
                expr: test_metric > 5
                for: 10s
        """);
    RuleManagerOptions o = env.options().withForState(3_600_000L, 1_000L);
    rules = new RuleManager(o);
    rules.update(60_000, List.of(ruleFile.toString()), Labels.EMPTY, "");
    rules.start();
    // Let it be pending for a while, then "crash".
    long deadline = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < deadline
        && env.raw(Matcher.eq("__name__", "ALERTS_FOR_STATE")).values().stream()
            .mapToInt(List::size).sum() < 4) {
      Thread.sleep(100);
    }
    rules.stop();
    Map<Labels, List<double[]>> forState = env.raw(Matcher.eq("__name__", "ALERTS_FOR_STATE"));
    long activeAt = (long) forState.values().iterator().next().get(0)[1] * 1000;
    assertTrue(env.raw(Matcher.eq("__name__", "ALERTS"), Matcher.eq("alertstate", "firing"))
        .isEmpty(), "still pending when stopped");

    long restartAt = System.currentTimeMillis();
    rules = new RuleManager(o);
    rules.update(60_000, List.of(ruleFile.toString()), Labels.EMPTY, "");
    rules.start();
    deadline = System.currentTimeMillis() + 30_000;
    Map<Labels, List<double[]>> firing = Map.of();
    while (firing.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      firing = env.raw(Matcher.eq("__name__", "ALERTS"), Matcher.eq("alertstate", "firing"));
    }
    assertEquals(1, firing.size(), "never fired");
    long firedAt = (long) firing.values().iterator().next().get(0)[0];
    // A fresh start would need the full 10s after the first evaluation of the new manager.
    assertTrue(firedAt < restartAt + hold, "fired at +" + (firedAt - restartAt)
        + "ms after restart: the 'for' state was not restored");
    assertTrue(firedAt >= activeAt + hold, "fired before 'for' elapsed");
  }
}
