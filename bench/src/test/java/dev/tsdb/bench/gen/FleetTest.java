package dev.tsdb.bench.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetTest {
  private static final long START = 1_700_000_000_000L;

  @Test
  void templateLooksLikeAnExporterFleet() {
    Fleet fleet = new Fleet(100_000, 42, START, 240, 15_000);
    Set<String> names = new HashSet<>();
    int cpu = 0;
    for (SeriesTemplate t : TargetTemplate.series()) {
      names.add(t.name());
      if (t.name().equals("node_cpu_seconds_total")) {
        cpu++;
      }
    }
    assertTrue(names.size() >= 100 && names.size() <= 110, names.size() + " metric names");
    assertEquals(178, fleet.targetSize());
    assertEquals(562, fleet.targetCount());
    // The query set's "rate over ~10k series" relies on this share.
    assertTrue(cpu * fleet.targetCount() >= 10_000, "node_cpu series: " + cpu);
  }

  @Test
  void seriesHaveDistinctLabelSets() {
    Fleet fleet = new Fleet(5000, 42, START, 1, 15_000);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < fleet.seriesCount(); i++) {
      assertTrue(seen.add(String.join(",", fleet.labels(i))), "duplicate series " + i);
    }
  }

  @Test
  void countersAndHistogramsAreMonotonicAndConsistent() {
    Fleet fleet = new Fleet(178 * 3, 42, START, 240, 15_000);
    for (int s = 0; s < fleet.seriesCount(); s++) {
      MetricKind kind = fleet.template(s).kind();
      boolean cumulative = kind == MetricKind.COUNTER || kind == MetricKind.BUCKET
          || kind == MetricKind.HIST_SUM || kind == MetricKind.HIST_COUNT;
      for (int r = 1; r < fleet.rounds() && cumulative; r++) {
        assertTrue(fleet.value(s, r) >= fleet.value(s, r - 1), "series " + s + " round " + r);
      }
    }
    for (int target = 0; target < 3; target++) {
      for (String handler : TargetTemplate.HANDLERS) {
        int count = fleet.find(target, "http_request_duration_seconds_count", "handler", handler);
        for (int r = 0; r < fleet.rounds(); r += 17) {
          double previous = 0;
          for (String le : TargetTemplate.LE) {
            double v = fleet.value(fleet.find(target, "http_request_duration_seconds_bucket",
                "handler", handler, "le", le), r);
            assertTrue(v >= previous, "buckets must grow with le");
            previous = v;
          }
          assertEquals(fleet.value(count, r), previous, "+Inf bucket equals _count");
        }
      }
    }
  }

  @Test
  void timestampsStayInsideTheWindowAndOnePerInterval() {
    Fleet fleet = new Fleet(1000, 42, START, 240, 15_000);
    for (int s = 0; s < fleet.seriesCount(); s += 37) {
      for (int r = 0; r < fleet.rounds(); r++) {
        long t = fleet.timestampMs(s, r);
        assertTrue(t >= START && t <= fleet.endMs());
        if (r > 0) {
          assertEquals(15_000, t - fleet.timestampMs(s, r - 1));
        }
      }
    }
    assertTrue(fleet.endMs() - START < 3_600_000, "Prometheus accepts one hour behind max");
  }

  @Test
  void seedChangesValuesButNotLabels() {
    Fleet a = new Fleet(500, 1, START, 2, 15_000);
    Fleet b = new Fleet(500, 2, START, 2, 15_000);
    int differentValues = 0;
    for (int s = 0; s < 500; s++) {
      assertEquals(a.labels(s)[1], b.labels(s)[1]);
      if (a.value(s, 1) != b.value(s, 1)) {
        differentValues++;
      }
    }
    assertTrue(differentValues > 300, differentValues + " values differ");
    assertNotEquals(a.labels(0)[a.labels(0).length - 1], b.labels(0)[b.labels(0).length - 1],
        "pod names come from the seed");
  }
}
