package dev.tsdb.rules.metrics;

import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Where the rule engine and notifier report their metrics, under Prometheus's metric names
 * (prometheus_rule_*, prometheus_notifications_*). A thin seam so the server can bind them to
 * Micrometer or its own registry; {@link InMemoryMetrics} is a simple implementation and
 * {@link #NOOP} discards everything. Label maps are small and fixed per series; implementations
 * should cache the returned instruments.
 */
public interface MetricsSink {
  /** A monotonically increasing counter. */
  interface Counter {
    void inc(double delta);

    default void inc() {
      inc(1);
    }
  }

  /** A value that can go up and down. */
  interface Gauge {
    void set(double value);
  }

  /** A distribution of observations (Prometheus uses summaries for these durations). */
  interface Summary {
    void observe(double value);
  }

  Counter counter(String name, String help, Map<String, String> labels);

  Gauge gauge(String name, String help, Map<String, String> labels);

  Summary summary(String name, String help, Map<String, String> labels);

  /** A gauge whose value is read when metrics are collected. */
  void gaugeFunction(String name, String help, Map<String, String> labels, DoubleSupplier value);

  /** Drops one series (e.g. when a rule group or Alertmanager goes away). */
  void remove(String name, Map<String, String> labels);

  MetricsSink NOOP = new MetricsSink() {
    @Override
    public Counter counter(String name, String help, Map<String, String> labels) {
      return d -> {};
    }

    @Override
    public Gauge gauge(String name, String help, Map<String, String> labels) {
      return v -> {};
    }

    @Override
    public Summary summary(String name, String help, Map<String, String> labels) {
      return v -> {};
    }

    @Override
    public void gaugeFunction(String name, String help, Map<String, String> labels,
        DoubleSupplier value) {}

    @Override
    public void remove(String name, Map<String, String> labels) {}
  };
}
