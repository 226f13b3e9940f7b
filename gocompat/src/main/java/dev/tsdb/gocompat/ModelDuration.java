package dev.tsdb.gocompat;

/**
 * Prometheus's {@code model.Duration} (prometheus/common): the duration syntax of config files,
 * rule files, API parameters, flags and PromQL literals, and its canonical String() form.
 *
 * <p>Syntax: integer amounts with the units y, w, d, h, m, s, ms (a year is 365d, a week 7d),
 * each unit at most once and from biggest to smallest, no sign, no fractions; "0" alone is
 * allowed. The value must fit Go's time.Duration (int64 nanoseconds). Values are carried in
 * milliseconds, the finest unit. Error texts are Prometheus 3's, checked with promtool 3.5:
 * {@code not a valid duration string: "5m1h"}, {@code unknown unit "x" in duration "5x"},
 * {@code empty duration string}, {@code duration out of range}.
 */
public final class ModelDuration {
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
  private static final long[] UNIT_MS = {
      365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000,
      1000L, 1L};
  private static final long NANOS_PER_MS = 1_000_000L;

  private ModelDuration() {}

  /**
   * Parses a duration into milliseconds.
   *
   * @throws IllegalArgumentException with Prometheus's message for an invalid string
   */
  public static long parseMillis(String s) {
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
      int digitsStart = i;
      while (i < s.length() && isDigit(s.charAt(i))) {
        i++;
      }
      if (i == digitsStart) {
        throw invalid(s);
      }
      long amount = parseUnsigned(s, digitsStart, i);
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
        throw new IllegalArgumentException("unknown unit " + GoStrings.quote(unit)
            + " in duration " + GoStrings.quote(s));
      }
      if (u <= lastUnit) {
        throw invalid(s);
      }
      lastUnit = u;
      // amount is unsigned (up to 2^64-1); nothing of 2^63 nanoseconds or more fits.
      long unitNanos = UNIT_MS[u] * NANOS_PER_MS;
      if (Long.compareUnsigned(amount, Long.MAX_VALUE / unitNanos) > 0) {
        throw outOfRange();
      }
      long add = amount * unitNanos;
      if (add > Long.MAX_VALUE - totalNanos) {
        throw outOfRange();
      }
      totalNanos += add;
    }
    return totalNanos / NANOS_PER_MS;
  }

  /** The digits s[from, to) as an unsigned 64-bit amount; too many digits are a syntax error. */
  private static long parseUnsigned(String s, int from, int to) {
    long v = 0;
    for (int k = from; k < to; k++) {
      int d = s.charAt(k) - '0';
      // v * 10 + d must stay below 2^64.
      if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0
          || (v == Long.divideUnsigned(-1L, 10) && d > Long.remainderUnsigned(-1L, 10))) {
        throw invalid(s);
      }
      v = v * 10 + d;
    }
    return v;
  }

  /**
   * model.Duration.String(): "0s" for zero, years and weeks only when they divide the duration
   * exactly ("90d" rather than "12w6d"), then d, h, m, s, ms. A negative duration, which Go
   * would print as an empty string, gets a leading "-" here.
   */
  public static String format(long ms) {
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder(16);
    long rest = ms;
    if (ms < 0) {
      sb.append('-');
      rest = -ms;
    }
    for (int u = 0; u < UNITS.length; u++) {
      boolean exactOnly = u < 2;
      if (exactOnly && rest % UNIT_MS[u] != 0) {
        continue;
      }
      long v = rest / UNIT_MS[u];
      if (v > 0) {
        sb.append(v).append(UNITS[u]);
        rest -= v * UNIT_MS[u];
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

  private static IllegalArgumentException outOfRange() {
    return new IllegalArgumentException("duration out of range");
  }
}
