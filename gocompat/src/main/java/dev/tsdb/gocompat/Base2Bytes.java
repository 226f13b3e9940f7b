package dev.tsdb.gocompat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus's base-2 byte sizes (alecthomas/units Base2Bytes, used by the
 * {@code --storage.tsdb.retention.size} flag and {@code storage.tsdb.retention.size}): 512MB means
 * 512 MiB; a leading sign is allowed (so a negative size can be refused with its own message).
 */
public final class Base2Bytes {
  private static final Pattern P =
      Pattern.compile("([-+]?)([0-9]+)(B|KB|MB|GB|TB|PB|EB|KiB|MiB|GiB|TiB|PiB|EiB)?");
  private static final String[] UNITS = {"", "K", "M", "G", "T", "P", "E"};

  private Base2Bytes() {}

  public static long parse(String s) {
    if (s.equals("0")) {
      return 0;
    }
    Matcher m = P.matcher(s);
    if (!m.matches() || m.group(3) == null) {
      throw new IllegalArgumentException("units: unknown unit in " + s);
    }
    long n = Long.parseLong(m.group(2));
    int shift = switch (m.group(3).charAt(0)) {
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
    return m.group(1).equals("-") ? -(n << shift) : n << shift;
  }

  /**
   * How Go prints a Base2Bytes ({@code %v}): each non-zero 1024-digit with its unit, largest
   * first, e.g. 1610612736 as "1GiB512MiB", 0 as "0B".
   */
  public static String format(long n) {
    StringBuilder out = new StringBuilder();
    long rest = n;
    for (int i = 0; i < UNITS.length; i++) {
      long digit = rest % 1024;
      if (digit != 0 || (i == 0 && rest == 0)) {
        out.insert(0, digit + UNITS[i] + (i == 0 ? "B" : "iB"));
      }
      rest /= 1024;
      if (rest == 0) {
        break;
      }
    }
    return out.toString();
  }
}
