package dev.tsdb.api;

import dev.tsdb.api.http.Router;
import dev.tsdb.api.remote.RemoteWriteStats;
import dev.tsdb.index.storage.SampleRejectedException.Reason;
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

  private void gauge(String name, String help, Supplier<Number> f) {
    Gauge.builder(name, f).description(help).register(registry);
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
    counter("prometheus_remote_write_receiver_exemplars_rejected",
        "Exemplars refused by storage (out of order, labels too long, invalid labels); the"
            + " request still succeeds, as in Prometheus.", s, x -> x.exemplarsRejected.sum());
    counter("prometheus_remote_write_receiver_metadata",
        "Metadata entries received over remote write.", s, x -> x.metadataReceived.sum());
    counter("prometheus_api_remote_write_invalid_labels_samples",
        "The total number of received remote write samples and histogram samples which were"
            + " rejected due to invalid labels.", s, x -> x.invalidLabelSamples.sum());
    counter("prometheus_remote_write_receiver_histograms_rejected",
        "Native histogram samples refused (invalid, or not supported by the storage yet).", s,
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

  /**
   * Adds families rendered by hand after the registry's: the client library refuses metric
   * names ending in _created (OpenMetrics reserves the suffix), which some of Prometheus's
   * counters have (prometheus_tsdb_head_series_created_total).
   */
  public void addText(Supplier<String> family) {
    handWritten.add(family);
  }

  /** A counter family in the text format. */
  public static String counterText(String name, String help, long value) {
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
