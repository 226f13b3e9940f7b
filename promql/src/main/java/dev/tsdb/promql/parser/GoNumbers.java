package dev.tsdb.promql.parser;

import dev.tsdb.gocompat.GoStrings;

/**
 * Number parsing with Go's semantics, as PromQL inherits them: a literal is read
 * with {@code strconv.ParseInt(s, 0, 64)} (so {@code 0x1f}, {@code 0755} octal, {@code 1_000})
 * and, failing that, {@code strconv.ParseFloat(s, 64)}. Printing is gocompat's GoFloat.
 */
public final class GoNumbers {
  private GoNumbers() {}

  /**
   * Parses a number literal the way upstream's parser does.
   *
   * @throws NumberFormatException with Go's ParseFloat error text, e.g.
   *     {@code strconv.ParseFloat: parsing "x": invalid syntax}
   */
  public static double parseLiteral(String s) {
    Long asInt = parseIntBase0(s);
    if (asInt != null) {
      return asInt;
    }
    return parseFloat(s);
  }

  /** Go's {@code ParseInt(s, 0, 64)}; null on syntax or range error. */
  static Long parseIntBase0(String s) {
    if (s.isEmpty()) {
      return null;
    }
    int i = 0;
    boolean neg = false;
    if (s.charAt(0) == '+' || s.charAt(0) == '-') {
      neg = s.charAt(0) == '-';
      i = 1;
    }
    int base = 10;
    boolean prefixed = false;
    if (s.length() - i >= 2 && s.charAt(i) == '0') {
      char p = Character.toLowerCase(s.charAt(i + 1));
      if (p == 'x') {
        base = 16;
        i += 2;
        prefixed = true;
      } else if (p == 'o') {
        base = 8;
        i += 2;
        prefixed = true;
      } else if (p == 'b') {
        base = 2;
        i += 2;
        prefixed = true;
      } else {
        base = 8;
        i += 1;
        prefixed = true;
      }
    }
    if (i >= s.length()) {
      return null;
    }
    // Underscores: only between digits, or right after a base prefix.
    boolean lastUnderscore = false;
    boolean sawDigit = false;
    long limit = neg ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long acc = 0; // accumulated negatively to reach Long.MIN_VALUE
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '_') {
        if (lastUnderscore || (!sawDigit && !prefixed)) {
          return null;
        }
        lastUnderscore = true;
        continue;
      }
      int d = Character.digit(c, base);
      if (d < 0 || c > 0x7f) {
        return null;
      }
      lastUnderscore = false;
      sawDigit = true;
      long next;
      try {
        next = Math.subtractExact(Math.multiplyExact(acc, base), d);
      } catch (ArithmeticException overflow) {
        return null;
      }
      if (next < limit) {
        return null;
      }
      acc = next;
    }
    if (lastUnderscore) {
      return null;
    }
    if (!sawDigit) {
      return null;
    }
    return neg ? acc : -acc;
  }

  /**
   * Go's {@code ParseFloat(s, 64)} for the literals PromQL's lexer admits: decimal with optional
   * fraction, exponent and underscores, and the special words inf, infinity and nan.
   */
  static double parseFloat(String s) {
    String lower = s.toLowerCase();
    String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
    boolean neg = lower.startsWith("-");
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (unsigned.equals("nan")) {
      return Double.NaN;
    }
    if (!isDecimalFloatSyntax(unsigned)) {
      throw new NumberFormatException("strconv.ParseFloat: parsing " + GoStrings.quote(s)
          + ": invalid syntax");
    }
    double v = Double.parseDouble((neg ? "-" : "") + unsigned.replace("_", ""));
    if (Double.isInfinite(v)) {
      throw new NumberFormatException("strconv.ParseFloat: parsing " + GoStrings.quote(s)
          + ": value out of range");
    }
    return v;
  }

  private static boolean isDecimalFloatSyntax(String s) {
    int i = 0;
    int n = s.length();
    int digits = 0;
    boolean lastUnderscore = false;
    boolean prevDigit = false;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
        lastUnderscore = false;
        prevDigit = true;
      } else if (c == '_') {
        if (!prevDigit) {
          return false;
        }
        lastUnderscore = true;
        prevDigit = false;
      } else {
        break;
      }
    }
    if (lastUnderscore) {
      return false;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      prevDigit = false;
      for (; i < n; i++) {
        char c = s.charAt(i);
        if (c >= '0' && c <= '9') {
          digits++;
          prevDigit = true;
          lastUnderscore = false;
        } else if (c == '_') {
          if (!prevDigit) {
            return false;
          }
          lastUnderscore = true;
          prevDigit = false;
        } else {
          break;
        }
      }
      if (lastUnderscore) {
        return false;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && s.charAt(i) == 'e') {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int expDigits = 0;
      for (; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
        expDigits++;
      }
      if (expDigits == 0) {
        return false;
      }
    }
    return i == n;
  }
}
