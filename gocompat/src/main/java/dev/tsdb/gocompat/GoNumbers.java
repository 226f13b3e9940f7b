package dev.tsdb.gocompat;

/**
 * Go's number and boolean parsing ({@code strconv.ParseFloat}, {@code ParseInt},
 * {@code ParseUint}, {@code Atoi}, {@code ParseBool}), which Prometheus applies to query
 * literals, API parameters, bucket bounds, template arguments and flags. Failures throw {@link GoNumError} carrying Go's error text.
 *
 * <p>Integers: an optional sign (not for ParseUint), then digits of the base. Base 0 takes the
 * base from a prefix: 0x hex, 0o or a bare leading 0 octal, 0b binary, otherwise decimal; and
 * only with base 0 may underscores group digits. Floats: see {@link GoFloatSyntax}.
 */
public final class GoNumbers {
  private GoNumbers() {}

  /** {@code strconv.ParseFloat(s, 64)}, e.g. "1e3", ".5", "-Inf", "nan", "0x1p-2", "1_000". */
  public static double parseFloat(String s) {
    String form = GoFloatSyntax.javaForm(s);
    if (form == null) {
      throw GoNumError.syntax("ParseFloat", s);
    }
    double v = Double.parseDouble(form);
    if (overflowed(v, form)) {
      throw GoNumError.range("ParseFloat", s);
    }
    return v;
  }

  /**
   * {@code strconv.ParseFloat(s, 64)} for callers that only ask whether it succeeds: the value,
   * or null wherever Go returns an error (bad syntax, or beyond the float64 range).
   */
  public static Double tryParseFloat(String s) {
    String form = GoFloatSyntax.javaForm(s);
    if (form == null) {
      return null;
    }
    double v = Double.parseDouble(form);
    return overflowed(v, form) ? null : v;
  }

  /**
   * How Prometheus reads a number literal (PromQL's parser, promqltest): as
   * {@code strconv.ParseInt(s, 0, 64)}, so "0x1f", "0755" and "1_000" are integers, and when that
   * fails as {@code strconv.ParseFloat(s, 64)}, whose error is the one reported.
   */
  public static double parseIntOrFloat(String s) {
    try {
      return parseInt(s, 0, 64);
    } catch (GoNumError notAnInt) {
      return parseFloat(s);
    }
  }

  /**
   * {@code strconv.ParseBool}: 1, t, T, TRUE, true, True are true; 0, f, F, FALSE, false, False
   * are false; anything else is a syntax error.
   */
  public static boolean parseBool(String s) {
    switch (s) {
      case "1", "t", "T", "TRUE", "true", "True" -> {
        return true;
      }
      case "0", "f", "F", "FALSE", "false", "False" -> {
        return false;
      }
      default -> throw GoNumError.syntax("ParseBool", s);
    }
  }

  /**
   * Go's {@code float64(u)} for a uint64 held in a long: the nearest double, ties to even. Values
   * from 2^63 on are halved with their lowest bit kept sticky, so the one rounding is correct.
   */
  public static double uint64ToFloat64(long u) {
    if (u >= 0) {
      return u;
    }
    return (double) ((u >>> 1) | (u & 1)) * 2.0;
  }

  /** {@code strconv.Atoi}: ParseInt(s, 10, 64), reported as Atoi. */
  public static long atoi(String s) {
    return signed("Atoi", s, 10, 64);
  }

  /**
   * {@code strconv.ParseInt(s, base, bitSize)}.
   *
   * @param base 0 (from the prefix) or 2 to 36
   * @param bitSize 1 to 64 (0 means 64): the signed range the value must fit
   */
  public static long parseInt(String s, int base, int bitSize) {
    return signed("ParseInt", s, base, bitSize);
  }

  /**
   * {@code strconv.ParseUint(s, base, bitSize)}; the result's bits are the uint64 (use
   * {@link Long#toUnsignedString} and friends beyond {@code Long.MAX_VALUE}).
   */
  public static long parseUint(String s, int base, int bitSize) {
    return unsigned("ParseUint", s, s, base, bitSize);
  }

  private static long signed(String function, String s, int base, int bitSize) {
    int bits = checkBitSize(bitSize);
    boolean negative = !s.isEmpty() && s.charAt(0) == '-';
    boolean signed = negative || (!s.isEmpty() && s.charAt(0) == '+');
    long magnitude;
    try {
      magnitude = unsigned(function, s, signed ? s.substring(1) : s, base, bits);
    } catch (GoNumError e) {
      if (!e.outOfRange()) {
        throw e;
      }
      throw GoNumError.range(function, s);
    }
    // The magnitude may reach 2^(bits-1) only for a negative value.
    long limit = 1L << (bits - 1);
    if (Long.compareUnsigned(magnitude, negative ? limit : limit - 1) > 0) {
      throw GoNumError.range(function, s);
    }
    return negative ? -magnitude : magnitude;
  }

  /**
   * Reads the unsigned {@code digits} of {@code reported} (which may carry a sign). As in Go,
   * the first bad digit or the first overflow ends the scan with that error; misplaced
   * underscores are reported only after a scan that got through.
   */
  private static long unsigned(String function, String reported, String digits, int base,
      int bitSize) {
    int bits = checkBitSize(bitSize);
    if (base != 0 && (base < 2 || base > 36)) {
      throw new IllegalArgumentException("invalid base " + base);
    }
    if (digits.isEmpty()) {
      throw GoNumError.syntax(function, reported);
    }
    boolean underscoresAllowed = base == 0;
    int i = 0;
    if (base == 0) {
      base = 10;
      if (digits.charAt(0) == '0') {
        char p = digits.length() >= 3 ? GoFloatSyntax.lower(digits.charAt(1)) : 0;
        base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 8;
        i = p == 'x' || p == 'o' || p == 'b' ? 2 : 1;
      }
    }
    long max = bits == 64 ? -1L : (1L << bits) - 1;
    long cutoff = Long.divideUnsigned(-1L, base) + 1; // the smallest n for which n*base overflows
    boolean underscores = false;
    long n = 0;
    for (; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c == '_' && underscoresAllowed) {
        underscores = true;
        continue;
      }
      int d = digitValue(c);
      if (d >= base) {
        throw GoNumError.syntax(function, reported);
      }
      if (Long.compareUnsigned(n, cutoff) >= 0) {
        throw GoNumError.range(function, reported);
      }
      long next = n * base + d;
      if (Long.compareUnsigned(next, n * base) < 0 || Long.compareUnsigned(next, max) > 0) {
        throw GoNumError.range(function, reported);
      }
      n = next;
    }
    if (underscores && !GoFloatSyntax.underscoresSeparateDigits(digits)) {
      throw GoNumError.syntax(function, reported);
    }
    return n;
  }

  /** 0-9, then a/A = 10 up to z/Z = 35; 36 (never a digit) for anything else. */
  private static int digitValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    char l = GoFloatSyntax.lower(c);
    return l >= 'a' && l <= 'z' && c <= 0x7f ? l - 'a' + 10 : 36;
  }

  private static int checkBitSize(int bitSize) {
    if (bitSize < 0 || bitSize > 64) {
      throw new IllegalArgumentException("invalid bit size " + bitSize);
    }
    return bitSize == 0 ? 64 : bitSize;
  }

  /** An infinity Java rounded to from a finite number: Go's ErrRange. */
  private static boolean overflowed(double v, String javaForm) {
    return Double.isInfinite(v) && !GoFloatSyntax.isInfinityWord(javaForm);
  }
}
