package dev.tsdb.api.importer;

import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import java.util.Arrays;

/**
 * One line of VictoriaMetrics's JSON-lines import ({@code /api/v1/import}):
 * {@code {"metric":{..labels..},"values":[..],"timestamps":[..]}} with millisecond timestamps.
 * Values may be JSON numbers, {@code null} (NaN), bare {@code NaN}/{@code Inf}/{@code +Inf}/
 * {@code -Inf} (how VictoriaMetrics and our export write them) or the strings "NaN", "Inf",
 * "Infinity", "-Inf"... as VictoriaMetrics's importer accepts. Other keys are ignored.
 */
final class JsonLineDecoder implements LineDecoder {
  private final LabelsBuilder labels = new LabelsBuilder();
  private double[] values = new double[64];
  private long[] timestamps = new long[64];
  private String s;
  private int pos;

  @Override
  public void decode(String line, SampleSink sink) throws ImportSyntaxException {
    s = line;
    pos = 0;
    skipSpace();
    if (pos == s.length()) {
      return; // blank line
    }
    labels.reset();
    int nValues = -1;
    int nTimestamps = -1;
    boolean metric = false;
    expect('{');
    skipSpace();
    if (peek() != '}') {
      while (true) {
        skipSpace();
        String key = string();
        skipSpace();
        expect(':');
        skipSpace();
        switch (key) {
          case "metric" -> {
            metric(labels);
            metric = true;
          }
          case "values" -> nValues = values();
          case "timestamps" -> nTimestamps = timestamps();
          default -> skipValue();
        }
        skipSpace();
        if (peek() == ',') {
          pos++;
          continue;
        }
        break;
      }
    }
    expect('}');
    skipSpace();
    if (pos != s.length()) {
      throw error("unexpected text after the JSON object");
    }
    if (!metric) {
      throw new ImportSyntaxException("missing `metric` object");
    }
    if (labels.size() == 0) {
      throw new ImportSyntaxException("missing tags");
    }
    if (nValues <= 0) {
      throw new ImportSyntaxException("missing `values` array");
    }
    if (nTimestamps <= 0) {
      throw new ImportSyntaxException("missing `timestamps` array");
    }
    if (nValues != nTimestamps) {
      throw new ImportSyntaxException("`timestamps` array size must match `values` array size;"
          + " got " + nTimestamps + "; want " + nValues);
    }
    Labels series = labels.build();
    for (int i = 0; i < nValues; i++) {
      sink.add(series, timestamps[i], values[i]);
    }
  }

  private void metric(LabelsBuilder into) throws ImportSyntaxException {
    expect('{');
    skipSpace();
    if (peek() == '}') {
      pos++;
      return;
    }
    while (true) {
      skipSpace();
      String name = string();
      skipSpace();
      expect(':');
      skipSpace();
      if (peek() != '"') {
        throw error("the value of label " + name + " must be a string");
      }
      String value = string();
      if (name.isEmpty()) {
        throw new ImportSyntaxException("empty label name");
      }
      if (!into.get(name).isEmpty()) {
        throw new ImportSyntaxException("duplicate label name " + name);
      }
      into.set(name, value);
      skipSpace();
      if (peek() == ',') {
        pos++;
        continue;
      }
      expect('}');
      return;
    }
  }

  /** Reads one element of an array; {@code index} counts from 0. */
  private interface Element {
    void read(int index) throws ImportSyntaxException;
  }

  /** A JSON array, each element read by {@code element}; returns how many there were. */
  private int array(Element element) throws ImportSyntaxException {
    expect('[');
    skipSpace();
    if (peek() == ']') {
      pos++;
      return 0;
    }
    for (int n = 0; ; ) {
      skipSpace();
      element.read(n++);
      skipSpace();
      if (peek() != ',') {
        expect(']');
        return n;
      }
      pos++;
    }
  }

  private int values() throws ImportSyntaxException {
    return array(i -> {
      double v = peek() == '"' ? special(string()) : number(true);
      if (i == values.length) {
        values = Arrays.copyOf(values, i * 2);
      }
      values[i] = v;
    });
  }

  private int timestamps() throws ImportSyntaxException {
    return array(i -> {
      int at = pos;
      String token = token();
      long t;
      try {
        t = Long.parseLong(token);
      } catch (NumberFormatException e) {
        pos = at;
        throw error("cannot unmarshal timestamp at position " + i + ": not an integer: "
            + token);
      }
      if (i == timestamps.length) {
        timestamps = Arrays.copyOf(timestamps, i * 2);
      }
      timestamps[i] = t;
    });
  }

  /** A bare number, null (NaN when allowed) or one of the bare NaN/Inf spellings. */
  private double number(boolean nullIsNaN) throws ImportSyntaxException {
    String token = token();
    if (nullIsNaN && token.equals("null")) {
      return Double.NaN;
    }
    Double v = GoNumbers.tryParseFloat(token);
    if (v == null) {
      throw error("cannot parse value " + token);
    }
    return v;
  }

  /** VictoriaMetrics's special strings: NaN, null, Inf, Infinity, with an optional minus. */
  private double special(String str) throws ImportSyntaxException {
    boolean minus = str.startsWith("-");
    String rest = minus ? str.substring(1) : str;
    return switch (rest) {
      case "infinity", "Infinity", "Inf", "inf" ->
          minus ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      case "null", "Null", "nan", "NaN" -> Double.NaN;
      default -> throw new ImportSyntaxException("unsupported string value: \"" + str + "\"");
    };
  }

  /** Skips any JSON value (of a key this format does not use). */
  private void skipValue() throws ImportSyntaxException {
    char c = peek();
    if (c == '"') {
      string();
    } else if (c == '{' || c == '[') {
      char close = c == '{' ? '}' : ']';
      pos++;
      skipSpace();
      if (peek() == close) {
        pos++;
        return;
      }
      while (true) {
        skipSpace();
        if (c == '{') {
          string();
          skipSpace();
          expect(':');
          skipSpace();
        }
        skipValue();
        skipSpace();
        if (peek() == ',') {
          pos++;
          continue;
        }
        expect(close);
        return;
      }
    } else {
      token();
    }
  }

  /** The characters up to the next delimiter: a number or a bare word. */
  private String token() throws ImportSyntaxException {
    int start = pos;
    while (pos < s.length() && ",]} \t\r\n:".indexOf(s.charAt(pos)) < 0) {
      pos++;
    }
    if (start == pos) {
      throw error("value expected");
    }
    return s.substring(start, pos);
  }

  private String string() throws ImportSyntaxException {
    expect('"');
    StringBuilder sb = null;
    int start = pos;
    while (true) {
      if (pos >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(pos);
      if (c == '"') {
        String out = sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
        pos++;
        return out;
      }
      if (c != '\\') {
        pos++;
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder();
      }
      sb.append(s, start, pos);
      if (pos + 1 >= s.length()) {
        throw error("unterminated escape");
      }
      char e = s.charAt(pos + 1);
      pos += 2;
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > s.length()) {
            throw error("short \\u escape");
          }
          try {
            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("bad \\u escape");
          }
          pos += 4;
        }
        default -> throw error("bad escape \\" + e);
      }
      start = pos;
    }
  }

  private char peek() throws ImportSyntaxException {
    if (pos >= s.length()) {
      throw error("unexpected end of line");
    }
    return s.charAt(pos);
  }

  private void expect(char c) throws ImportSyntaxException {
    if (peek() != c) {
      throw error("'" + c + "' expected");
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private ImportSyntaxException error(String what) {
    return new ImportSyntaxException("cannot parse json line at offset " + pos + ": " + what);
  }
}
