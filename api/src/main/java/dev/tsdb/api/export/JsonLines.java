package dev.tsdb.api.export;

import dev.tsdb.index.labels.Labels;

/**
 * VictoriaMetrics's JSON line: {@code {"metric":{"__name__":"up","job":"x"},"values":[1,0],
 * "timestamps":[1700000000000,1700000015000]}} and a newline, one per series; timestamps in
 * milliseconds. {@code /api/v1/import} reads it back.
 */
public final class JsonLines implements SeriesFormat {
  @Override
  public String contentType() {
    return "application/stream+json; charset=utf-8";
  }

  @Override
  public void append(StringBuilder out, Labels labels, long[] timestamps, double[] values,
      int n) {
    out.append("{\"metric\":{");
    for (int i = 0; i < labels.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      appendString(out, labels.name(i));
      out.append(':');
      appendString(out, labels.value(i));
    }
    out.append("},\"values\":[");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.append(',');
      }
      VmNumbers.appendValue(out, values[i]);
    }
    out.append("],\"timestamps\":[");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(timestamps[i]);
    }
    out.append("]}\n");
  }

  /** A JSON string: quote, backslash and control characters escaped. */
  static void appendString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
