package dev.tsdb.promql.engine;

import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.gocompat.GoTimeFormat;
import dev.tsdb.promql.ast.PosRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Warnings and infos collected during one evaluation, rendered exactly as Prometheus's
 * util/annotations package renders them: {@code "PromQL warning: <text> (<line>:<col>)"} where
 * the position is the start of the offending node in the query text. Annotations with the same
 * text (position excluded) are deduplicated, the first one kept; the histogram_quantile
 * monotonicity info instead accumulates over all its occurrences.
 */
final class Annotations {
  static final String WARN = "PromQL warning: ";
  static final String INFO = "PromQL info: ";

  private static final class Entry {
    final boolean warning;
    final String text;
    final PosRange pos;
    // Accumulated details of the monotonicity info; unused otherwise.
    boolean monotonicity;
    long minTs;
    long maxTs;
    double minBucket;
    double maxBucket;
    double maxDiff;
    int count;

    Entry(boolean warning, String text, PosRange pos) {
      this.warning = warning;
      this.text = text;
      this.pos = pos;
    }
  }

  private final Map<String, Entry> entries = new LinkedHashMap<>();

  boolean isEmpty() {
    return entries.isEmpty();
  }

  void warn(String text, PosRange pos) {
    entries.putIfAbsent(WARN + text, new Entry(true, WARN + text, pos));
  }

  /** A warning from storage: shown as is, without prefix or position. */
  void storageWarning(String text) {
    entries.putIfAbsent(text, new Entry(true, text, null));
  }

  void info(String text, PosRange pos) {
    entries.putIfAbsent(INFO + text, new Entry(false, INFO + text, pos));
  }

  void forcedMonotonicity(String metricName, PosRange pos, long ts, double minBucket,
      double maxBucket, double maxDiff) {
    String text = INFO + "input to histogram_quantile needed to be fixed for monotonicity (see "
        + "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)"
        + forMetricName(metricName);
    Entry e = entries.get(text);
    if (e == null) {
      e = new Entry(false, text, pos);
      e.monotonicity = true;
      e.minTs = ts;
      e.maxTs = ts;
      e.minBucket = minBucket;
      e.maxBucket = maxBucket;
      e.maxDiff = maxDiff;
      entries.put(text, e);
      return;
    }
    e.minTs = Math.min(e.minTs, ts);
    e.maxTs = Math.max(e.maxTs, ts);
    e.minBucket = Math.min(e.minBucket, minBucket);
    e.maxBucket = Math.max(e.maxBucket, maxBucket);
    e.maxDiff = Math.max(e.maxDiff, maxDiff);
    e.count++;
  }

  void merge(Annotations o) {
    for (Map.Entry<String, Entry> e : o.entries.entrySet()) {
      entries.putIfAbsent(e.getKey(), e.getValue());
    }
  }

  List<String> warnings(String query) {
    return render(query, true);
  }

  List<String> infos(String query) {
    return render(query, false);
  }

  private List<String> render(String query, boolean warnings) {
    List<String> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.warning != warnings) {
        continue;
      }
      StringBuilder sb = new StringBuilder(e.text);
      if (e.monotonicity) {
        sb.append(", from buckets ").append(GoFloat.formatG(e.minBucket)).append(" to ")
            .append(GoFloat.formatG(e.maxBucket)).append(", with a max diff of ")
            .append(GoFloat.format(e.maxDiff, 'g', 2)).append(", over ").append(e.count + 1)
            .append(" samples from ")
            .append(GoTimeFormat.format(1_000_000L * e.minTs, GoTimeFormat.RFC3339))
            .append(" to ").append(GoTimeFormat.format(1_000_000L * e.maxTs, GoTimeFormat.RFC3339));
      }
      if (query != null && !query.isEmpty() && e.pos != null) {
        sb.append(" (").append(position(query, e.pos)).append(')');
      }
      out.add(sb.toString());
    }
    return out;
  }

  static String forMetricName(String metricName) {
    return metricName == null || metricName.isEmpty() ? ""
        : " for metric name " + GoStrings.quote(metricName);
  }

  /** Prometheus's PositionRange.StartPosInput: 1-based line and column of the start offset. */
  static String position(String query, PosRange pos) {
    if (pos == null || pos.start() > pos.end()) {
      return "invalid";
    }
    int p = pos.start();
    if (p < 0 || p > query.length()) {
      return "invalid";
    }
    int lastBreak = query.lastIndexOf('\n', p - 1);
    int col = p - lastBreak;
    int line = 1;
    for (int i = 0; i < p; i++) {
      if (query.charAt(i) == '\n') {
        line++;
      }
    }
    return line + ":" + col;
  }
}
