package dev.tsdb.rules.notifier;

import dev.tsdb.rules.metrics.MetricsSink;
import java.util.Map;

/** The notifier's metrics with Prometheus's names (notifier/metric.go). */
public final class NotifierMetrics {
  public static final String LATENCY = "prometheus_notifications_latency_seconds";
  public static final String ERRORS = "prometheus_notifications_errors_total";
  public static final String SENT = "prometheus_notifications_sent_total";
  public static final String DROPPED = "prometheus_notifications_dropped_total";
  public static final String QUEUE_LENGTH = "prometheus_notifications_queue_length";
  public static final String QUEUE_CAPACITY = "prometheus_notifications_queue_capacity";
  public static final String DISCOVERED = "prometheus_notifications_alertmanagers_discovered";

  private final MetricsSink sink;

  NotifierMetrics(MetricsSink sink, int queueCapacity,
      java.util.function.DoubleSupplier discovered) {
    this.sink = sink;
    sink.gauge(QUEUE_CAPACITY, "The capacity of the alert notifications queue.", Map.of())
        .set(queueCapacity);
    sink.gaugeFunction(DISCOVERED, "The number of alertmanagers discovered and active.",
        Map.of(), discovered);
  }

  /** Per-Alertmanager instruments, labelled {@code alertmanager="URL"}. */
  final class PerAlertmanager {
    final MetricsSink.Summary latency;
    final MetricsSink.Counter errors;
    final MetricsSink.Counter sent;
    final MetricsSink.Counter dropped;
    final MetricsSink.Gauge queueLength;

    PerAlertmanager(String url) {
      Map<String, String> l = Map.of("alertmanager", url);
      latency = sink.summary(LATENCY, "Latency quantiles for sending alert notifications.", l);
      errors = sink.counter(ERRORS,
          "Total number of sent alerts affected by errors.", l);
      sent = sink.counter(SENT, "Total number of alerts sent.", l);
      dropped = sink.counter(DROPPED,
          "Total number of alerts dropped due to errors when sending to Alertmanager.", l);
      queueLength = sink.gauge(QUEUE_LENGTH, "The number of alert notifications in the queue.",
          l);
    }
  }

  PerAlertmanager forAlertmanager(String url) {
    return new PerAlertmanager(url);
  }

  void remove(String url) {
    Map<String, String> l = Map.of("alertmanager", url);
    for (String n : new String[] {LATENCY, ERRORS, SENT, DROPPED, QUEUE_LENGTH}) {
      sink.remove(n, l);
    }
    sink.remove(LATENCY + "_count", l);
    sink.remove(LATENCY + "_sum", l);
  }
}
