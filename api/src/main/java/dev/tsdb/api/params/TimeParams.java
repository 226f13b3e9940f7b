package dev.tsdb.api.params;

import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.gocompat.ModelDuration;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses API time and duration parameters the way Prometheus's web API does.
 *
 * <p>A time is a Go float (unix seconds, rounded to milliseconds), an RFC 3339 timestamp with
 * optional fractional seconds, or one of the two sentinel strings Prometheus itself prints for its
 * minimum and maximum times. A duration is a Go float of seconds or a Prometheus duration
 * ({@code 1h30m}).
 */
public final class TimeParams {
  /** Prometheus's MinTime/MaxTime (web/api/v1), in milliseconds. */
  public static final long MIN_TIME_MS = (Long.MIN_VALUE / 1000 + 62135596801L) * 1000;

  public static final long MAX_TIME_MS = (Long.MAX_VALUE / 1000 - 62135596801L) * 1000 + 999;

  /** MinTime and MaxTime as Go formats them with RFC3339Nano. */
  public static final String MIN_TIME_FORMATTED = "-292273086-05-16T16:47:06Z";

  public static final String MAX_TIME_FORMATTED = "292277025-08-18T07:12:54.999999999Z";

  private static final Pattern RFC3339 = Pattern.compile(
      "([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\\.[0-9]+)?"
          + "(Z|[+-][0-9]{2}:[0-9]{2})");

  private TimeParams() {}

  /** Prometheus's parseTime; throws IllegalArgumentException with its message. */
  public static long parseTime(String s) {
    Double f = GoNumbers.tryParseFloat(s);
    if (f != null) {
      long ms = floatSecondsToMillis(f);
      if (ms != Long.MIN_VALUE) {
        return ms;
      }
    } else {
      Long ms = parseRfc3339(s);
      if (ms != null) {
        return ms;
      }
      if (s.equals(MIN_TIME_FORMATTED)) {
        return MIN_TIME_MS;
      }
      if (s.equals(MAX_TIME_FORMATTED)) {
        return MAX_TIME_MS;
      }
    }
    throw new IllegalArgumentException(
        "cannot parse " + GoStrings.quote(s) + " to a valid timestamp");
  }

  /**
   * Prometheus's parseDuration, in nanoseconds (as Go's time.Duration); throws
   * IllegalArgumentException with its message.
   */
  public static long parseDurationNanos(String s) {
    Double f = GoNumbers.tryParseFloat(s);
    if (f != null) {
      double ns = f * 1e9;
      if (ns > 9.223372036854775807E18 || ns < -9.223372036854775808E18 || Double.isNaN(ns)) {
        throw new IllegalArgumentException(
            "cannot parse " + GoStrings.quote(s) + " to a valid duration. It overflows int64");
      }
      return (long) ns;
    }
    try {
      return ModelDuration.parseMillis(s) * 1_000_000L;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot parse " + GoStrings.quote(s) + " to a valid duration");
    }
  }

  /**
   * Seconds to milliseconds as Prometheus does: split into integer and fractional parts, round
   * the fraction to milliseconds. Long.MIN_VALUE for values Go cannot represent sensibly (NaN,
   * infinities, beyond the int64 range), which we report as unparseable.
   */
  private static long floatSecondsToMillis(double t) {
    // Seconds past int64 are refused; beyond about 9.2e15 s the milliseconds wrap around as
    // Prometheus's timestamp.FromTime does (a Thanos sidecar sends "9223372036854776" for the
    // end of time, and Prometheus answers it).
    if (Double.isNaN(t) || Double.isInfinite(t) || Math.abs(t) >= 0x1p63) {
      return Long.MIN_VALUE;
    }
    double intPart = t < 0 ? Math.ceil(t) : Math.floor(t);
    double frac = t - intPart;
    double rounded = Math.signum(frac) * Math.floor(Math.abs(frac) * 1000 + 0.5) / 1000;
    long nanos = (long) (rounded * 1e9);
    return (long) intPart * 1000 + Math.floorDiv(nanos, 1_000_000L);
  }

  /** Go's time.Parse(time.RFC3339Nano, s) in milliseconds, or null. */
  static Long parseRfc3339(String s) {
    Matcher m = RFC3339.matcher(s);
    if (!m.matches()) {
      return null;
    }
    int year = Integer.parseInt(m.group(1));
    int month = Integer.parseInt(m.group(2));
    int day = Integer.parseInt(m.group(3));
    int hour = Integer.parseInt(m.group(4));
    int minute = Integer.parseInt(m.group(5));
    int second = Integer.parseInt(m.group(6));
    if (hour > 23 || minute > 59 || second > 59) {
      return null;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return null;
    }
    long millis = 0;
    String frac = m.group(7);
    if (frac != null) {
      String digits = frac.substring(1);
      if (digits.length() > 9) {
        return null; // Go accepts at most nanosecond precision
      }
      millis = Long.parseLong((digits + "000").substring(0, 3));
    }
    String zone = m.group(8);
    long offsetSeconds = 0;
    if (!zone.equals("Z")) {
      int oh = Integer.parseInt(zone.substring(1, 3));
      int om = Integer.parseInt(zone.substring(4, 6));
      if (oh > 23 || om > 59) {
        return null;
      }
      offsetSeconds = (oh * 3600L + om * 60L) * (zone.charAt(0) == '-' ? -1 : 1);
    }
    long seconds = epochDay * 86400 + hour * 3600L + minute * 60L + second - offsetSeconds;
    return seconds * 1000 + millis;
  }
}
