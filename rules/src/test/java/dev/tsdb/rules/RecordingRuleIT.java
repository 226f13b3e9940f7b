package dev.tsdb.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.value.Matrix;
import dev.tsdb.promql.value.SeriesPoints;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduled recording rule's output equals the same expression evaluated ad hoc over the
 * range of its evaluation timestamps (range query with a 1s step hitting exactly those times).
 */
class RecordingRuleIT {
  @TempDir
  Path dir;

  final RuleTestSupport env = new RuleTestSupport();
  RuleManager rules;

  @AfterEach
  void stop() {
    if (rules != null) {
      rules.stop();
    }
  }

  @Test
  void recordedSeriesEqualAdHocRangeEvaluation() throws Exception {
    long now = System.currentTimeMillis();
    // Two counters with irregular increments, sampled every second around "now".
    double a = 0;
    double b = 0;
    for (long t = now - 180_000; t <= now + 60_000; t += 1000) {
      a += (t / 1000) % 7;
      b += 3 + (t / 1000) % 3;
      env.append(Labels.of("__name__", "http_requests_total", "job", "api", "instance", "x"),
          t, a);
      env.append(Labels.of("__name__", "http_requests_total", "job", "api", "instance", "y"),
          t, b);
    }
    String expr = "sum by (job) (rate(http_requests_total[1m]))";
    Path f = RuleTestSupport.writeRules(dir, "rec.yml", """
        groups:
          - name: rec
            interval: 1s
            rules:
              - record: job:http_requests:rate1m
                expr: %s
                labels:
                  tier: derived
        """.formatted(expr));
    rules = new RuleManager(env.options());
    rules.update(60_000, List.of(f.toString()), Labels.EMPTY, "");
    rules.start();
    long deadline = System.currentTimeMillis() + 20_000;
    List<double[]> recorded = List.of();
    while (recorded.size() < 6 && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      Map<Labels, List<double[]>> m = env.raw(Matcher.eq("__name__",
          "job:http_requests:rate1m"));
      if (!m.isEmpty()) {
        assertEquals(Labels.of("__name__", "job:http_requests:rate1m", "job", "api",
            "tier", "derived"), m.keySet().iterator().next());
        recorded = m.values().iterator().next();
      }
    }
    rules.stop();
    assertTrue(recorded.size() >= 6, "only " + recorded.size() + " evaluations");
    long start = (long) recorded.get(0)[0];
    long end = (long) recorded.get(recorded.size() - 1)[0];
    Matrix adHoc = (Matrix) env.engine.rangeQuery(env.storage, expr, start, end, 1000,
        QueryOptions.DEFAULT).value();
    assertEquals(1, adHoc.series().size());
    SeriesPoints sp = adHoc.series().get(0);
    assertEquals(recorded.size(), sp.count());
    double[] want = new double[sp.count()];
    double[] got = new double[sp.count()];
    for (int i = 0; i < sp.count(); i++) {
      assertEquals(sp.timestampsMs()[i], (long) recorded.get(i)[0]);
      want[i] = sp.values()[i];
      got[i] = recorded.get(i)[1];
    }
    assertArrayEquals(want, got);
  }
}
