package dev.tsdb.api;

import dev.tsdb.api.http.Router;
import dev.tsdb.api.remote.RemoteWriteStats;
import dev.tsdb.storage.SampleRejectedException.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.tsdb.labels.Labels;
import dev.tsdb.labels.Matcher;
import dev.tsdb.storage.Querier;
import dev.tsdb.storage.SeriesSet;
import dev.tsdb.storage.Storage;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The server's own metrics, exposed on /metrics. Names follow Prometheus's where the meaning
 * matches: prometheus_http_requests_total{code,handler},
 * prometheus_http_request_duration_seconds{handler}, and remote-write ingestion counters.
 */
public final class ApiMetrics implements Router.Observer {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Timer> durations = new ConcurrentHashMap<>();
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();

  public ApiMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    bindProcess();
  }

  /**
   * The process metrics every Prometheus client exports (process_cpu_seconds_total,
   * process_resident_memory_bytes, ...), so that standard dashboards work on us too. Memory and
   * file descriptors are read from /proc on Linux and are NaN elsewhere.
   */
  private void bindProcess() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      FunctionCounter.builder("process_cpu_seconds", sun,
              x -> x.getProcessCpuTime() / 1e9)
          .description("Total user and system CPU time spent in seconds.").register(registry);
    }
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      gauge("process_open_fds", "Number of open file descriptors.",
          unix::getOpenFileDescriptorCount);
      gauge("process_max_fds", "Maximum number of open file descriptors.",
          unix::getMaxFileDescriptorCount);
    }
    gauge("process_resident_memory_bytes", "Resident memory size in bytes.",
        () -> procStatmPages(1));
    gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.",
        () -> procStatmPages(0));
  }

  /** A field of /proc/self/statm (in pages) converted to bytes, or NaN when unavailable. */
  private static double procStatmPages(int field) {
    try {
      String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/statm"))
          .trim().split(" ");
      return Long.parseLong(f[field]) * 4096.0; // 4 KiB pages: x86-64 and most arm64 kernels
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void completed(String route, int status, long durationNanos) {
    durations.computeIfAbsent(route, r -> Timer.builder("prometheus_http_request_duration")
        .description("Histogram of latencies for HTTP requests.")
        .tag("handler", r)
        .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(200),
            Duration.ofMillis(400), Duration.ofSeconds(1), Duration.ofSeconds(3),
            Duration.ofSeconds(8), Duration.ofSeconds(20), Duration.ofSeconds(60),
            Duration.ofSeconds(120))
        .register(registry)).record(durationNanos, TimeUnit.NANOSECONDS);
    String key = route + "\u0000" + status;
    requests.computeIfAbsent(key, k -> Counter.builder("prometheus_http_requests")
        .description("Counter of HTTP requests.")
        .tag("handler", route)
        .tag("code", Integer.toString(status))
        .register(registry)).increment();
  }

  /** Exports remote-write ingestion totals. */
  public void bindRemoteWrite(RemoteWriteStats s) {
    counter("prometheus_remote_write_receiver_requests", "Remote-write requests received.",
        s, x -> x.requests.sum());
    counter("prometheus_remote_write_receiver_failed_requests",
        "Remote-write requests refused as a whole (bad encoding, too large, ...).",
        s, x -> x.failedRequests.sum());
    counter("prometheus_remote_write_receiver_samples_appended",
        "Samples appended from remote write.", s, x -> x.samplesAppended.sum());
    counter("prometheus_remote_write_receiver_exemplars_appended",
        "Exemplars appended from remote write.", s, x -> x.exemplarsAppended.sum());
    counter("prometheus_remote_write_receiver_metadata",
        "Metadata entries received over remote write.", s, x -> x.metadataReceived.sum());
    counter("prometheus_api_remote_write_invalid_labels_samples",
        "The total number of received remote write samples and histogram samples which were"
            + " rejected due to invalid labels.", s, x -> x.invalidLabelSamples.sum());
    counter("prometheus_remote_write_receiver_histograms_rejected",
        "Native histogram samples refused (not supported yet).", s,
        x -> x.histogramsRejected.sum());
    for (Reason r : Reason.values()) {
      FunctionCounter.builder("prometheus_remote_write_receiver_samples_rejected", s,
              x -> x.samplesRejected(r))
          .description("Samples refused by storage, by reason.")
          .tag("reason", r.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
  }

  private void counter(String name, String help, RemoteWriteStats s,
      java.util.function.ToDoubleFunction<RemoteWriteStats> f) {
    FunctionCounter.builder(name, s, f).description(help).register(registry);
  }

  /** prometheus_build_info, prometheus_ready and the config reload gauges, as Prometheus has. */
  public void bindServer(StatusSource status, Readiness readiness) {
    StatusSource.BuildInfo b = status.buildInfo();
    // An info metric: Micrometer would strip the "_info" suffix, so register it natively.
    io.prometheus.metrics.core.metrics.Info.builder().name("prometheus_build_info")
        .help("A metric with a constant '1' value labeled by version, revision, branch,"
            + " goversion from which prometheus was built, and the goos and goarch for the build.")
        .labelNames("version", "revision", "branch", "goversion")
        .register(registry.getPrometheusRegistry())
        .setLabelValues(b.version(), b.revision(), b.branch(), b.goVersion());
    io.micrometer.core.instrument.Gauge.builder("prometheus_ready",
            () -> readiness.isReady() ? 1 : 0)
        .description("Whether Prometheus startup was fully completed and the server is ready for"
            + " normal operation.")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder("prometheus_config_last_reload_successful",
            () -> status.reloadConfigSuccess() ? 1 : 0)
        .description("Whether the last configuration reload attempt was successful.")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "prometheus_config_last_reload_success_timestamp", () -> status.lastConfigTimeMs() / 1000)
        .description("Timestamp of the last successful configuration reload.")
        .baseUnit("seconds")
        .register(registry);
  }

  /**
   * Storage metrics under Prometheus's names, read from {@code stats} at scrape time. While the
   * storage reports no series count or appended total (-1), the count comes from a scan of the
   * storage (cached a few seconds; fine for the in-memory reference storage) and the appended
   * total from remote write, today the only way samples get in. Samples the storage refused are
   * counted by reason under Prometheus's tsdb names from the remote-write outcomes.
   */
  public void bindStorage(Supplier<StorageStats> statsSupplier, Storage storage,
      RemoteWriteStats rw) {
    Supplier<StorageStats> stats = () -> {
      StorageStats s = statsSupplier.get();
      return s == null ? StorageStats.NONE : s;
    };
    SeriesCounter scan = new SeriesCounter(storage);
    gauge("prometheus_tsdb_head_series", "Total number of series in the head block.", () -> {
      long n = stats.get().headSeries();
      return n >= 0 ? n : scan.count();
    });
    gauge("prometheus_tsdb_head_chunks", "Total number of chunks in the head block.",
        () -> stats.get().headChunks());
    gauge("prometheus_tsdb_head_max_time", "Maximum timestamp of the head block. The unit is"
        + " decided by the library consumer.", () -> time(storage, false, 1));
    gauge("prometheus_tsdb_head_max_time_seconds", "Maximum timestamp of the head block.",
        () -> time(storage, false, 1000));
    gauge("prometheus_tsdb_lowest_timestamp", "Lowest timestamp value stored in the database."
        + " The unit is decided by the library consumer.", () -> time(storage, true, 1));
    gauge("prometheus_tsdb_lowest_timestamp_seconds", "Lowest timestamp value stored in the"
        + " database.", () -> time(storage, true, 1000));
    gauge("prometheus_tsdb_wal_storage_size_bytes", "Size of the WAL storage.",
        () -> stats.get().walStorageSizeBytes());
    gauge("prometheus_tsdb_wal_segment_current", "Write log segment index that TSDB is currently"
        + " writing to.", () -> stats.get().walSegmentCurrent());
    gauge("prometheus_tsdb_blocks_loaded", "Number of currently loaded data blocks",
        () -> stats.get().blocksLoaded());
    gauge("prometheus_tsdb_storage_blocks_bytes", "The number of bytes that are currently used"
        + " for local storage by all blocks.", () -> stats.get().blocksBytes());
    FunctionCounter.builder("prometheus_tsdb_head_samples_appended", stats, x -> {
          long n = x.get().samplesAppended();
          return n >= 0 ? n : rw.samplesAppended.sum();
        }).description("Total number of appended samples.").tag("type", "float")
        .register(registry);
    storageCounter("prometheus_tsdb_head_series_removed", "Total number of series removed in"
        + " the head", stats, StorageStats::headSeriesRemoved);
    // The client library refuses names ending in _created (OpenMetrics reserves the suffix),
    // so these two Prometheus counters are rendered by hand, see scrape().
    handWritten.add(() -> counterText("prometheus_tsdb_head_series_created_total",
        "Total number of series created in the head", stats.get().headSeriesCreated()));
    handWritten.add(() -> counterText("prometheus_tsdb_head_chunks_created_total",
        "Total number of chunks created in the head", stats.get().headChunksCreated()));
    storageCounter("prometheus_tsdb_head_truncations", "Total number of head truncations"
        + " attempted.", stats, StorageStats::headTruncations);
    storageCounter("prometheus_tsdb_wal_corruptions", "Total number of WAL corruptions.", stats,
        StorageStats::walCorruptions);
    storageCounter("prometheus_tsdb_compactions", "Total number of compactions that were"
        + " executed for the partition.", stats, StorageStats::compactions);
    storageCounter("prometheus_tsdb_compactions_failed", "Total number of compactions that"
        + " failed for the partition.", stats, StorageStats::compactionsFailed);
    storageCounter("prometheus_tsdb_time_retentions", "The number of times that blocks were"
        + " deleted because the maximum time limit was exceeded.", stats,
        StorageStats::timeRetentions);
    storageCounter("prometheus_tsdb_size_retentions", "The number of times that blocks were"
        + " deleted because the maximum number of bytes was exceeded.", stats,
        StorageStats::sizeRetentions);
    // Count and sum only (rendered as summaries): the storage keeps running totals, not
    // samples, so there are no quantiles; dashboards use rate(_sum) / rate(_count).
    FunctionTimer.builder("prometheus_tsdb_wal_fsync_duration", stats,
            x -> x.get().walFsyncCount(), x -> x.get().walFsyncSeconds(), TimeUnit.SECONDS)
        .description("Duration of write log fsync.").register(registry);
    FunctionTimer.builder("prometheus_tsdb_compaction_duration", stats,
            x -> x.get().compactionDurationCount(), x -> x.get().compactionDurationSeconds(),
            TimeUnit.SECONDS)
        .description("Duration of compaction runs").register(registry);
    rejected("prometheus_tsdb_out_of_order_samples", "Total number of out of order samples"
        + " ingestion failed attempts due to out of order being disabled.", rw, Reason.OUT_OF_ORDER);
    rejected("prometheus_tsdb_out_of_bound_samples", "Total number of out of bound samples"
        + " ingestion failed attempts with out of order support disabled.", rw,
        Reason.OUT_OF_BOUNDS);
    rejected("prometheus_tsdb_too_old_samples", "Total number of out of order samples ingestion"
        + " failed attempts with out of support enabled, but sample outside of time window.", rw,
        Reason.TOO_OLD);
  }

  private void rejected(String name, String help, RemoteWriteStats rw, Reason reason) {
    FunctionCounter.builder(name, rw, x -> x.samplesRejected(reason)).description(help)
        .tag("type", "float").register(registry);
  }

  private void storageCounter(String name, String help, Supplier<StorageStats> stats,
      java.util.function.ToLongFunction<StorageStats> f) {
    FunctionCounter.builder(name, stats, x -> f.applyAsLong(x.get())).description(help)
        .register(registry);
  }

  private void gauge(String name, String help, Supplier<Number> f) {
    Gauge.builder(name, f).description(help).register(registry);
  }

  /** The storage's lowest or highest timestamp in ms / unit; NaN before the storage is open. */
  private static double time(Storage storage, boolean lowest, double unit) {
    try {
      return (lowest ? storage.minTime() : storage.maxTime()) / unit;
    } catch (IllegalStateException e) {
      return Double.NaN;
    }
  }

  /** Counts series by scanning the storage, at most every few seconds. */
  private static final class SeriesCounter {
    private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private final Storage storage;
    private long lastScan = System.nanoTime() - 2 * MAX_AGE_NANOS;
    private long count;

    SeriesCounter(Storage storage) {
      this.storage = storage;
    }

    synchronized double count() {
      long now = System.nanoTime();
      if (now - lastScan < MAX_AGE_NANOS) {
        return count;
      }
      try {
        long min = storage.minTime();
        long max = storage.maxTime();
        long n = 0;
        if (min <= max) {
          try (Querier q = storage.querier(min, max)) {
            SeriesSet ss = q.select(false, null, Matcher.re(Labels.METRIC_NAME, ".*"));
            while (ss.next()) {
              n++;
            }
          }
        }
        count = n;
        lastScan = now;
        return n;
      } catch (IOException | IllegalStateException e) {
        return Double.NaN;
      }
    }
  }

  /**
   * Observes PromQL evaluations: prometheus_engine_queries (in flight) and
   * prometheus_engine_query_duration_seconds{slice="inner_eval"}, which here holds the whole
   * engine call (our engine does not report its phases separately; the other slices stay at 0).
   */
  public QueryObserver queries() {
    return queryObserver;
  }

  /** Brackets a query evaluation. */
  public interface QueryObserver {
    QueryObserver NONE = new QueryObserver() {
      @Override
      public void started() {}

      @Override
      public void finished(long nanos) {}
    };

    void started();

    void finished(long nanos);
  }

  private final QueryObserver queryObserver = new QueryObserver() {
    private final AtomicLong inFlight = new AtomicLong();
    private final Timer innerEval = engineTimer("inner_eval");

    {
      Gauge.builder("prometheus_engine_queries", inFlight, AtomicLong::get)
          .description("The current number of queries being executed or waiting.")
          .register(registry);
      for (String slice : new String[] {"prepare_time", "queue_time", "result_sort"}) {
        engineTimer(slice);
      }
    }

    @Override
    public void started() {
      inFlight.incrementAndGet();
    }

    @Override
    public void finished(long nanos) {
      inFlight.decrementAndGet();
      innerEval.record(nanos, TimeUnit.NANOSECONDS);
    }
  };

  private Timer engineTimer(String slice) {
    return Timer.builder("prometheus_engine_query_duration")
        .description("Query timings")
        .tag("slice", slice)
        .publishPercentiles(0.5, 0.9, 0.99)
        .register(registry);
  }

  private final List<Supplier<String>> handWritten = new CopyOnWriteArrayList<>();

  private static String counterText(String name, String help, long value) {
    return "# HELP " + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " "
        + value + "\n";
  }

  private final AtomicLong remoteReadQueries = new AtomicLong();

  /**
   * prometheus_api_remote_read_queries (Prometheus 2.x's name): remote reads being executed or
   * waiting for the concurrency limit; the handler counts into the returned cell.
   */
  public AtomicLong remoteReadQueries() {
    if (registry.find("prometheus_api_remote_read_queries").gauge() == null) {
      Gauge.builder("prometheus_api_remote_read_queries", remoteReadQueries, AtomicLong::get)
          .description("The current number of remote read queries being executed or waiting.")
          .register(registry);
    }
    return remoteReadQueries;
  }

  /** The text exposition for /metrics. */
  public String scrape() {
    String text = registry.scrape();
    if (handWritten.isEmpty()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + 512).append(text);
    for (Supplier<String> h : handWritten) {
      sb.append(h.get());
    }
    return sb.toString();
  }
}
