package dev.tsdb.rules.util;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus's {@code model.Duration}: the duration syntax of config and rule files
 * ({@code 1y2w3d4h5m6s7ms}, each unit at most once, in that order, no fractions, no sign), and
 * its canonical String() form ({@code 1h30m}, years and weeks only when exact).
 */
public final class ModelDuration {
  private ModelDuration() {}

  private static final Pattern RE = Pattern.compile(
      "^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$");
  private static final long[] UNIT_MS = {
      365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000,
      1000L, 1L};

  /**
   * Parses a duration into milliseconds.
   *
   * @throws IllegalArgumentException with Prometheus's message for an invalid string
   */
  public static long parseMillis(String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    if (s.equals("0")) {
      return 0;
    }
    Matcher m = RE.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: " + quote(s));
    }
    long total = 0;
    for (int i = 0; i < UNIT_MS.length; i++) {
      String g = m.group(2 + 2 * i);
      if (g == null) {
        continue;
      }
      long v;
      try {
        v = Long.parseLong(g);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid value for duration: " + quote(s));
      }
      long add = v * UNIT_MS[i];
      if (v != 0 && (add / v != UNIT_MS[i] || add > Long.MAX_VALUE / 1_000_000L)) {
        throw new IllegalArgumentException("duration out of range");
      }
      total += add;
      if (total > Long.MAX_VALUE / 1_000_000L) {
        throw new IllegalArgumentException("duration out of range");
      }
    }
    return total;
  }

  /** model.Duration.String(). */
  public static String format(long ms) {
    if (ms == 0) {
      return "0s";
    }
    StringBuilder r = new StringBuilder();
    if (ms < 0) {
      r.append('-');
      ms = -ms;
    }
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < units.length; i++) {
      boolean exact = i < 2;
      if (exact && ms % UNIT_MS[i] != 0) {
        continue;
      }
      long v = ms / UNIT_MS[i];
      if (v > 0) {
        r.append(v).append(units[i]);
        ms -= v * UNIT_MS[i];
      }
    }
    return r.toString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
