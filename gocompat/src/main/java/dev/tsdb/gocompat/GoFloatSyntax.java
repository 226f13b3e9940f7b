package dev.tsdb.gocompat;

/**
 * The syntax {@code strconv.ParseFloat} accepts, checked here so that Java's
 * {@link Double#parseDouble} (which would also take "1d", " 1", "Infinity" or "0x1p1f") only ever
 * sees text Go accepts, rewritten into Java's spelling where the two differ.
 *
 * <p>Go's syntax: an optional sign, then either a special word (inf and infinity with any sign,
 * nan without one, ignoring ASCII case) or a number: decimal digits with at most one '.' and an
 * optional exponent {@code e[+-]digits}, or {@code 0x} hex digits with at most one '.' and a
 * mandatory binary exponent {@code p[+-]digits}. At least one mantissa digit is needed.
 * Underscores may group digits (Go literal syntax): each must sit between two digits, or between
 * the {@code 0x} prefix and a digit.
 */
final class GoFloatSyntax {
  static final String POSITIVE_INFINITY = "Infinity";
  static final String NEGATIVE_INFINITY = "-Infinity";
  static final String NAN = "NaN";

  private GoFloatSyntax() {}

  /**
   * The text {@code Double.parseDouble} reads as the value Go reads from {@code s}, or null when
   * ParseFloat rejects its syntax. Special words come back as Java's "Infinity", "-Infinity",
   * "NaN"; underscores are dropped; anything else is returned unchanged.
   */
  static String javaForm(String s) {
    int n = s.length();
    int i = 0;
    if (n > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
      i = 1;
    }
    String special = special(s, i);
    if (special != null) {
      return special;
    }
    // The prefix needs a character after it: "0x" alone is a zero followed by junk.
    boolean hex = n - i > 2 && s.charAt(i) == '0' && lower(s.charAt(i + 1)) == 'x';
    if (hex) {
      i += 2;
    }
    boolean underscores = false;
    boolean dot = false;
    boolean digits = false;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c == '_') {
        underscores = true;
      } else if (c == '.' && !dot) {
        dot = true;
      } else if (isDigit(c, hex)) {
        digits = true;
      } else {
        break;
      }
    }
    if (!digits) {
      return null;
    }
    if (i < n && lower(s.charAt(i)) == (hex ? 'p' : 'e')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      if (i == n || !isDigit(s.charAt(i), false)) {
        return null;
      }
      for (; i < n && (isDigit(s.charAt(i), false) || s.charAt(i) == '_'); i++) {
        underscores |= s.charAt(i) == '_';
      }
    } else if (hex) {
      return null; // a hex mantissa needs its binary exponent
    }
    if (i != n) {
      return null;
    }
    if (underscores) {
      return underscoresSeparateDigits(s) ? s.replace("_", "") : null;
    }
    return s;
  }

  /** Whether a Java form stands for an infinity written as a word (not an overflow). */
  static boolean isInfinityWord(String javaForm) {
    return javaForm.equals(POSITIVE_INFINITY) || javaForm.equals(NEGATIVE_INFINITY);
  }

  /**
   * Go's digit-grouping rule, shared with ParseInt of base 0: after the sign and an optional
   * 0b/0o/0x prefix (which counts as a digit), every underscore follows a digit and is followed
   * by one. Letters a-f are digits only after 0x.
   */
  static boolean underscoresSeparateDigits(String s) {
    int i = 0;
    int n = s.length();
    if (n > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
      i = 1;
    }
    boolean hex = false;
    boolean afterDigit = false;
    boolean afterUnderscore = false;
    if (n - i >= 2 && s.charAt(i) == '0') {
      char p = lower(s.charAt(i + 1));
      if (p == 'b' || p == 'o' || p == 'x') {
        hex = p == 'x';
        afterDigit = true;
        i += 2;
      }
    }
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (isDigit(c, hex)) {
        afterDigit = true;
        afterUnderscore = false;
      } else if (c == '_') {
        if (!afterDigit) {
          return false;
        }
        afterDigit = false;
        afterUnderscore = true;
      } else if (afterUnderscore) {
        return false;
      } else {
        afterDigit = false;
      }
    }
    return !afterUnderscore;
  }

  /** Java's spelling of inf, infinity (signed) or nan (unsigned) at {@code s[from:]}, or null. */
  private static String special(String s, int from) {
    boolean signed = from > 0;
    if (equalsIgnoreAsciiCase(s, from, "inf") || equalsIgnoreAsciiCase(s, from, "infinity")) {
      return signed && s.charAt(0) == '-' ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
    }
    if (!signed && equalsIgnoreAsciiCase(s, 0, "nan")) {
      return NAN;
    }
    return null;
  }

  /** Go folds only ASCII letters here; Java's equalsIgnoreCase would also match 'ı' to 'i'. */
  private static boolean equalsIgnoreAsciiCase(String s, int from, String lowerWord) {
    if (s.length() - from != lowerWord.length()) {
      return false;
    }
    for (int k = 0; k < lowerWord.length(); k++) {
      char c = s.charAt(from + k);
      if (c > 0x7f || lower(c) != lowerWord.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c, boolean hex) {
    return (c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f');
  }

  /** ASCII lower case of a letter; other characters may map to junk that matches no letter. */
  static char lower(char c) {
    return (char) (c | 0x20);
  }
}
