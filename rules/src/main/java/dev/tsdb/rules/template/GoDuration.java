package dev.tsdb.rules.template;

import java.util.List;

/** A Go {@code *time.Duration} (nanoseconds), as returned by the {@code toDuration} function. */
public record GoDuration(long nanos) implements GoStruct {
  @Override
  public String goType() {
    return "*time.Duration";
  }

  @Override
  public boolean hasMethod(String name) {
    return switch (name) {
      case "String", "Seconds", "Minutes", "Hours", "Milliseconds", "Microseconds",
          "Nanoseconds" -> true;
      default -> false;
    };
  }

  @Override
  public Object call(String name, List<Object> args) throws Exception {
    if (!args.isEmpty()) {
      throw new Exception("wrong number of args for " + name + ": want 0 got " + args.size());
    }
    return switch (name) {
      case "String" -> toString();
      case "Seconds" -> nanos / 1e9;
      case "Minutes" -> nanos / 6e10;
      case "Hours" -> nanos / 3.6e12;
      case "Milliseconds" -> nanos / 1_000_000L;
      case "Microseconds" -> nanos / 1_000L;
      case "Nanoseconds" -> nanos;
      default -> throw new Exception("no method " + name);
    };
  }

  /** Go's Duration.String(): "1h2m0.01s", "1.5ms", "0s". */
  @Override
  public String toString() {
    if (nanos == 0) {
      return "0s";
    }
    boolean neg = nanos < 0;
    long u = Math.abs(nanos);
    StringBuilder sb = new StringBuilder();
    if (u < 1_000_000_000L) {
      String unit;
      int prec;
      if (u < 1_000L) {
        unit = "ns";
        prec = 0;
      } else if (u < 1_000_000L) {
        unit = "\u00b5s";
        prec = 3;
      } else {
        unit = "ms";
        prec = 6;
      }
      sb.append(frac(u, prec)).append(unit);
    } else {
      long secs = u / 1_000_000_000L;
      String fracPart = fracOnly(u % 1_000_000_000L, 9);
      long h = secs / 3600;
      long m = (secs / 60) % 60;
      long s = secs % 60;
      if (h > 0) {
        sb.append(h).append('h');
      }
      if (h > 0 || m > 0) {
        sb.append(m).append('m');
      }
      sb.append(s).append(fracPart).append('s');
    }
    return neg ? "-" + sb : sb.toString();
  }

  private static String frac(long v, int prec) {
    long pow = (long) Math.pow(10, prec);
    return (v / pow) + fracOnly(v % pow, prec);
  }

  private static String fracOnly(long rem, int prec) {
    if (prec == 0 || rem == 0) {
      return "";
    }
    String digits = String.format("%0" + prec + "d", rem).replaceAll("0+$", "");
    return "." + digits;
  }
}
