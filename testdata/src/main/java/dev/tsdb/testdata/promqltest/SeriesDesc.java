package dev.tsdb.testdata.promqltest;

import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import dev.tsdb.promql.parser.HistogramSequence;
import java.util.ArrayList;
import java.util.List;

/**
 * A series description as written in test scripts' {@code load} blocks and expected results:
 * {@code metric{label="value"} 1 2+3x4 _ _x3 stale {{schema:0 sum:1 count:1}}x2}.
 *
 * <p>Grammar (Prometheus's series_description): an optional metric name, optional braces with
 * {@code name="value"} pairs (names and the metric name may be quoted), then values: a number
 * ({@code 1}, {@code -2.5}, {@code Inf}, {@code NaN}; no hex, as upstream's lexer in
 * series-description mode), {@code _} (no sample),
 * {@code stale} (a stale marker), {@code axN} (N+1 copies), {@code a+bxN} / {@code a-bxN} (N+1
 * values, the increment accumulated), {@code _xN} (N omitted), and native histograms in double
 * braces ({@code {{schema:0 sum:1 count:1}}}, with {@code xN} and {@code +}/{@code -}
 * increments as for numbers; see {@link HistogramSequence}).
 */
public final class SeriesDesc {
  /**
   * One position of a sequence: omitted, a float {@code value}, or a native histogram
   * {@code hist}; {@code hintSet} tells whether the histogram's description spelled out its
   * counter reset hint (expected results compare the hint only then, as upstream).
   */
  public record Value(boolean omitted, double value, FloatHistogram hist, boolean hintSet) {
    static final Value OMITTED = new Value(true, 0, null, false);

    Value(boolean omitted, double value) {
      this(omitted, value, null, false);
    }

    public boolean histogram() {
      return hist != null;
    }
  }

  public static final long STALE_NAN_BITS = 0x7ff0000000000002L;

  public final Labels labels;
  public final List<Value> values;

  private SeriesDesc(Labels labels, List<Value> values) {
    this.labels = labels;
    this.values = values;
  }

  public boolean hasHistograms() {
    for (Value v : values) {
      if (v.histogram()) {
        return true;
      }
    }
    return false;
  }

  /** Parses a description; throws IllegalArgumentException with a reason on bad input. */
  public static SeriesDesc parse(String line) {
    Cursor c = new Cursor(line.trim());
    LabelsBuilder b = new LabelsBuilder();
    c.skipSpace();
    if (c.peekIdentStart()) {
      b.set(Labels.METRIC_NAME, c.ident());
    }
    if (c.peek() == '{') {
      c.pos++;
      while (true) {
        c.skipSpace();
        if (c.peek() == '}') {
          c.pos++;
          break;
        }
        String name;
        if (c.peek() == '"' || c.peek() == '\'' || c.peek() == '`') {
          name = c.quoted();
        } else {
          name = c.ident();
        }
        c.skipSpace();
        if (c.peek() == '=') {
          c.pos++;
          c.skipSpace();
          String value = c.quoted();
          b.set(name, value);
        } else {
          b.set(Labels.METRIC_NAME, name); // {"metric.name", ...}
        }
        c.skipSpace();
        if (c.peek() == ',') {
          c.pos++;
        } else if (c.peek() != '}') {
          throw c.error("expected , or }");
        }
      }
    }
    List<Value> values = new ArrayList<>();
    while (true) {
      c.skipSpace();
      if (c.eof()) {
        break;
      }
      c.item(values);
    }
    return new SeriesDesc(b.build(), values);
  }

  private static final class Cursor {
    final String s;
    int pos;

    Cursor(String s) {
      this.s = s;
    }

    boolean eof() {
      return pos >= s.length();
    }

    char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    IllegalArgumentException error(String msg) {
      return new IllegalArgumentException(msg + " at position " + pos + " in: " + s);
    }

    void skipSpace() {
      while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
        pos++;
      }
    }

    boolean peekIdentStart() {
      char ch = peek();
      return Character.isLetter(ch) || ch == '_' || ch == ':';
    }

    String ident() {
      int start = pos;
      while (pos < s.length()) {
        char ch = s.charAt(pos);
        if (Character.isLetterOrDigit(ch) || ch == '_' || ch == ':') {
          pos++;
        } else {
          break;
        }
      }
      if (start == pos) {
        throw error("expected identifier");
      }
      return s.substring(start, pos);
    }

    String quoted() {
      char q = peek();
      if (q != '"' && q != '\'' && q != '`') {
        throw error("expected quoted string");
      }
      int start = pos++;
      while (true) {
        if (eof()) {
          throw error("unterminated string");
        }
        char ch = s.charAt(pos++);
        if (ch == q) {
          break;
        }
        if (ch == '\\' && q != '`') {
          pos++; // the escaped character cannot end the literal
        }
      }
      try {
        return GoStrings.unquote(s.substring(start, pos));
      } catch (IllegalArgumentException e) {
        throw error(e.getMessage());
      }
    }

    void item(List<Value> out) {
      if (s.startsWith("{{", pos)) {
        HistogramSequence.Item item;
        try {
          item = HistogramSequence.parse(s, pos);
        } catch (RuntimeException e) {
          throw error(e.getMessage());
        }
        boolean hintSet = s.substring(pos, item.end()).contains("counter_reset_hint");
        for (FloatHistogram h : item.values()) {
          out.add(new Value(false, 0, h, hintSet));
        }
        pos = item.end();
        return;
      }
      if (peek() == '_') {
        pos++;
        if (peek() == 'x') {
          pos++;
          long n = uint();
          for (long i = 0; i < n; i++) {
            out.add(Value.OMITTED);
          }
        } else {
          out.add(Value.OMITTED);
        }
        return;
      }
      if (s.startsWith("stale", pos)) {
        pos += 5;
        out.add(new Value(false, Double.longBitsToDouble(STALE_NAN_BITS)));
        return;
      }
      double v = number(true);
      if (peek() == 'x') {
        pos++;
        long n = uint();
        for (long i = 0; i <= n; i++) {
          out.add(new Value(false, v));
        }
        return;
      }
      if (peek() == '+' || peek() == '-') {
        double inc = number(true);
        if (peek() != 'x') {
          throw error("expected x after increment");
        }
        pos++;
        long n = uint();
        for (long i = 0; i <= n; i++) {
          out.add(new Value(false, v));
          v += inc;
        }
        return;
      }
      if (!eof() && peek() != ' ' && peek() != '\t') {
        throw error("unexpected character '" + peek() + "'");
      }
      out.add(new Value(false, v));
    }

    long uint() {
      int start = pos;
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        pos++;
      }
      if (start == pos) {
        throw error("expected count");
      }
      return Long.parseLong(s.substring(start, pos));
    }

    /** A (signed) number; stops before a following +, - or x that is not part of it. */
    double number(boolean allowSign) {
      int start = pos;
      boolean neg = false;
      if (allowSign && (peek() == '+' || peek() == '-')) {
        neg = peek() == '-';
        pos++;
      }
      int bodyStart = pos;
      String rest = s.substring(pos);
      String lower = rest.toLowerCase(java.util.Locale.ROOT);
      double v;
      if (lower.startsWith("inf")) {
        pos += lower.startsWith("infinity") ? 8 : 3;
        v = Double.POSITIVE_INFINITY;
      } else if (lower.startsWith("nan")) {
        pos += 3;
        v = Double.NaN;
      } else {
        while (pos < s.length()) {
          char ch = s.charAt(pos);
          if (Character.isDigit(ch) || ch == '.') {
            pos++;
          } else if ((ch == 'e' || ch == 'E') && pos + 1 < s.length()
              && (Character.isDigit(s.charAt(pos + 1)) || ((s.charAt(pos + 1) == '+'
              || s.charAt(pos + 1) == '-') && pos + 2 < s.length()
              && Character.isDigit(s.charAt(pos + 2))))) {
            pos += 2;
          } else {
            break;
          }
        }
        if (bodyStart == pos) {
          pos = start;
          throw error("expected number");
        }
        // Scanned by this class's own grammar; read as upstream's parser reads a number.
        v = GoNumbers.parseIntOrFloat(s.substring(bodyStart, pos));
      }
      return neg ? -v : v;
    }
  }
}
