package dev.tsdb.promql;

/**
 * Per-query options. {@code lookbackDeltaMs} 0 means the engine default; {@code timeoutMs} 0
 * means the engine default. {@code requestTimeoutMs} is the HTTP request's own {@code timeout}
 * parameter (0: none): as in Prometheus 3.5, it alone bounds the wait for a query slot, counted
 * from when the query was submitted, while the engine's timeout starts once the query runs.
 */
public record QueryOptions(long lookbackDeltaMs, long timeoutMs, long requestTimeoutMs) {
  public static final QueryOptions DEFAULT = new QueryOptions(0, 0);

  public QueryOptions(long lookbackDeltaMs, long timeoutMs) {
    this(lookbackDeltaMs, timeoutMs, 0);
  }
}
