package dev.tsdb.api.params;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus's model.ParseDuration (prometheus/common): units y w d h m s ms, each at most once,
 * in that order, integer amounts; "0" alone is allowed. This is the syntax of API parameters and
 * config files, not the richer PromQL duration syntax.
 */
public final class ModelDuration {
  private static final Pattern PATTERN = Pattern.compile(
      "(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?"
          + "(?:([0-9]+)ms)?");
  private static final long[] UNIT_MS = {
      365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000,
      1000L, 1L};

  private ModelDuration() {}

  /** Milliseconds; IllegalArgumentException with prometheus/common's message when invalid. */
  public static long parseMillis(String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    if (s.equals("0")) {
      return 0;
    }
    Matcher m = PATTERN.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
    }
    long total = 0;
    for (int i = 0; i < UNIT_MS.length; i++) {
      String g = m.group(i + 1);
      if (g == null) {
        continue;
      }
      long n;
      try {
        n = Long.parseLong(g);
        total = Math.addExact(total, Math.multiplyExact(n, UNIT_MS[i]));
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("duration out of range");
      }
    }
    // Go's time.Duration holds nanoseconds; prometheus/common rejects what would overflow it.
    if (total > Long.MAX_VALUE / 1_000_000L) {
      throw new IllegalArgumentException("duration out of range");
    }
    return total;
  }

  /** model.Duration.String(): the largest units first, e.g. 15d, 2w, 1h30m, 0s. */
  public static String format(long ms) {
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long rest = ms;
    String[] names = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < UNIT_MS.length; i++) {
      // Years and weeks only when exact: "90d" reads better than "12w6d".
      if (i < 2 && rest % UNIT_MS[i] != 0) {
        continue;
      }
      long n = rest / UNIT_MS[i];
      if (n > 0) {
        sb.append(n).append(names[i]);
        rest -= n * UNIT_MS[i];
      }
    }
    return sb.toString();
  }
}
