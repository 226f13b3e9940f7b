package dev.tsdb.rules.notifier;

import dev.tsdb.rules.metrics.GaugeCell;
import dev.tsdb.rules.metrics.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The notifier's metrics with Prometheus's names and label sets (notifier/metric.go), on the
 * Micrometer registry the server hands in. Latency, errors and sent are per Alertmanager; drops
 * and the queue length have no label in Prometheus, which has one queue: here each Alertmanager
 * has its own queue, so the exposed length is their sum and all loops count into one drop
 * counter. One notifier per registry: the registry keeps the first of two gauges with one name.
 */
public final class NotifierMetrics {
  public static final String LATENCY = "prometheus_notifications_latency_seconds";
  public static final String ERRORS = "prometheus_notifications_errors_total";
  public static final String SENT = "prometheus_notifications_sent_total";
  public static final String DROPPED = "prometheus_notifications_dropped_total";
  public static final String QUEUE_LENGTH = "prometheus_notifications_queue_length";
  public static final String QUEUE_CAPACITY = "prometheus_notifications_queue_capacity";
  public static final String DISCOVERED = "prometheus_notifications_alertmanagers_discovered";

  private final MeterRegistry registry;
  private final Counter dropped;
  /** Each Alertmanager's queue length, by URL; the gauge shows their sum. */
  private final Map<String, GaugeCell> queueLengths = new ConcurrentHashMap<>();

  public NotifierMetrics(MeterRegistry registry, int queueCapacity, DoubleSupplier discovered) {
    this.registry = registry;
    GaugeCell capacity = new GaugeCell();
    capacity.set(queueCapacity);
    Meters.gauge(registry, QUEUE_CAPACITY, "The capacity of the alert notifications queue.",
        Tags.empty(), capacity);
    Meters.gauge(registry, DISCOVERED, "The number of alertmanagers discovered and active.",
        Tags.empty(), discovered);
    dropped = Meters.counter(registry, DROPPED,
        "Total number of alerts dropped due to errors when sending to Alertmanager.",
        Tags.empty());
    Meters.gauge(registry, QUEUE_LENGTH, "The number of alert notifications in the queue.",
        Tags.empty(), this::queueLength);
  }

  private double queueLength() {
    double total = 0;
    for (GaugeCell c : queueLengths.values()) {
      total += c.get();
    }
    return total;
  }

  /** Per-Alertmanager instruments, labelled {@code alertmanager="URL"} where Prometheus has it. */
  public final class PerAlertmanager {
    public final DistributionSummary latency;
    public final Counter errors;
    public final Counter sent;
    public final Counter dropped;
    public final GaugeCell queueLength;

    PerAlertmanager(String url) {
      Tags t = Tags.of("alertmanager", url);
      latency = Meters.summary(registry, LATENCY,
          "Latency quantiles for sending alert notifications.", t);
      errors = Meters.counter(registry, ERRORS, "Total number of sent alerts affected by errors.",
          t);
      sent = Meters.counter(registry, SENT, "Total number of alerts sent.", t);
      dropped = NotifierMetrics.this.dropped;
      queueLength = queueLengths.computeIfAbsent(url, u -> new GaugeCell());
    }
  }

  public PerAlertmanager forAlertmanager(String url) {
    return new PerAlertmanager(url);
  }

  /** Drops an Alertmanager's series; the drop total stays, as Prometheus never resets it. */
  public void remove(String url) {
    Tags t = Tags.of("alertmanager", url);
    for (String name : new String[] {LATENCY, ERRORS, SENT}) {
      registry.find(name).tags(t).meters().forEach(registry::remove);
    }
    queueLengths.remove(url);
  }
}
