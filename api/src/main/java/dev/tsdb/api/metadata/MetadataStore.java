package dev.tsdb.api.metadata;

import dev.tsdb.index.storage.MetadataQueryable;
import dev.tsdb.index.storage.MetricMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metric-family metadata received over remote write, per metric name, for storage that does not
 * keep metadata itself (not a {@link MetadataQueryable}, e.g. the in-memory test storage; the
 * database persists metadata with its series). Keeps every distinct (type, help, unit) seen for
 * a name, newest last, at most {@link #MAX_PER_METRIC} of them. In memory only.
 */
public final class MetadataStore implements MetadataQueryable {
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

  @Override
  public Map<String, List<MetricMetadata>> metricMetadata(String metric, int limit,
      int limitPerMetric) {
    Map<String, List<MetricMetadata>> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<MetricMetadata>> e : snapshot().entrySet()) {
      if (metric != null && !metric.isEmpty() && !metric.equals(e.getKey())) {
        continue;
      }
      if (limit > 0 && out.size() >= limit) {
        break;
      }
      List<MetricMetadata> l = e.getValue();
      if (limitPerMetric > 0 && l.size() > limitPerMetric) {
        l = l.subList(0, limitPerMetric);
      }
      out.put(e.getKey(), List.copyOf(l));
    }
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
