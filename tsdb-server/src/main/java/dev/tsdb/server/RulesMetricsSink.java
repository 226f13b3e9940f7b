package dev.tsdb.server;

import dev.tsdb.rules.metrics.MetricsSink;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The rule engine's and notifier's metrics on the server's /metrics registry. They are
 * registered with the Prometheus client library underneath Micrometer rather than as Micrometer
 * meters, so that names, types and label sets come out exactly as Prometheus's
 * ({@code prometheus_rule_evaluations_total{rule_group="..."}}, summaries with the 0.5/0.9/0.99
 * quantiles) instead of Micrometer's renamed and suffixed forms.
 *
 * <p>Exemplars are off: there is no tracing, and sampling them needs the client's tracer
 * initializer, which is not on the class path.
 *
 * <p>One metric family per name; its label names are those of the first call (the rules module
 * always uses the same label names for one metric name). The notifier reports drops and queue
 * lengths per Alertmanager, but Prometheus exposes {@code prometheus_notifications_dropped_total}
 * and {@code prometheus_notifications_queue_length} without labels, so those are summed over
 * Alertmanagers here.
 */
final class RulesMetricsSink implements MetricsSink {
  /** Exposed without labels, as the sum over their label sets. */
  static final Set<String> SUMMED = Set.of("prometheus_notifications_dropped_total",
      "prometheus_notifications_queue_length");

  private final PrometheusRegistry registry;
  private final Map<String, Object> families = new ConcurrentHashMap<>();

  RulesMetricsSink(PrometheusRegistry registry) {
    this.registry = registry;
  }

  private static String[] names(Map<String, String> labels) {
    String[] n = labels.keySet().toArray(new String[0]);
    Arrays.sort(n);
    return n;
  }

  private static String[] values(Map<String, String> labels) {
    String[] n = names(labels);
    String[] v = new String[n.length];
    for (int i = 0; i < n.length; i++) {
      v[i] = labels.get(n[i]);
    }
    return v;
  }

  @Override
  public MetricsSink.Counter counter(String name, String help, Map<String, String> given) {
    Map<String, String> labels = SUMMED.contains(name) ? Map.of() : given;
    io.prometheus.metrics.core.metrics.Counter c =
        (io.prometheus.metrics.core.metrics.Counter) families.computeIfAbsent(name, n ->
            io.prometheus.metrics.core.metrics.Counter.builder().name(n).help(help)
                .labelNames(names(labels)).withoutExemplars().register(registry));
    CounterDataPoint p = c.labelValues(values(labels));
    return p::inc;
  }

  @Override
  public MetricsSink.Gauge gauge(String name, String help, Map<String, String> labels) {
    if (SUMMED.contains(name)) {
      SummedGauge f = (SummedGauge) families.computeIfAbsent(name, n -> {
        SummedGauge fam = new SummedGauge();
        GaugeWithCallback.builder().name(n).help(help)
            .callback(cb -> cb.call(fam.sum())).register(registry);
        return fam;
      });
      Cell cell = new Cell();
      f.cells.put(List.of(values(labels)), cell);
      return v -> cell.value = v;
    }
    io.prometheus.metrics.core.metrics.Gauge g =
        (io.prometheus.metrics.core.metrics.Gauge) families.computeIfAbsent(name, n ->
            io.prometheus.metrics.core.metrics.Gauge.builder().name(n).help(help)
                .labelNames(names(labels)).withoutExemplars().register(registry));
    GaugeDataPoint p = g.labelValues(values(labels));
    return p::set;
  }

  @Override
  public MetricsSink.Summary summary(String name, String help, Map<String, String> labels) {
    // Prometheus's objectives for these summaries: {0.5: 0.05, 0.9: 0.01, 0.99: 0.001}.
    io.prometheus.metrics.core.metrics.Summary s =
        (io.prometheus.metrics.core.metrics.Summary) families.computeIfAbsent(name, n ->
            io.prometheus.metrics.core.metrics.Summary.builder().name(n).help(help)
                .quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001)
                .labelNames(names(labels)).withoutExemplars().register(registry));
    DistributionDataPoint p = s.labelValues(values(labels));
    return p::observe;
  }

  /** One label set's last value, set by the notifier's threads, read when scraped. */
  private static final class Cell {
    volatile double value;
  }

  /** A gauge exposed as the sum of its label sets' last values. */
  private static final class SummedGauge {
    final Map<List<String>, Cell> cells = new ConcurrentHashMap<>();

    double sum() {
      double total = 0;
      for (Cell c : cells.values()) {
        total += c.value;
      }
      return total;
    }
  }

  /** A callback gauge family: one supplier per label value list. */
  private static final class CallbackFamily {
    final Map<List<String>, DoubleSupplier> suppliers = new ConcurrentHashMap<>();
  }

  @Override
  public void gaugeFunction(String name, String help, Map<String, String> labels,
      DoubleSupplier value) {
    CallbackFamily f = (CallbackFamily) families.computeIfAbsent(name, n -> {
      CallbackFamily fam = new CallbackFamily();
      GaugeWithCallback.builder().name(n).help(help).labelNames(names(labels))
          .callback(cb -> fam.suppliers.forEach((vals, sup) ->
              cb.call(sup.getAsDouble(), vals.toArray(new String[0]))))
          .register(registry);
      return fam;
    });
    f.suppliers.put(List.of(values(labels)), value);
  }

  @Override
  public void remove(String name, Map<String, String> labels) {
    Object f = families.get(name);
    if (SUMMED.contains(name)) {
      // A total stays (Prometheus never drops it); a summed gauge loses that part.
      if (f instanceof SummedGauge sg) {
        sg.cells.remove(List.of(values(labels)));
      }
    } else if (f instanceof io.prometheus.metrics.core.metrics.Counter c) {
      c.remove(values(labels));
    } else if (f instanceof io.prometheus.metrics.core.metrics.Gauge g) {
      g.remove(values(labels));
    } else if (f instanceof io.prometheus.metrics.core.metrics.Summary s) {
      s.remove(values(labels));
    } else if (f instanceof CallbackFamily cf) {
      cf.suppliers.remove(List.of(values(labels)));
    }
  }
}
