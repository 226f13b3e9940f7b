package dev.tsdb.rules.config;

/**
 * The {@code storage:} section of prometheus.yml:
 * <pre>
 * storage:
 *   tsdb:
 *     out_of_order_time_window: 10m   # 0 (default) refuses out-of-order samples
 *     retention:                      # Prometheus 3.x's place for the retention flags
 *       time: 15d
 *       size: 10GB
 *       percentage: 80                # of the data directory's file system; beats size
 *     stale_series_compaction_threshold: 0.5   # accepted, no effect here
 *     chunk_encoding:
 *       floats: xor                   # "xor" or "xor2"; accepted, floats are always XOR here
 *   exemplars:
 *     max_exemplars: 100000           # capacity of the exemplar buffer (0 or less: none kept)
 * </pre>
 * The window is fixed when the database opens; {@code max_exemplars} and the retention are
 * applied on reload too.
 *
 * @param retention {@code storage.tsdb.retention}, or null when the file has none (then the
 *     {@code --storage.tsdb.retention.*} flags apply, as in Prometheus)
 * @param staleSeriesCompactionThreshold fraction of stale head series (0: off)
 * @param floatChunkEncoding {@code chunk_encoding.floats}: "", "xor" or "xor2"
 */
public record StorageConfig(long outOfOrderTimeWindowMs, int maxExemplars,
    RetentionConfig retention, double staleSeriesCompactionThreshold,
    String floatChunkEncoding) {
  /** Prometheus's DefaultExemplarsConfig. */
  public static final int DEFAULT_MAX_EXEMPLARS = 100_000;
  public static final StorageConfig DEFAULT = new StorageConfig(0, DEFAULT_MAX_EXEMPLARS);

  /** Only the window and the exemplars set; no retention section. */
  public StorageConfig(long outOfOrderTimeWindowMs, int maxExemplars) {
    this(outOfOrderTimeWindowMs, maxExemplars, null, 0, "");
  }

  /**
   * {@code storage.tsdb.retention}: a field left out is 0 (off), as in Prometheus, where the
   * section replaces the flags' values as a whole.
   *
   * @param timeMs 0: no time retention
   * @param sizeBytes 0: no size retention
   * @param percentage of the file system holding the data (0: off); replaces the size
   */
  public record RetentionConfig(long timeMs, long sizeBytes, double percentage) {}
}
