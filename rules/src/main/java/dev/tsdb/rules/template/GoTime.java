package dev.tsdb.rules.template;

import dev.tsdb.gocompat.GoTimeFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;

/**
 * A Go {@code *time.Time} in UTC, as returned by the {@code toTime} template function. Supports
 * {@code .Format LAYOUT} with Go's reference-time layouts, {@code .Unix}, {@code .UnixMilli},
 * {@code .UnixNano}, {@code .UTC}, {@code .String} and the calendar accessors.
 */
public record GoTime(long epochNanos) implements GoStruct {
  private ZonedDateTime zdt() {
    return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
        Math.floorMod(epochNanos, 1_000_000_000L)).atZone(ZoneOffset.UTC);
  }

  @Override
  public String goType() {
    return "*time.Time";
  }

  @Override
  public boolean hasMethod(String name) {
    return switch (name) {
      case "Format", "Unix", "UnixMilli", "UnixNano", "UTC", "String", "Year", "Month", "Day",
          "Hour", "Minute", "Second", "YearDay", "Weekday" -> true;
      default -> false;
    };
  }

  @Override
  public Object call(String name, List<Object> args) throws Exception {
    if (name.equals("Format")) {
      if (args.size() != 1 || !(args.get(0) instanceof String layout)) {
        throw new Exception("wrong number of args for Format: want 1 got " + args.size());
      }
      return format(layout);
    }
    if (!args.isEmpty()) {
      throw new Exception("wrong number of args for " + name + ": want 0 got " + args.size());
    }
    ZonedDateTime z = zdt();
    return switch (name) {
      case "Unix" -> Math.floorDiv(epochNanos, 1_000_000_000L);
      case "UnixMilli" -> Math.floorDiv(epochNanos, 1_000_000L);
      case "UnixNano" -> epochNanos;
      case "UTC" -> this;
      case "String" -> toString();
      case "Year" -> (long) z.getYear();
      case "Month" -> z.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
      case "Day" -> (long) z.getDayOfMonth();
      case "Hour" -> (long) z.getHour();
      case "Minute" -> (long) z.getMinute();
      case "Second" -> (long) z.getSecond();
      case "YearDay" -> (long) z.getDayOfYear();
      case "Weekday" -> z.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
      default -> throw new Exception("no method " + name);
    };
  }

  /** Go's Time.String(). */
  @Override
  public String toString() {
    return format("2006-01-02 15:04:05.999999999 -0700 MST");
  }

  /** Go's Time.Format. */
  public String format(String layout) {
    return GoTimeFormat.format(epochNanos, layout);
  }

}
