package dev.tsdb.api.importer;

import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import java.util.function.LongSupplier;

/**
 * One line of the Prometheus text exposition format or OpenMetrics
 * ({@code /api/v1/import/prometheus}): {@code name{label="value",...} value [timestamp]}, with
 * Prometheus 3's quoted UTF-8 names ({@code {"my.metric","my.label"="v"}}). Comments, HELP, TYPE,
 * UNIT and {@code # EOF} lines carry no samples; an OpenMetrics exemplar ({@code # {...} v}) after
 * the sample is ignored. Timestamps are milliseconds in the text format and (possibly fractional)
 * seconds in OpenMetrics; a sample without one gets the request's default time.
 */
final class ExpositionLineDecoder implements LineDecoder {
  private final LabelsBuilder labels = new LabelsBuilder();
  private final boolean openMetrics;
  private final LongSupplier defaultTimestamp;
  private String s;
  private int pos;

  /**
   * @param openMetrics whether timestamps are in seconds (the body is OpenMetrics)
   * @param defaultTimestamp the time of samples without one
   */
  ExpositionLineDecoder(boolean openMetrics, LongSupplier defaultTimestamp) {
    this.openMetrics = openMetrics;
    this.defaultTimestamp = defaultTimestamp;
  }

  @Override
  public void decode(String line, SampleSink sink) throws ImportSyntaxException {
    s = line;
    pos = 0;
    skipSpace();
    if (pos == s.length() || s.charAt(pos) == '#') {
      return;
    }
    labels.reset();
    if (s.charAt(pos) != '{') {
      int start = pos;
      while (pos < s.length() && s.charAt(pos) != '{' && !isSpace(s.charAt(pos))) {
        pos++;
      }
      labels.set(Labels.METRIC_NAME, s.substring(start, pos));
    }
    if (pos < s.length() && s.charAt(pos) == '{') {
      pos++;
      labelSet();
    }
    if (labels.get(Labels.METRIC_NAME).isEmpty()) {
      throw new ImportSyntaxException("metric name missing");
    }
    if (pos == s.length() || !isSpace(s.charAt(pos))) {
      throw new ImportSyntaxException("expected a space and the value after the series");
    }
    skipSpace();
    String valueToken = word();
    Double value = GoNumbers.tryParseFloat(valueToken);
    if (value == null) {
      throw new ImportSyntaxException("invalid value \"" + valueToken + "\"");
    }
    skipSpace();
    long t;
    if (pos == s.length() || s.charAt(pos) == '#') {
      t = defaultTimestamp.getAsLong();
    } else {
      t = timestamp(word());
      skipSpace();
      if (pos < s.length() && s.charAt(pos) != '#') {
        throw new ImportSyntaxException("unexpected text after the timestamp: \""
            + s.substring(pos) + "\"");
      }
    }
    sink.add(labels.build(), t, value);
  }

  private long timestamp(String token) throws ImportSyntaxException {
    if (openMetrics) {
      Double sec = GoNumbers.tryParseFloat(token);
      if (sec == null || sec.isNaN() || sec.isInfinite()) {
        throw new ImportSyntaxException("invalid timestamp \"" + token + "\"");
      }
      return Math.round(sec * 1000);
    }
    try {
      return Long.parseLong(token);
    } catch (NumberFormatException e) {
      throw new ImportSyntaxException("invalid timestamp \"" + token
          + "\" (the text format's timestamps are integer milliseconds; send OpenMetrics with"
          + " Content-Type application/openmetrics-text for seconds)");
    }
  }

  /** After '{': {@code name="value"} pairs and at most one bare quoted metric name, then '}'. */
  private void labelSet() throws ImportSyntaxException {
    while (true) {
      skipSpace();
      if (peek() == '}') {
        pos++;
        return;
      }
      String name = peek() == '"' ? quoted() : bareName();
      skipSpace();
      if (peek() == '=') {
        pos++;
        skipSpace();
        String value = quoted();
        if (name.isEmpty()) {
          throw new ImportSyntaxException("empty label name");
        }
        if (!labels.get(name).isEmpty()) {
          throw new ImportSyntaxException("duplicate label name \"" + name + "\"");
        }
        labels.set(name, value);
      } else if (labels.get(Labels.METRIC_NAME).isEmpty() && !name.isEmpty()) {
        labels.set(Labels.METRIC_NAME, name); // {"utf8.metric.name", ...}
      } else {
        throw new ImportSyntaxException("expected '=' after label name \"" + name + "\"");
      }
      skipSpace();
      if (peek() == ',') {
        pos++;
      } else if (peek() != '}') {
        throw new ImportSyntaxException("expected ',' or '}' in the label set at offset " + pos);
      }
    }
  }

  private String bareName() {
    int start = pos;
    while (pos < s.length() && "=,} \t\"".indexOf(s.charAt(pos)) < 0) {
      pos++;
    }
    return s.substring(start, pos);
  }

  /** A double-quoted string with the text format's escapes (\\, \", \n). */
  private String quoted() throws ImportSyntaxException {
    if (peek() != '"') {
      throw new ImportSyntaxException("expected a quoted string at offset " + pos);
    }
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= s.length()) {
        throw new ImportSyntaxException("unterminated quoted string");
      }
      char c = s.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= s.length()) {
        throw new ImportSyntaxException("unterminated quoted string");
      }
      char e = s.charAt(pos++);
      switch (e) {
        case '\\', '"' -> sb.append(e);
        case 'n' -> sb.append('\n');
        default -> throw new ImportSyntaxException("invalid escape \\" + e);
      }
    }
  }

  private String word() {
    int start = pos;
    while (pos < s.length() && !isSpace(s.charAt(pos))) {
      pos++;
    }
    return s.substring(start, pos);
  }

  private char peek() throws ImportSyntaxException {
    if (pos >= s.length()) {
      throw new ImportSyntaxException("unexpected end of line");
    }
    return s.charAt(pos);
  }

  private void skipSpace() {
    while (pos < s.length() && isSpace(s.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r';
  }
}
