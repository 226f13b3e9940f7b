package dev.tsdb.bench.run;

/**
 * One query of the query set. Instant queries have {@code stepMs == 0}; range queries run from
 * {@code startMs} to {@code timeMs}.
 */
public record BenchQuery(String name, String expr, long timeMs, long startMs, long stepMs) {
  public boolean isRange() {
    return stepMs > 0;
  }

  /** Path and query string of the Prometheus HTTP API call. */
  public String pathAndQuery() {
    String q = "query=" + java.net.URLEncoder.encode(expr, java.nio.charset.StandardCharsets.UTF_8);
    if (!isRange()) {
      return "/api/v1/query?" + q + "&time=" + seconds(timeMs);
    }
    return "/api/v1/query_range?" + q + "&start=" + seconds(startMs) + "&end=" + seconds(timeMs)
        + "&step=" + seconds(stepMs);
  }

  static String seconds(long ms) {
    return java.math.BigDecimal.valueOf(ms, 3).toPlainString();
  }
}
