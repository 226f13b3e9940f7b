package dev.tsdb.server;

import dev.tsdb.api.ApiMetrics;
import dev.tsdb.blocks.db.Database;
import dev.tsdb.head.HeadStats;
import dev.tsdb.wal.WalMetrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The database's gauges and counters on /metrics under Prometheus's names (its tsdb package's
 * metrics), read from the {@link Database} at scrape time. Before the database is loaded the
 * head gauges read NaN.
 */
final class StorageMetrics {
  private StorageMetrics() {}

  /** {@code retention}: the settings in effect now (a reload may change them). */
  static void bind(MeterRegistry reg, Database db,
      java.util.function.Supplier<RetentionSettings> retention) {
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
        db, d -> retention.get().sizeBytes());
    gauge(reg, "prometheus_tsdb_retention_limit_seconds",
        "How long to retain samples in storage.", db,
        d -> retention.get().timeMs() / 1000.0);
    gauge(reg, "prometheus_tsdb_retention_limit_percentage",
        "Max percentage of total storage space to be retained in the tsdb blocks, configured"
            + " 0 means disabled", db, d -> retention.get().percentage());
    // As in Prometheus, writing the head into a block counts as a compaction too.
    counter(reg, "prometheus_tsdb_compactions",
        "Total number of compactions that were executed for the partition.", db,
        d -> d.compactionsTotal() + d.headCutsTotal());
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

  /**
   * The head's counters ({@link HeadStats}) and the WAL's size under Prometheus's names: samples
   * appended, series and chunks created and removed, samples refused by reason (out of order,
   * out of bounds, too old). Zero until the database has loaded.
   */
  static void bindHead(ApiMetrics metrics, Database db) {
    MeterRegistry reg = metrics.registry();
    headCounter(reg, "prometheus_tsdb_head_samples_appended", "Total number of appended samples.",
        db, s -> s.samplesAppended, s -> s.histogramSamplesAppended);
    headCounter(reg, "prometheus_tsdb_head_out_of_order_samples_appended",
        "Total number of appended out of order samples.", db, s -> s.outOfOrderSamplesAppended,
        s -> s.outOfOrderHistogramsAppended);
    headCounter(reg, "prometheus_tsdb_out_of_order_samples", "Total number of out of order"
        + " samples ingestion failed attempts due to out of order being disabled.", db,
        s -> s.outOfOrderRejected, s -> s.outOfOrderHistogramsRejected);
    headCounter(reg, "prometheus_tsdb_out_of_bound_samples", "Total number of out of bound"
        + " samples ingestion failed attempts with out of order support disabled.", db,
        s -> s.outOfBoundsRejected, s -> s.outOfBoundsHistogramsRejected);
    headCounter(reg, "prometheus_tsdb_too_old_samples", "Total number of out of order samples"
        + " ingestion failed attempts with out of support enabled, but sample outside of time"
        + " window.", db, s -> s.tooOldRejected, s -> s.tooOldHistogramsRejected);
    counter(reg, "prometheus_tsdb_head_series_removed", "Total number of series removed in the"
        + " head", db, d -> d.isReady() ? d.headStats().seriesRemoved.sum() : 0);
    counter(reg, "prometheus_tsdb_head_chunks_removed", "Total number of chunks removed in the"
        + " head", db, d -> d.isReady() ? d.headStats().chunksRemoved.sum() : 0);
    // Names ending in _created are refused by the client library: rendered by hand.
    metrics.addText(() -> ApiMetrics.counterText("prometheus_tsdb_head_series_created_total",
        "Total number of series created in the head",
        db.isReady() ? db.headStats().seriesCreated.sum() : 0));
    metrics.addText(() -> ApiMetrics.counterText("prometheus_tsdb_head_chunks_created_total",
        "Total number of chunks created in the head",
        db.isReady() ? db.headStats().chunksCreated.sum() : 0));
    gauge(reg, "prometheus_tsdb_wal_storage_size_bytes", "Size of the WAL storage.", db,
        d -> directoryBytes(d.dir().resolve("wal")));
    bindWal(reg, db);
  }

  /**
   * The WAL's and checkpointing's metrics under Prometheus's names (its wlog and head metrics),
   * counted by {@link WalMetrics}, plus the compaction duration histogram.
   */
  static void bindWal(MeterRegistry reg, Database db) {
    WalMetrics w = db.walMetrics();
    // A summary with Prometheus's objectives, fed by every segment fsync.
    Timer fsync = Timer.builder("prometheus_tsdb_wal_fsync_duration")
        .description("Duration of write log fsync.")
        .publishPercentiles(0.5, 0.9, 0.99)
        .register(reg);
    w.observeFsyncs(n -> fsync.record(n, TimeUnit.NANOSECONDS));
    walCounter(reg, "prometheus_tsdb_wal_page_flushes", "Total number of page flushes.",
        w.pageFlushes);
    walCounter(reg, "prometheus_tsdb_wal_completed_pages", "Total number of completed pages.",
        w.completedPages);
    walCounter(reg, "prometheus_tsdb_wal_writes_failed",
        "Total number of write log writes that failed.", w.writesFailed);
    // Prometheus's WAL never recovers without a restart, so it has no such metric: ours is
    // named without the prometheus_ prefix.
    walCounter(reg, "tsdb_wal_recoveries",
        "Total number of recoveries from a failed write log write without a restart.",
        w.recoveries);
    walCounter(reg, "prometheus_tsdb_wal_truncations",
        "Total number of write log truncations attempted.", w.truncations);
    walCounter(reg, "prometheus_tsdb_wal_truncations_failed",
        "Total number of write log truncations that failed.", w.truncationsFailed);
    walCounter(reg, "prometheus_tsdb_wal_corruptions",
        "Total number of WAL corruptions.", w.corruptions);
    walCounter(reg, "prometheus_tsdb_checkpoint_creations",
        "Total number of checkpoint creations attempted.", w.checkpointCreations);
    walCounter(reg, "prometheus_tsdb_checkpoint_creations_failed",
        "Total number of checkpoint creations that failed.", w.checkpointCreationsFailed);
    Gauge.builder("prometheus_tsdb_wal_segment_current", w, x -> Math.max(0, x.currentSegment()))
        .description("Write log segment index that TSDB is currently writing to.")
        .register(reg);
    // Prometheus's buckets: exponential from 1s, factor 2, 14 buckets.
    Duration[] buckets = new Duration[14];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = Duration.ofSeconds(1L << i);
    }
    Timer compaction = Timer.builder("prometheus_tsdb_compaction_duration")
        .description("Duration of compaction runs")
        .serviceLevelObjectives(buckets)
        .register(reg);
    db.observeCompactions(n -> compaction.record(n, TimeUnit.NANOSECONDS));
  }

  private static void walCounter(MeterRegistry reg, String name, String help, LongAdder a) {
    FunctionCounter.builder(name, a, LongAdder::sum).description(help).register(reg);
  }

  /**
   * The exemplar buffer's metrics (Prometheus's tsdb/exemplar.go names): exemplars appended and
   * refused as out of order, exemplars and series in the buffer, its capacity.
   */
  static void bindExemplars(MeterRegistry reg, Database db) {
    counter(reg, "prometheus_tsdb_exemplar_exemplars_appended",
        "Total number of appended exemplars.", db, d -> exemplarStat(d, 2));
    gauge(reg, "prometheus_tsdb_exemplar_exemplars_in_storage",
        "Number of exemplars currently in circular storage.", db, d -> exemplarStat(d, 0));
    gauge(reg, "prometheus_tsdb_exemplar_series_with_exemplars_in_storage",
        "Number of series with exemplars currently in circular storage.", db,
        d -> exemplarStat(d, 1));
    gauge(reg, "prometheus_tsdb_exemplar_max_exemplars",
        "Total number of exemplars the exemplar storage can store, resizeable.", db,
        d -> d.isReady() ? exemplarStat(d, 3) : d.options().maxExemplars);
    counter(reg, "prometheus_tsdb_exemplar_out_of_order_exemplars",
        "Total number of out of order exemplar ingestion failed attempts.", db,
        d -> d.isReady() ? d.headStats().exemplarsOutOfOrder.sum() : 0);
  }

  /** One of {@link Database#exemplarStats()}; 0 before the database is loaded. */
  private static double exemplarStat(Database d, int i) {
    if (!d.isReady()) {
      return 0;
    }
    try {
      return d.exemplarStats()[i];
    } catch (IllegalStateException e) {
      return 0; // closed while scraping
    }
  }

  /**
   * One head counter per sample type, labelled as Prometheus does: {@code type="float"} and
   * {@code type="histogram"} (integer and float histograms together). Prometheus shows a type
   * once it was counted; both are shown from the start here.
   */
  private static void headCounter(MeterRegistry reg, String name, String help, Database db,
      Function<HeadStats, LongAdder> floats, Function<HeadStats, LongAdder> histograms) {
    FunctionCounter.builder(name, db, d -> d.isReady() ? floats.apply(d.headStats()).sum() : 0)
        .description(help).tag("type", "float").register(reg);
    FunctionCounter.builder(name, db,
            d -> d.isReady() ? histograms.apply(d.headStats()).sum() : 0)
        .description(help).tag("type", "histogram").register(reg);
  }

  /** Bytes of the regular files under dir (0 when it does not exist). */
  static long directoryBytes(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0; // removed while we looked (a truncation)
        }
      }).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  /**
   * An empty head shows math.MaxInt64 / MinInt64 as Prometheus does: a Thanos sidecar reads
   * prometheus_tsdb_lowest_timestamp_seconds and takes MaxInt64 as "no data yet".
   */
  private static double headTime(long t) {
    return t;
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
