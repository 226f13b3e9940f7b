package dev.tsdb.api.handlers;

/** Go's strconv.Atoi, with its error messages. */
final class GoAtoi {
  private GoAtoi() {}

  static int parse(String s) {
    String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    if (digits.isEmpty()) {
      throw new IllegalArgumentException("strconv.Atoi: parsing \"" + s + "\": invalid syntax");
    }
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("strconv.Atoi: parsing \"" + s + "\": invalid syntax");
      }
    }
    try {
      long v = Long.parseLong(s.startsWith("+") ? digits : s);
      if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
        // Go's int is 64-bit; values beyond Java's int are clamped, which only matters for limits.
        return v > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
      }
      return (int) v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "strconv.Atoi: parsing \"" + s + "\": value out of range");
    }
  }
}
