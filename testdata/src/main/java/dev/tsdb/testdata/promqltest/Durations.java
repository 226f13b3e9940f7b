package dev.tsdb.testdata.promqltest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus's model.ParseDuration: units y, w, d, h, m, s, ms in that order; "0" alone. */
final class Durations {
  private static final Pattern P = Pattern.compile(
      "^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$");
  private static final long[] UNIT = {
      365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1};

  private Durations() {}

  static long parse(String s) {
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    Matcher m = P.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
    }
    long total = 0;
    for (int i = 0; i < UNIT.length; i++) {
      String g = m.group(2 + 2 * i);
      if (g != null) {
        total += Long.parseLong(g) * UNIT[i];
      }
    }
    return total;
  }
}
