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
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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

  /** The text exposition for /metrics. */
  public String scrape() {
    return registry.scrape();
  }
}
