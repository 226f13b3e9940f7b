package dev.tsdb.promql.parser;

import dev.tsdb.gocompat.GoNumError;
import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.gocompat.ModelDuration;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.promql.ast.PosRange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A native histogram written in the test-script notation, e.g.
 * {@code {{schema:0 sum:5 count:4 z_bucket:1 z_bucket_w:0.001 buckets:[1 2 1] offset:-1
 * n_buckets:[1] n_offset:0 counter_reset_hint:gauge custom_values:[1 5]}}}.
 *
 * <p>Space-separated {@code key:value} items, each key at most once, keys case-insensitive, all
 * optional (an absent one leaves the field zero): {@code schema}, {@code offset},
 * {@code n_offset} take integers; {@code sum}, {@code count}, {@code z_bucket} numbers with an
 * optional minus sign; {@code z_bucket_w} a number; {@code buckets}, {@code n_buckets},
 * {@code custom_values} a non-empty bracketed list of numbers; {@code counter_reset_hint} one of
 * unknown, reset, not_reset, gauge. Numbers are PromQL number literals (Inf, NaN, 1e3, 0x10, a
 * duration such as 1m in seconds). The bucket lists become one span each, starting at the
 * offset, with absolute (not delta) counts, and empty buckets kept as written.
 */
public final class HistogramDescription {
  /** A parsed literal and the position just after its closing {@code }}}. */
  public record Parsed(FloatHistogram histogram, int end) {}

  private final String input;
  private int pos;

  private HistogramDescription(String input, int pos) {
    this.input = input;
    this.pos = pos;
  }

  /** Parses a whole string that is exactly one literal. */
  public static FloatHistogram parse(String literal) {
    Parsed p = parse(literal, 0);
    if (p.end() != literal.length()) {
      throw new HistogramDescription(literal, p.end()).error("unexpected text after histogram");
    }
    return p.histogram();
  }

  /** Parses the literal starting at {@code start} (at its {@code {{}). */
  public static Parsed parse(String input, int start) {
    HistogramDescription d = new HistogramDescription(input, start);
    FloatHistogram h = d.literal();
    return new Parsed(h, d.pos);
  }

  private FloatHistogram literal() {
    expect("{{");
    FloatHistogram h = new FloatHistogram();
    Set<String> seen = new HashSet<>();
    double[] positive = null;
    double[] negative = null;
    int offset = 0;
    int negativeOffset = 0;
    skipSpace();
    while (!input.startsWith("}}", pos)) {
      int keyStart = pos;
      String key = word().toLowerCase(Locale.ROOT);
      if (!input.startsWith(":", pos)) {
        throw error(key.isEmpty() ? "expected a histogram description key, e.g. buckets:[5 10 7]"
            : "missing `:` after " + key);
      }
      pos++;
      if (!seen.add(key)) {
        throw new ParseException(input, List.of(new ParseError(new PosRange(keyStart, pos),
            "duplicate key \"" + key + "\" in histogram")));
      }
      switch (key) {
        case "schema" -> h.schema = (int) integer();
        case "offset" -> offset = (int) integer();
        case "n_offset" -> negativeOffset = (int) integer();
        case "sum" -> h.sum = signedNumber();
        case "count" -> h.count = signedNumber();
        case "z_bucket" -> h.zeroCount = signedNumber();
        case "z_bucket_w" -> h.zeroThreshold = number();
        case "buckets" -> positive = list();
        case "n_buckets" -> negative = list();
        case "custom_values" -> h.customValues = list();
        case "counter_reset_hint" -> h.counterResetHint = hint();
        default -> {
          pos = keyStart;
          throw error("bad histogram descriptor found: \"" + key + "\"");
        }
      }
      if (!input.startsWith("}}", pos)) {
        if (!atSpace()) {
          throw error("expected a space or }} after " + key);
        }
        skipSpace();
      }
    }
    pos += 2;
    if (positive != null) {
      h.positiveSpans = new int[] {offset, positive.length};
      h.positiveBuckets = positive;
    }
    if (negative != null) {
      h.negativeSpans = new int[] {negativeOffset, negative.length};
      h.negativeBuckets = negative;
    }
    return h;
  }

  private CounterResetHint hint() {
    String w = word().toLowerCase(Locale.ROOT);
    return switch (w) {
      case "unknown" -> CounterResetHint.UNKNOWN;
      case "reset" -> CounterResetHint.COUNTER_RESET;
      case "not_reset" -> CounterResetHint.NOT_COUNTER_RESET;
      case "gauge" -> CounterResetHint.GAUGE;
      default -> throw error("bad counter_reset_hint \"" + w + "\"");
    };
  }

  private double[] list() {
    expect("[");
    List<Double> values = new ArrayList<>();
    skipSpace();
    while (!input.startsWith("]", pos)) {
      values.add(signedNumber());
      if (!input.startsWith("]", pos)) {
        if (!atSpace()) {
          throw error("invalid character in buckets description");
        }
        skipSpace();
      }
    }
    if (values.isEmpty()) {
      throw error("expected a number in buckets description");
    }
    pos++;
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private long integer() {
    boolean negative = input.startsWith("-", pos);
    if (negative) {
      pos++;
    }
    int start = pos;
    while (pos < input.length() && Character.isDigit(input.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error("expected an integer");
    }
    try {
      long v = GoNumbers.parseUint(input.substring(start, pos), 10, 64);
      return negative ? -v : v;
    } catch (GoNumError e) {
      throw error("invalid integer: " + e.getMessage());
    }
  }

  private double signedNumber() {
    if (input.startsWith("-", pos)) {
      pos++;
      return -number();
    }
    return number();
  }

  /** A number token runs to the next space, bracket or brace. */
  private double number() {
    int start = pos;
    while (pos < input.length() && " \t\n]}[{:".indexOf(input.charAt(pos)) < 0) {
      pos++;
    }
    String text = input.substring(start, pos);
    if (text.isEmpty() || text.startsWith("+") || text.startsWith("-")) {
      // Only one minus sign, before the number, as upstream's lexer; never a plus.
      pos = start;
      throw error("expected a number");
    }
    try {
      return GoNumbers.parseIntOrFloat(text);
    } catch (GoNumError notNumber) {
      try {
        return ModelDuration.parseMillis(text) / 1000.0;
      } catch (RuntimeException notDuration) {
        pos = start;
        throw error("bad number or duration syntax: \"" + text + "\"");
      }
    }
  }

  private String word() {
    int start = pos;
    while (pos < input.length()
        && (Character.isLetter(input.charAt(pos)) || input.charAt(pos) == '_')) {
      pos++;
    }
    return input.substring(start, pos);
  }

  private boolean atSpace() {
    return pos < input.length() && Character.isWhitespace(input.charAt(pos));
  }

  private void skipSpace() {
    while (atSpace()) {
      pos++;
    }
  }

  private void expect(String token) {
    if (!input.startsWith(token, pos)) {
      throw error(pos >= input.length() ? "unexpected end of histogram description, expected "
          + token : "expected " + token);
    }
    pos += token.length();
  }

  private ParseException error(String message) {
    int end = Math.min(pos + 1, input.length());
    return new ParseException(input, List.of(new ParseError(new PosRange(pos, end), message)));
  }
}
