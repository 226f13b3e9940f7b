package dev.tsdb.server.flags;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus's base-2 byte sizes (units.ParseBase2Bytes): 512MB means 512 MiB. */
public final class ByteSize {
  private static final Pattern P =
      Pattern.compile("([0-9]+)(B|KB|MB|GB|TB|PB|EB|KiB|MiB|GiB|TiB|PiB|EiB)?");

  private ByteSize() {}

  public static long parse(String s) {
    if (s.equals("0")) {
      return 0;
    }
    Matcher m = P.matcher(s);
    if (!m.matches() || m.group(2) == null) {
      throw new IllegalArgumentException("units: unknown unit in " + s);
    }
    long n = Long.parseLong(m.group(1));
    int shift = switch (m.group(2).charAt(0)) {
      case 'B' -> 0;
      case 'K' -> 10;
      case 'M' -> 20;
      case 'G' -> 30;
      case 'T' -> 40;
      case 'P' -> 50;
      default -> 60;
    };
    if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("units: overflow in " + s);
    }
    return n << shift;
  }
}
