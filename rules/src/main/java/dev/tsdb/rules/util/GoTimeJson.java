package dev.tsdb.rules.util;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Go's time.Time JSON form (RFC 3339 with nanoseconds, trailing zeros trimmed), in UTC; the zero
 * time (null here) is {@code 0001-01-01T00:00:00Z} as Go prints an unset time.Time.
 */
public final class GoTimeJson {
  private GoTimeJson() {}

  public static final String ZERO = "0001-01-01T00:00:00Z";
  private static final DateTimeFormatter BASE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  public static String format(Instant t) {
    if (t == null) {
      return ZERO;
    }
    StringBuilder sb = new StringBuilder(BASE.format(t));
    int nanos = t.getNano();
    if (nanos != 0) {
      String frac = String.format("%09d", nanos);
      int end = frac.length();
      while (end > 0 && frac.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(frac, 0, end);
    }
    return sb.append('Z').toString();
  }

  public static String formatMillis(long epochMs) {
    return format(Instant.ofEpochMilli(epochMs));
  }
}
