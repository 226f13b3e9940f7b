package dev.tsdb.server;

import dev.tsdb.db.Database;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The database's gauges and counters on /metrics under Prometheus's names (its tsdb package's
 * metrics), read from the {@link Database} at scrape time. Before the database is loaded the
 * head gauges read NaN.
 */
final class StorageMetrics {
  private StorageMetrics() {}

  static void bind(MeterRegistry reg, Database db, long retentionMs, long retentionBytes) {
    gauge(reg, "prometheus_tsdb_head_series", "Total number of series in the head block.", db,
        d -> d.isReady() ? d.headSeries() : Double.NaN);
    gauge(reg, "prometheus_tsdb_head_chunks", "Total number of chunks in the head block.", db,
        d -> d.isReady() ? d.headChunks() : Double.NaN);
    gauge(reg, "prometheus_tsdb_head_min_time",
        "Minimum time bound of the head block. The unit is decided by the library consumer.", db,
        d -> headTime(d.headMinTime()));
    gauge(reg, "prometheus_tsdb_head_max_time",
        "Maximum timestamp of the head block. The unit is decided by the library consumer.", db,
        d -> headTime(d.headMaxTime()));
    gauge(reg, "prometheus_tsdb_head_min_time_seconds", "Minimum time bound of the head block.",
        db, d -> headTime(d.headMinTime()) / 1000);
    gauge(reg, "prometheus_tsdb_head_max_time_seconds", "Maximum timestamp of the head block.",
        db, d -> headTime(d.headMaxTime()) / 1000);
    gauge(reg, "prometheus_tsdb_lowest_timestamp",
        "Lowest timestamp value stored in the database. The unit is decided by the library"
            + " consumer.", db, StorageMetrics::lowest);
    gauge(reg, "prometheus_tsdb_lowest_timestamp_seconds",
        "Lowest timestamp value stored in the database.", db, d -> lowest(d) / 1000);
    gauge(reg, "prometheus_tsdb_blocks_loaded", "Number of currently loaded data blocks", db,
        d -> d.blocks().size());
    gauge(reg, "prometheus_tsdb_storage_blocks_bytes",
        "The number of bytes that are currently used for local storage by all blocks.", db,
        Database::blocksSizeBytes);
    gauge(reg, "prometheus_tsdb_retention_limit_bytes",
        "Max number of bytes to be retained in the tsdb blocks, configured 0 means disabled",
        db, d -> retentionBytes);
    gauge(reg, "prometheus_tsdb_retention_limit_seconds",
        "How long to retain samples in storage.", db, d -> retentionMs / 1000.0);
    counter(reg, "prometheus_tsdb_compactions",
        "Total number of compactions that were executed for the partition.", db,
        Database::compactionsTotal);
    counter(reg, "prometheus_tsdb_compactions_failed",
        "Total number of compactions that failed for the partition.", db,
        Database::compactionFailuresTotal);
    counter(reg, "prometheus_tsdb_head_truncations",
        "Total number of head truncations attempted.", db, Database::headCutsTotal);
    counter(reg, "prometheus_tsdb_time_retentions",
        "The number of times that blocks were deleted because the maximum time limit was"
            + " exceeded.", db, Database::timeRetentionDeletionsTotal);
    counter(reg, "prometheus_tsdb_size_retentions",
        "The number of times that blocks were deleted because the maximum number of bytes was"
            + " exceeded.", db, Database::sizeRetentionDeletionsTotal);
    counter(reg, "tsdb_corrupted_blocks",
        "Blocks that failed to open at start-up and were moved to <data>/corrupted/ (their data"
            + " is not served).", db, Database::corruptedBlocksTotal);
  }

  private static double headTime(long t) {
    return t == Long.MAX_VALUE || t == Long.MIN_VALUE ? Double.NaN : t;
  }

  private static double lowest(Database d) {
    if (!d.blocks().isEmpty()) {
      return d.blocks().get(0).minTime();
    }
    return headTime(d.headMinTime());
  }

  private static void gauge(MeterRegistry reg, String name, String help, Database db,
      ToDoubleFunction<Database> f) {
    Gauge.builder(name, db, f).description(help).register(reg);
  }

  private static void counter(MeterRegistry reg, String name, String help, Database db,
      ToDoubleFunction<Database> f) {
    FunctionCounter.builder(name, db, f).description(help).register(reg);
  }
}
