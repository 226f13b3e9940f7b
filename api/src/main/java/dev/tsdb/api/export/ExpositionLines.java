package dev.tsdb.api.export;

import dev.tsdb.index.labels.LabelStrings;
import dev.tsdb.index.labels.Labels;

/**
 * {@code /api/v1/export/prometheus}: the text exposition format with a millisecond timestamp on
 * every line, one line per sample and no {@code # TYPE} lines, as VictoriaMetrics writes it.
 * Names outside the legacy character set are quoted inside the braces (Prometheus 3's UTF-8
 * syntax). {@code /api/v1/import/prometheus} reads it back.
 */
public final class ExpositionLines implements SeriesFormat {
  @Override
  public String contentType() {
    return "text/plain; charset=utf-8";
  }

  @Override
  public void append(StringBuilder out, Labels labels, long[] timestamps, double[] values,
      int n) {
    int start = out.length();
    appendSeries(out, labels);
    String series = out.substring(start);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.append(series);
      }
      out.append(' ');
      VmNumbers.appendValue(out, values[i]);
      out.append(' ').append(timestamps[i]).append('\n');
    }
  }

  /** {@code name{a="x",b="y"}}, or {@code {"odd.name",a="x"}}. */
  public static void appendSeries(StringBuilder out, Labels labels) {
    String name = labels.metricName();
    boolean legacyName = name != null && LabelStrings.isLegacyMetricName(name);
    if (legacyName) {
      out.append(name);
    }
    boolean first = true;
    if (name != null && !legacyName) {
      out.append('{');
      appendEscaped(out, name);
      first = false;
    }
    for (int i = 0; i < labels.size(); i++) {
      String n = labels.name(i);
      if (n.equals(Labels.METRIC_NAME)) {
        continue;
      }
      out.append(first ? '{' : ',');
      first = false;
      if (LabelStrings.isLegacyName(n)) {
        out.append(n);
      } else {
        appendEscaped(out, n);
      }
      out.append('=');
      appendEscaped(out, labels.value(i));
    }
    if (!first) {
      out.append('}');
    }
  }

  /** A quoted string of the text format: backslash, double quote and newline escaped. */
  public static void appendEscaped(StringBuilder sb, String v) {
    sb.append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
    sb.append('"');
  }
}
