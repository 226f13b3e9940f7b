package dev.tsdb.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Engine metrics under Prometheus's names and hand-written families. */
class ApiMetricsTest {
  @Test
  void handWrittenFamiliesFollowTheRegistry() {
    ApiMetrics m = new ApiMetrics();
    m.addText(() -> ApiMetrics.counterText("x_created_total", "Created.", 3));
    assertTrue(m.scrape().endsWith("# HELP x_created_total Created.\n# TYPE x_created_total"
        + " counter\nx_created_total 3\n"), m.scrape());
  }

  @Test
  void queriesAreTimed() {
    ApiMetrics m = new ApiMetrics();
    m.queries().started();
    assertTrue(m.scrape().contains("prometheus_engine_queries 1.0\n"));
    m.queries().finished(2_000_000_000L);
    String text = m.scrape();
    assertTrue(text.contains("prometheus_engine_queries 0.0\n"), text);
    assertTrue(text.contains(
        "prometheus_engine_query_duration_seconds_count{slice=\"inner_eval\"} 1\n"), text);
    assertTrue(text.contains(
        "prometheus_engine_query_duration_seconds_sum{slice=\"inner_eval\"} 2.0\n"), text);
  }
}
