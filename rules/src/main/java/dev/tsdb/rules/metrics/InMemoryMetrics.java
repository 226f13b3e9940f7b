package dev.tsdb.rules.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.DoubleSupplier;

/**
 * A thread-safe in-process {@link MetricsSink}: counters, gauges, gauge functions and summaries
 * (count and sum only). {@link #value} reads one series, {@link #snapshot} all of them in
 * Prometheus text-format series notation ({@code name{label="v"}}), for tests and for simple
 * exposition.
 */
public final class InMemoryMetrics implements MetricsSink {
  private final Map<String, DoubleAdder> counters = new ConcurrentHashMap<>();
  private final Map<String, double[]> gauges = new ConcurrentHashMap<>();
  private final Map<String, DoubleSupplier> functions = new ConcurrentHashMap<>();
  private final Map<String, String> help = new ConcurrentHashMap<>();

  /** {@code name{a="x",b="y"}} with labels sorted. */
  public static String key(String name, Map<String, String> labels) {
    if (labels.isEmpty()) {
      return name;
    }
    StringBuilder sb = new StringBuilder(name).append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append(e.getKey()).append("=\"")
          .append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
          .append('"');
    }
    return sb.append('}').toString();
  }

  @Override
  public Counter counter(String name, String h, Map<String, String> labels) {
    help.putIfAbsent(name, h);
    DoubleAdder a = counters.computeIfAbsent(key(name, labels), k -> new DoubleAdder());
    return a::add;
  }

  @Override
  public Gauge gauge(String name, String h, Map<String, String> labels) {
    help.putIfAbsent(name, h);
    double[] cell = gauges.computeIfAbsent(key(name, labels), k -> new double[1]);
    return v -> {
      synchronized (cell) {
        cell[0] = v;
      }
    };
  }

  @Override
  public Summary summary(String name, String h, Map<String, String> labels) {
    help.putIfAbsent(name, h);
    DoubleAdder count = counters.computeIfAbsent(key(name + "_count", labels),
        k -> new DoubleAdder());
    DoubleAdder sum = counters.computeIfAbsent(key(name + "_sum", labels), k -> new DoubleAdder());
    return v -> {
      count.add(1);
      sum.add(v);
    };
  }

  @Override
  public void gaugeFunction(String name, String h, Map<String, String> labels,
      DoubleSupplier value) {
    help.putIfAbsent(name, h);
    functions.put(key(name, labels), value);
  }

  @Override
  public void remove(String name, Map<String, String> labels) {
    String k = key(name, labels);
    counters.remove(k);
    gauges.remove(k);
    functions.remove(k);
  }

  /** The current value of a series, or NaN if it does not exist. */
  public double value(String name, Map<String, String> labels) {
    String k = key(name, labels);
    DoubleAdder c = counters.get(k);
    if (c != null) {
      return c.sum();
    }
    double[] g = gauges.get(k);
    if (g != null) {
      synchronized (g) {
        return g[0];
      }
    }
    DoubleSupplier f = functions.get(k);
    return f != null ? f.getAsDouble() : Double.NaN;
  }

  /** Every series and its value, sorted by series. */
  public Map<String, Double> snapshot() {
    Map<String, Double> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    gauges.forEach((k, v) -> {
      synchronized (v) {
        out.put(k, v[0]);
      }
    });
    functions.forEach((k, v) -> out.put(k, v.getAsDouble()));
    return out;
  }
}
