package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.labels.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server stops in the middle of an alert's {@code for} and restarts on the same data
 * directory: the alert's pending time is restored from ALERTS_FOR_STATE (persisted in the WAL),
 * so it fires {@code for} after it first became pending plus the outage (Prometheus's
 * RestoreForState shifts the active-since time by the downtime), not {@code for} after the
 * restart.
 *
 * <p>Prometheus skips restoration for alerts whose {@code for} is shorter than
 * {@code --rules.alert.for-grace-period} (10m by default): the 20s alert here runs with a 1s
 * grace period, as a production alert with {@code for: 15m} would with the defaults.
 */
class AlertRestartIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long FOR_MS = 20_000;
  private static final long INTERVAL_MS = 1_000;

  @TempDir
  Path dir;

  private TestServer start() throws Exception {
    return new TestServer(dir, "--rules.alert.for-grace-period=1s");
  }

  /** The alert's state and active-since time (ms), or null while it is not active. */
  private static long[] alert(TestServer ts) throws Exception {
    JsonNode alerts = JSON.readTree(ts.get("/api/v1/alerts").body()).at("/data/alerts");
    for (JsonNode a : alerts) {
      if (a.at("/labels/alertname").asText().equals("RestartPending")) {
        long activeAt = Instant.parse(a.get("activeAt").asText()).toEpochMilli();
        return new long[] {a.get("state").asText().equals("firing") ? 1 : 0, activeAt};
      }
    }
    return null;
  }

  private static long[] await(TestServer ts, boolean firing, long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      long[] a = alert(ts);
      if (a != null && (!firing || a[0] == 1)) {
        return a;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("alert not " + (firing ? "firing" : "active") + " within "
        + timeoutMs + " ms: " + ts.get("/api/v1/alerts").body());
  }

  @Test
  void alertFiresOnTimeAfterARestartMidFor() throws Exception {
    Files.createDirectories(dir.resolve("rules"));
    Files.writeString(dir.resolve("rules/restart.yml"), """
        groups:
          - name: restart
            rules:
              - alert: RestartPending
                expr: restart_value > 0
                for: 20s
        """);
    Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          evaluation_interval: 1s
        rule_files:
          - rules/*.yml
        """);

    long activeAt;
    long stoppedAt;
    try (TestServer ts = start()) {
      // One sample stays visible for the 5m lookback, across the restart (it is in the WAL).
      assertEquals(204, ts.write(PromPb.writeRequest(List.of(PromPb.Series.of(
          Labels.of("__name__", "restart_value", "job", "x"),
          new long[] {System.currentTimeMillis()}, new double[] {1})), List.of())).statusCode());
      long[] pending = await(ts, false, 10_000);
      assertEquals(0, pending[0]);
      activeAt = pending[1];
      // Stop with about 60% of the for spent.
      long stopAt = activeAt + 12_000;
      while (System.currentTimeMillis() < stopAt) {
        Thread.sleep(Math.max(1, stopAt - System.currentTimeMillis()));
      }
      long[] still = alert(ts);
      assertEquals(0, still[0], "pending, not firing, when stopped");
      stoppedAt = System.currentTimeMillis();
    }

    long restartedAt;
    long[] firing;
    try (TestServer ts = start()) {
      restartedAt = System.currentTimeMillis();
      firing = await(ts, true, 30_000);
    }
    long firedSeen = System.currentTimeMillis();
    long outage = restartedAt - stoppedAt;
    long restoredActiveAt = firing[1];

    // The pending time before the stop counts: restored active-since = original + the outage
    // as Prometheus measures it (from the last ALERTS_FOR_STATE sample, whole seconds, to the
    // restoration after the second evaluation).
    assertTrue(restoredActiveAt < restartedAt, "restored activeAt " + restoredActiveAt
        + " is before the restart " + restartedAt);
    long shift = restoredActiveAt - activeAt;
    assertTrue(shift >= outage - 1_000 && shift <= outage + 3 * INTERVAL_MS + 1_000,
        "activeAt shifted by " + shift + " ms for an outage of " + outage + " ms");
    // Fires at the restored activeAt + for, within an evaluation interval (and our polling).
    long dueAt = restoredActiveAt + FOR_MS;
    assertTrue(firedSeen >= dueAt - 50, "fired " + (dueAt - firedSeen) + " ms early");
    assertTrue(firedSeen <= dueAt + INTERVAL_MS + 500, "fired " + (firedSeen - dueAt)
        + " ms after activeAt + for");
    // ... which is well before a fresh for after the restart would have ended.
    assertTrue(firedSeen < restartedAt + FOR_MS - 6_000, "fired " + (firedSeen - restartedAt)
        + " ms after the restart; a reset for would fire after " + FOR_MS + " ms");
  }
}
