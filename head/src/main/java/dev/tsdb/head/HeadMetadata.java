package dev.tsdb.head;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.MetricMetadata;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metric-family metadata of the head. Each series holds (a shared, interned) {@link SeriesMeta};
 * the WAL logs it per series (Prometheus's metadata records), so it survives restarts as long as
 * the series does. Metadata sent per family (remote write 1.0) is also kept by family name, so
 * series created later inherit it, and families without series yet are listed.
 *
 * <p>Family names: a family update applies to series named like the family or with a suffix of
 * its type (histogram {@code _bucket/_sum/_count/_created}, summary {@code _sum/_count/_created},
 * counter {@code _total/_created}, info {@code _info}, gauge histogram {@code _gsum/_gcount}).
 * Replayed or per-series metadata derives the family from the series name by stripping those
 * suffixes, except a counter's {@code _total}, which text-format families include.
 */
final class HeadMetadata {
  private static final String[] HISTOGRAM = {"_bucket", "_sum", "_count", "_created"};
  private static final String[] SUMMARY = {"_sum", "_count", "_created"};
  private static final String[] COUNTER = {"_total", "_created"};
  private static final String[] INFO = {"_info"};
  private static final String[] GAUGE_HISTOGRAM = {"_bucket", "_gsum", "_gcount"};
  private static final String[] NONE = {};

  private final ConcurrentHashMap<SeriesMeta, SeriesMeta> interned = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, MetricMetadata> families = new ConcurrentHashMap<>();

  static String[] suffixes(String type) {
    if (type == null) {
      return NONE;
    }
    switch (type) {
      case "histogram": return HISTOGRAM;
      case "summary": return SUMMARY;
      case "counter": return COUNTER;
      case "info": return INFO;
      case "gaugehistogram": return GAUGE_HISTOGRAM;
      default: return NONE;
    }
  }

  /** The shared instance for (family, metadata). */
  SeriesMeta intern(String family, MetricMetadata md) {
    SeriesMeta m = new SeriesMeta(family, normalize(md));
    SeriesMeta prev = interned.putIfAbsent(m, m);
    return prev != null ? prev : m;
  }

  private static MetricMetadata normalize(MetricMetadata md) {
    String type = md.type() == null || md.type().isEmpty() ? "unknown" : md.type();
    String help = md.help() == null ? "" : md.help();
    String unit = md.unit() == null ? "" : md.unit();
    if (type.equals(md.type()) && help.equals(md.help()) && unit.equals(md.unit())) {
      return md;
    }
    return new MetricMetadata(type, help, unit);
  }

  /** The family of a series named {@code name} with metadata of {@code type}. */
  static String familyOf(String name, String type) {
    if (name == null) {
      return "";
    }
    for (String suf : suffixes(type)) {
      if (!suf.equals("_total") && name.endsWith(suf) && name.length() > suf.length()) {
        return name.substring(0, name.length() - suf.length());
      }
    }
    return name;
  }

  /** Records family-level metadata; series created later inherit it. */
  void putFamily(String family, MetricMetadata md) {
    families.put(family, normalize(md));
  }

  boolean hasFamilies() {
    return !families.isEmpty();
  }

  /** Family metadata a new series named {@code name} inherits, or null. */
  SeriesMeta inherited(String name) {
    if (name == null) {
      return null;
    }
    MetricMetadata md = families.get(name);
    if (md != null) {
      return intern(name, md);
    }
    int us = name.lastIndexOf('_');
    if (us > 0) {
      String family = name.substring(0, us);
      md = families.get(family);
      if (md != null) {
        String suf = name.substring(us);
        for (String s : suffixes(md.type())) {
          if (s.equals(suf)) {
            return intern(family, md);
          }
        }
      }
    }
    return null;
  }

  /** Series names a family update applies to. */
  static List<String> seriesNames(String family, String type) {
    List<String> out = new ArrayList<>();
    out.add(family);
    for (String s : suffixes(type)) {
      out.add(family + s);
    }
    return out;
  }

  /**
   * The listing for /api/v1/metadata from the series' metadata and the family updates kept.
   */
  Map<String, List<MetricMetadata>> list(Iterable<SeriesMeta> seriesMetas, String metric,
      int limit, int limitPerMetric) {
    Map<String, Set<MetricMetadata>> byFamily = new TreeMap<>(
        dev.tsdb.index.format.Utf8Order::compare);
    families.forEach((f, md) -> {
      if (metric == null || metric.isEmpty() || metric.equals(f)) {
        byFamily.computeIfAbsent(f, k -> new LinkedHashSet<>()).add(md);
      }
    });
    for (SeriesMeta m : seriesMetas) {
      if (metric == null || metric.isEmpty() || metric.equals(m.family())) {
        byFamily.computeIfAbsent(m.family(), k -> new LinkedHashSet<>()).add(m.metadata());
      }
    }
    Map<String, List<MetricMetadata>> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Set<MetricMetadata>> e : byFamily.entrySet()) {
      if (limit > 0 && out.size() >= limit) {
        break;
      }
      List<MetricMetadata> l = new ArrayList<>(e.getValue());
      if (limitPerMetric > 0 && l.size() > limitPerMetric) {
        l = l.subList(0, limitPerMetric);
      }
      out.put(e.getKey(), List.copyOf(l));
    }
    return out;
  }

  /** Name of a series for family matching. */
  static String name(Labels ls) {
    return ls.get(Labels.METRIC_NAME);
  }
}
