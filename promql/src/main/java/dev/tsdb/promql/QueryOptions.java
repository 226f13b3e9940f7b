package dev.tsdb.promql;

/**
 * Per-query options. {@code lookbackDeltaMs} 0 means the engine default; {@code timeoutMs} 0
 * means the engine default.
 */
public record QueryOptions(long lookbackDeltaMs, long timeoutMs) {
  public static final QueryOptions DEFAULT = new QueryOptions(0, 0);
}
