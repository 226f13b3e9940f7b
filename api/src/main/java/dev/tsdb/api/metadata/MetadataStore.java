package dev.tsdb.api.metadata;

import dev.tsdb.storage.MetricMetadata;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metric-family metadata received over remote write, per metric name. Keeps every distinct
 * (type, help, unit) seen for a name, newest last, at most {@link #MAX_PER_METRIC} of them, as
 * /api/v1/metadata lists several when senders disagree. In memory only: senders resend metadata
 * periodically (every minute by default).
 */
public final class MetadataStore {
  public static final int MAX_PER_METRIC = 10;

  private final Map<String, Set<MetricMetadata>> byMetric = new ConcurrentHashMap<>();

  public void put(String metric, MetricMetadata md) {
    Set<MetricMetadata> set = byMetric.computeIfAbsent(metric, k -> new LinkedHashSet<>());
    synchronized (set) {
      if (set.remove(md) || set.size() < MAX_PER_METRIC) {
        set.add(md);
      } else {
        set.remove(set.iterator().next());
        set.add(md);
      }
    }
  }

  /** A copy of the entries, metric names sorted. */
  public Map<String, List<MetricMetadata>> snapshot() {
    Map<String, List<MetricMetadata>> out = new TreeMap<>();
    byMetric.forEach((k, set) -> {
      synchronized (set) {
        out.put(k, new ArrayList<>(set));
      }
    });
    return out;
  }

  public List<MetricMetadata> get(String metric) {
    Set<MetricMetadata> set = byMetric.get(metric);
    if (set == null) {
      return List.of();
    }
    synchronized (set) {
      return new ArrayList<>(set);
    }
  }

  public int size() {
    return byMetric.size();
  }
}
