package dev.tsdb.bench.gen;

/** How a generated series' values evolve; chosen to resemble what exporters really report. */
public enum MetricKind {
  /** Monotonic counter with a per-series rate and jitter (e.g. node_cpu_seconds_total). */
  COUNTER,
  /** Integer byte gauge moving in 4 KiB pages, often unchanged between scrapes. */
  GAUGE_BYTES,
  /** Gauge with two decimals (e.g. node_load1). */
  GAUGE_FRACTION,
  /** Gauge with full double precision (e.g. scrape_duration_seconds). */
  GAUGE_FLOAT,
  /** Never changes (e.g. node_memory_MemTotal_bytes, up). */
  CONSTANT,
  /** Cumulative histogram bucket; consistent with its group's _count and other buckets. */
  BUCKET,
  /** Histogram _sum. */
  HIST_SUM,
  /** Histogram _count. */
  HIST_COUNT
}
