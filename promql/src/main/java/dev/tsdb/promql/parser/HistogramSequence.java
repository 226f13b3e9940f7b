package dev.tsdb.promql.parser;

import dev.tsdb.gocompat.GoNumError;
import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.HistogramArithmetic;
import dev.tsdb.promql.ast.PosRange;
import java.util.ArrayList;
import java.util.List;

/**
 * One histogram item of a test-script series description and the values it stands for:
 * {@code {{h}}} is one value; {@code {{h}}xN} is N+1 copies; {@code {{a}}+{{b}}xN} is N+1 values
 * starting at {@code a}, each the previous plus {@code b}; {@code {{a}}-{{b}}xN} likewise
 * subtracting. As for float items, the first value is the one for time 0. An increment must not
 * have a lower schema than the running value ("cannot merge from schema ..."), as upstream.
 */
public final class HistogramSequence {
  /** The values of an item and the position just after it. */
  public record Item(List<FloatHistogram> values, int end) {}

  private HistogramSequence() {}

  /** Parses a string that is exactly one item. */
  public static List<FloatHistogram> parse(String item) {
    Item it = parse(item, 0);
    if (it.end() != item.length()) {
      throw error(item, it.end(), "unexpected text after histogram item");
    }
    return it.values();
  }

  /** Parses the item starting at {@code start} (at its first {@code {{}). */
  public static Item parse(String input, int start) {
    HistogramDescription.Parsed first = HistogramDescription.parse(input, start);
    int pos = first.end();
    char next = pos < input.length() ? input.charAt(pos) : '\0';
    if (next == '+' || next == '-') {
      HistogramDescription.Parsed step = HistogramDescription.parse(input, pos + 1);
      pos = step.end();
      if (!input.startsWith("x", pos)) {
        throw error(input, pos, "expected x and a count after a histogram increment");
      }
      int countStart = pos + 1;
      pos = countEnd(input, countStart);
      long times = count(input, countStart, pos);
      try {
        return new Item(series(first.histogram(), step.histogram(), times, next == '-'), pos);
      } catch (IllegalArgumentException e) {
        throw new ParseException(input, List.of(new ParseError(new PosRange(start, pos),
            e.getMessage())));
      }
    }
    if (next == 'x') {
      int countStart = pos + 1;
      pos = countEnd(input, countStart);
      long times = count(input, countStart, pos);
      List<FloatHistogram> values = new ArrayList<>();
      for (long i = 0; i <= times; i++) {
        values.add(first.histogram().copy());
      }
      return new Item(values, pos);
    }
    return new Item(List.of(first.histogram()), pos);
  }

  /** {@code base}, then {@code times} times the previous value plus (or minus) {@code step}. */
  public static List<FloatHistogram> series(FloatHistogram base, FloatHistogram step, long times,
      boolean subtract) {
    List<FloatHistogram> values = new ArrayList<>();
    values.add(base);
    FloatHistogram current = base;
    for (long i = 1; i <= times; i++) {
      if (current.schema > step.schema) {
        throw new IllegalArgumentException("error combining histograms: cannot merge from schema "
            + step.schema + " to " + current.schema);
      }
      current = subtract ? HistogramArithmetic.sub(current, step)
          : HistogramArithmetic.add(current, step);
      values.add(current);
    }
    return values;
  }

  private static int countEnd(String input, int start) {
    int pos = start;
    while (pos < input.length() && Character.isDigit(input.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  private static long count(String input, int start, int end) {
    if (start == end) {
      throw error(input, start, "expected a repetition count after x");
    }
    try {
      return GoNumbers.parseUint(input.substring(start, end), 10, 64);
    } catch (GoNumError e) {
      throw error(input, start, "invalid repetition in series values: " + e.getMessage());
    }
  }

  private static ParseException error(String input, int pos, String message) {
    return new ParseException(input, List.of(new ParseError(
        new PosRange(pos, Math.min(pos + 1, input.length())), message)));
  }
}
