package dev.tsdb.rules.config;

/**
 * The {@code storage:} section of prometheus.yml as far as the database uses it:
 * <pre>
 * storage:
 *   tsdb:
 *     out_of_order_time_window: 10m   # 0 (default) refuses out-of-order samples
 *   exemplars:
 *     max_exemplars: 100000           # capacity of the exemplar buffer (0 or less: none kept)
 * </pre>
 * The window is fixed when the database opens; {@code max_exemplars} is applied on reload too.
 */
public record StorageConfig(long outOfOrderTimeWindowMs, int maxExemplars) {
  /** Prometheus's DefaultExemplarsConfig. */
  public static final int DEFAULT_MAX_EXEMPLARS = 100_000;
  public static final StorageConfig DEFAULT = new StorageConfig(0, DEFAULT_MAX_EXEMPLARS);
}
