package dev.tsdb.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our rule groups evaluate at the same phase within the interval as Prometheus 3.5's: it
 * evaluates a group from the same file path, and the timestamps it records have
 * the offset our {@link Group#evalTimestamp} computes from xxhash(file, name).
 */
class PrometheusEvalSlotIT {
  @TempDir
  Path dir;

  /**
   * 3.x only: Prometheus 3 (stringlabels, as Debian's 3.5 is built) hashes the group's {file,
   * name} labels over their length-prefixed encoding, 2.x over the 0xff-separated one, so the
   * two major versions evaluate the same group at different offsets; we follow 3.x.
   */
  @ParameterizedTest
  @EnumSource(value = PrometheusRelease.class, names = "V3_5")
  void sameEvaluationOffsetAsPrometheus(PrometheusRelease release) throws Exception {
    Path rulesFile = dir.resolve("slot.rules.yml").toAbsolutePath();
    long interval = 2000;
    Files.writeString(rulesFile, """
        groups:
          - name: slot-check
            interval: 2s
            rules:
              - record: slot_check
                expr: vector(1)
        """);
    List<Long> stamps;
    try (Prometheus prom = Prometheus.in(release, dir.resolve("prom")).config(
        "global:\n  evaluation_interval: 2s\nrule_files:\n  - " + rulesFile + "\n").start()) {
      ObjectMapper json = new ObjectMapper();
      long deadline = System.currentTimeMillis() + 20_000;
      stamps = List.of();
      while (stamps.size() < 2 && System.currentTimeMillis() < deadline) {
        Thread.sleep(250);
        JsonNode res = json.readTree(prom.get("/api/v1/query?query=slot_check%5B1m%5D").body())
            .path("data").path("result");
        if (res.size() > 0) {
          List<Long> s = new java.util.ArrayList<>();
          for (JsonNode v : res.get(0).get("values")) {
            s.add(new BigDecimal(v.get(0).asText()).movePointRight(3).longValueExact());
          }
          stamps = s;
        }
      }
      assertTrue(stamps.size() >= 2, prom.logText());
    }
    RuleTestSupport env = new RuleTestSupport();
    try (RuleManager m = new RuleManager(env.options())) {
      m.update(interval, List.of(rulesFile.toString()), Labels.EMPTY, "");
      Group g = m.groups().get(0);
      long ours = Math.floorMod(g.evalTimestamp(System.currentTimeMillis()), interval);
      for (long t : stamps) {
        assertEquals(ours, Math.floorMod(t, interval), "Prometheus evaluated at " + t);
      }
    }
  }
}
