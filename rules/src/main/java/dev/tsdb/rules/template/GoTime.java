package dev.tsdb.rules.template;

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

  /** Go's Time.Format for the standard layout elements. */
  public String format(String layout) {
    ZonedDateTime z = zdt();
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
  }
}
