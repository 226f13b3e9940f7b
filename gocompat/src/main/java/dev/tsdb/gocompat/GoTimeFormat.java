package dev.tsdb.gocompat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Go's time formatting, in UTC (the server's times are UTC): {@code Time.Format} with Go's
 * reference-time layouts, and the RFC 3339 forms Prometheus's JSON and messages use.
 */
public final class GoTimeFormat {
  private GoTimeFormat() {}

  /** Go's time.RFC3339. */
  public static final String RFC3339 = "2006-01-02T15:04:05Z07:00";

  /** Go's time.RFC3339Nano (trailing zeros of the fraction dropped), also time.Time's JSON form. */
  public static final String RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";

  /** How Go's JSON prints the zero time.Time (an unset time). */
  public static final String ZERO_TIME_JSON = "0001-01-01T00:00:00Z";

  /** time.Time's JSON form (RFC 3339 with nanoseconds); null is the zero time. */
  public static String json(Instant t) {
    return t == null ? ZERO_TIME_JSON
        : format(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L),
            t.getNano()), RFC3339_NANO);
  }

  /** time.Time's JSON form of a millisecond timestamp. */
  public static String jsonMillis(long epochMs) {
    return format(epochMs * 1_000_000L, RFC3339_NANO);
  }

  /**
   * Go's {@code t.UTC().Format(layout)} for the time {@code epochNanos} after the Unix epoch,
   * for the standard layout elements of Go's reference time {@code Mon Jan 2 15:04:05 MST 2006}.
   */
  public static String format(long epochNanos, String layout) {
    ZonedDateTime z = Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
        Math.floorMod(epochNanos, 1_000_000_000L)).atZone(ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder();
    int i = 0;
    int n = layout.length();
    while (i < n) {
      String rest = layout.substring(i);
      char c = layout.charAt(i);
      if (rest.startsWith("January")) {
        sb.append(z.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        i += 7;
      } else if (rest.startsWith("Jan")) {
        sb.append(z.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        i += 3;
      } else if (rest.startsWith("Monday")) {
        sb.append(z.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        i += 6;
      } else if (rest.startsWith("Mon")) {
        sb.append(z.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        i += 3;
      } else if (rest.startsWith("MST")) {
        sb.append("UTC");
        i += 3;
      } else if (rest.startsWith("2006")) {
        sb.append(String.format("%04d", z.getYear()));
        i += 4;
      } else if (rest.startsWith("002")) {
        sb.append(String.format("%03d", z.getDayOfYear()));
        i += 3;
      } else if (rest.startsWith("__2")) {
        sb.append(String.format("%3d", z.getDayOfYear()));
        i += 3;
      } else if (rest.startsWith("01")) {
        sb.append(String.format("%02d", z.getMonthValue()));
        i += 2;
      } else if (rest.startsWith("02")) {
        sb.append(String.format("%02d", z.getDayOfMonth()));
        i += 2;
      } else if (rest.startsWith("03")) {
        sb.append(String.format("%02d", hour12(z)));
        i += 2;
      } else if (rest.startsWith("04")) {
        sb.append(String.format("%02d", z.getMinute()));
        i += 2;
      } else if (rest.startsWith("05")) {
        sb.append(String.format("%02d", z.getSecond()));
        i += 2;
      } else if (rest.startsWith("06")) {
        sb.append(String.format("%02d", z.getYear() % 100));
        i += 2;
      } else if (rest.startsWith("15")) {
        sb.append(String.format("%02d", z.getHour()));
        i += 2;
      } else if (rest.startsWith("_2")) {
        sb.append(String.format("%2d", z.getDayOfMonth()));
        i += 2;
      } else if (c == '1') {
        sb.append(z.getMonthValue());
        i++;
      } else if (c == '2') {
        sb.append(z.getDayOfMonth());
        i++;
      } else if (c == '3') {
        sb.append(hour12(z));
        i++;
      } else if (c == '4') {
        sb.append(z.getMinute());
        i++;
      } else if (c == '5') {
        sb.append(z.getSecond());
        i++;
      } else if (rest.startsWith("PM")) {
        sb.append(z.getHour() >= 12 ? "PM" : "AM");
        i += 2;
      } else if (rest.startsWith("pm")) {
        sb.append(z.getHour() >= 12 ? "pm" : "am");
        i += 2;
      } else if (rest.startsWith("Z07:00:00") || rest.startsWith("Z070000")
          || rest.startsWith("Z07:00") || rest.startsWith("Z0700") || rest.startsWith("Z07")) {
        sb.append('Z'); // always UTC
        i += rest.startsWith("Z07:00:00") ? 9 : rest.startsWith("Z070000") ? 7
            : rest.startsWith("Z07:00") ? 6 : rest.startsWith("Z0700") ? 5 : 3;
      } else if (rest.startsWith("-07:00:00")) {
        sb.append("+00:00:00");
        i += 9;
      } else if (rest.startsWith("-070000")) {
        sb.append("+000000");
        i += 7;
      } else if (rest.startsWith("-07:00")) {
        sb.append("+00:00");
        i += 6;
      } else if (rest.startsWith("-0700")) {
        sb.append("+0000");
        i += 5;
      } else if (rest.startsWith("-07")) {
        sb.append("+00");
        i += 3;
      } else if ((c == '.' || c == ',') && i + 1 < n
          && (layout.charAt(i + 1) == '0' || layout.charAt(i + 1) == '9')) {
        char d = layout.charAt(i + 1);
        int j = i + 1;
        while (j < n && layout.charAt(j) == d) {
          j++;
        }
        if (j < n && Character.isDigit(layout.charAt(j))) {
          sb.append(c);
          i++;
          continue;
        }
        int digits = j - (i + 1);
        String frac = String.format("%09d", z.getNano()).substring(0, Math.min(digits, 9));
        if (d == '9') {
          frac = frac.replaceAll("0+$", "");
          if (!frac.isEmpty()) {
            sb.append(c).append(frac);
          }
        } else {
          sb.append(c).append(frac);
        }
        i = j;
      } else {
        sb.append(c);
        i++;
      }
    }
    return sb.toString();
  }

  private static int hour12(ZonedDateTime z) {
    int h = z.getHour() % 12;
    return h == 0 ? 12 : h;
  }}
