package dev.tsdb.index.histogram;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

/**
 * Test fixtures: float histograms written in the promqltest notation (the text between
 * {@code {{ }}}), so cases can be taken verbatim from Prometheus's test scripts, and the
 * relative float tolerance those scripts are checked with.
 */
final class TestHistograms {
  /** promqltest's defaultEpsilon: the relative error allowed for sample values. */
  static final double EPSILON = 0.000001;

  private TestHistograms() {}

  /** E.g. {@code "schema:0 count:4 sum:5 z_bucket:1 z_bucket_w:0.001 buckets:[1 2 1]"}. */
  static FloatHistogram h(String description) {
    FloatHistogram h = new FloatHistogram();
    double[] positive = {};
    double[] negative = {};
    int offset = 0;
    int negativeOffset = 0;
    String rest = description.trim();
    while (!rest.isEmpty()) {
      int colon = rest.indexOf(':');
      String key = rest.substring(0, colon);
      rest = rest.substring(colon + 1);
      String value;
      if (rest.startsWith("[")) {
        int close = rest.indexOf(']');
        value = rest.substring(1, close).trim();
        rest = rest.substring(close + 1).trim();
      } else {
        int space = rest.indexOf(' ');
        value = space < 0 ? rest : rest.substring(0, space);
        rest = space < 0 ? "" : rest.substring(space + 1).trim();
      }
      switch (key) {
        case "schema" -> h.schema = Integer.parseInt(value);
        case "count" -> h.count = number(value);
        case "sum" -> h.sum = number(value);
        case "z_bucket" -> h.zeroCount = number(value);
        case "z_bucket_w" -> h.zeroThreshold = number(value);
        case "offset" -> offset = Integer.parseInt(value);
        case "n_offset" -> negativeOffset = Integer.parseInt(value);
        case "buckets" -> positive = numbers(value);
        case "n_buckets" -> negative = numbers(value);
        case "custom_values" -> h.customValues = numbers(value);
        case "counter_reset_hint" -> h.counterResetHint = switch (value) {
          case "gauge" -> CounterResetHint.GAUGE;
          case "reset" -> CounterResetHint.COUNTER_RESET;
          case "not_reset" -> CounterResetHint.NOT_COUNTER_RESET;
          default -> CounterResetHint.UNKNOWN;
        };
        default -> throw new IllegalArgumentException("unknown key " + key);
      }
    }
    if (positive.length > 0) {
      h.positiveSpans = new int[] {offset, positive.length};
      h.positiveBuckets = positive;
    }
    if (negative.length > 0) {
      h.negativeSpans = new int[] {negativeOffset, negative.length};
      h.negativeBuckets = negative;
    }
    return h;
  }

  private static double number(String s) {
    return switch (s.toLowerCase()) {
      case "inf", "+inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "nan" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  private static double[] numbers(String s) {
    return s.isEmpty() ? new double[0]
        : Arrays.stream(s.split("\\s+")).mapToDouble(TestHistograms::number).toArray();
  }

  /** As promqltest compares: equal (NaN too), else within the relative epsilon. */
  static void assertAlmost(double expected, double actual) {
    assertTrue(almostEqual(expected, actual), "expected " + expected + " but got " + actual);
  }

  static boolean almostEqual(double a, double b) {
    if (a == b || (Double.isNaN(a) && Double.isNaN(b))) {
      return true;
    }
    if (Double.isInfinite(a) || Double.isInfinite(b)) {
      return false;
    }
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || diff < Double.MIN_NORMAL) {
      return diff < EPSILON * Double.MIN_NORMAL;
    }
    return diff / Math.min(Math.abs(a) + Math.abs(b), Double.MAX_VALUE) < EPSILON;
  }

  /** Bit for bit (NaN equals NaN). */
  static void assertExact(double expected, double actual) {
    assertTrue(Double.compare(expected, actual) == 0 || expected == actual,
        "expected exactly " + expected + " but got " + actual);
  }
}
