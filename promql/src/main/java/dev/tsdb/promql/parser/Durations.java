package dev.tsdb.promql.parser;

/**
 * Prometheus durations ({@code model.Duration}): {@code 1y2w3d4h5m6s7ms}, units y, w, d, h, m,
 * s, ms (a year is 365d, a week 7d), each at most once and from biggest to smallest; "0" alone
 * is allowed. Values are carried in milliseconds, the finest unit.
 */
public final class Durations {
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
  private static final long[] UNIT_MS = {
    365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000,
    1000L, 1L
  };
  private static final long NANOS_PER_MS = 1_000_000L;

  private Durations() {}

  /**
   * Parses a duration string into milliseconds.
   *
   * @throws IllegalArgumentException with Prometheus's message, e.g.
   *     {@code not a valid duration string: "5m1h"} or {@code unknown unit "hs" in duration "1hs"}
   */
  public static long parse(String s) {
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    long totalNanos = 0;
    int lastUnit = -1;
    int i = 0;
    while (i < s.length()) {
      if (!isDigit(s.charAt(i))) {
        throw invalid(s);
      }
      int digitsStart = i;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
      }
      long value;
      try {
        value = Long.parseLong(s.substring(digitsStart, i));
      } catch (NumberFormatException e) {
        // Go parses into a uint64; anything that big overflows a duration anyway.
        if (i - digitsStart <= 20 && new java.math.BigInteger(s.substring(digitsStart, i))
            .bitLength() <= 64) {
          throw new IllegalArgumentException("duration out of range");
        }
        throw invalid(s);
      }
      int unitStart = i;
      while (i < s.length() && !isDigit(s.charAt(i))) {
        i++;
      }
      if (unitStart == i) {
        throw invalid(s);
      }
      String unit = s.substring(unitStart, i);
      int u = unitIndex(unit);
      if (u < 0) {
        throw new IllegalArgumentException("unknown unit " + GoStrings.quote(unit) + " in duration "
            + GoStrings.quote(s));
      }
      if (u <= lastUnit) {
        throw invalid(s);
      }
      lastUnit = u;
      long unitNanos = UNIT_MS[u] * NANOS_PER_MS;
      if (value > Long.MAX_VALUE / unitNanos) {
        throw new IllegalArgumentException("duration out of range");
      }
      long add = value * unitNanos;
      if (add > Long.MAX_VALUE - totalNanos) {
        throw new IllegalArgumentException("duration out of range");
      }
      totalNanos += add;
    }
    return totalNanos / NANOS_PER_MS;
  }

  /**
   * Parses an API duration parameter ({@code step}, {@code timeout}, {@code lookback_delta}):
   * float seconds or a duration string, like Prometheus's web API.
   *
   * @throws IllegalArgumentException {@code cannot parse "x" to a valid duration}
   */
  public static long parseApi(String s) {
    Double seconds = tryParseFloat(s);
    if (seconds != null) {
      double nanos = seconds * 1e9;
      if (nanos > (double) Long.MAX_VALUE || nanos < (double) Long.MIN_VALUE) {
        throw new IllegalArgumentException("cannot parse " + GoStrings.quote(s)
            + " to a valid duration. It overflows int64");
      }
      return ((long) nanos) / NANOS_PER_MS;
    }
    try {
      return parse(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot parse " + GoStrings.quote(s)
          + " to a valid duration");
    }
  }

  private static Double tryParseFloat(String s) {
    try {
      return GoNumbers.parseFloat(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Prometheus's {@code model.Duration.String()}: "0s" for zero, years and weeks only when they
   * divide the duration exactly, then d, h, m, s, ms; negative durations get a leading "-".
   */
  public static String format(long ms) {
    if (ms == 0) {
      return "0s";
    }
    boolean negative = ms < 0;
    long rest = negative ? -ms : ms;
    StringBuilder sb = new StringBuilder();
    if (negative) {
      sb.append('-');
    }
    for (int u = 0; u < UNITS.length; u++) {
      long mult = UNIT_MS[u];
      boolean exactOnly = u < 2;
      if (exactOnly && rest % mult != 0) {
        continue;
      }
      long v = rest / mult;
      if (v > 0) {
        sb.append(v).append(UNITS[u]);
        rest -= v * mult;
      }
    }
    return sb.toString();
  }

  private static int unitIndex(String unit) {
    for (int u = 0; u < UNITS.length; u++) {
      if (UNITS[u].equals(unit)) {
        return u;
      }
    }
    return -1;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException invalid(String s) {
    return new IllegalArgumentException("not a valid duration string: " + GoStrings.quote(s));
  }
}
