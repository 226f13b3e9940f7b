package dev.tsdb.gocompat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Expected values and error texts are what Go's strconv returns for the same inputs (its
 * documentation, and the cases of its own atof/atoi tests).
 */
class GoNumbersTest {
  @Test
  void parsesDecimalFloats() {
    assertEquals(1, GoNumbers.parseFloat("1"));
    assertEquals(1, GoNumbers.parseFloat("+1"));
    assertEquals(-0.5, GoNumbers.parseFloat("-.5"));
    assertEquals(1, GoNumbers.parseFloat("1."));
    assertEquals(1e23, GoNumbers.parseFloat("1e23"));
    assertEquals(1e23, GoNumbers.parseFloat("1E+23"));
    assertEquals(1e23, GoNumbers.parseFloat("100000000000000000000000"));
    assertEquals(1e5, GoNumbers.parseFloat("1.e5"));
    assertEquals(1e-100, GoNumbers.parseFloat("1e-100"));
    assertEquals(755, GoNumbers.parseFloat("0755")); // no octal for floats
    assertEquals(Double.MAX_VALUE, GoNumbers.parseFloat("1.7976931348623157e308"));
    assertEquals(Double.MAX_VALUE, GoNumbers.parseFloat("1.7976931348623158e308"));
    // Underflow is not an error: the nearest float64, down to zero.
    assertEquals(Double.MIN_VALUE, GoNumbers.parseFloat("4e-324"));
    assertEquals(0, GoNumbers.parseFloat("2e-324"));
    assertEquals(0, GoNumbers.parseFloat("1e-4294967296"));
    assertEquals(-0.0, GoNumbers.parseFloat("-0"));
    assertEquals(Double.doubleToRawLongBits(-0.0),
        Double.doubleToRawLongBits(GoNumbers.parseFloat("-0")));
  }

  @Test
  void parsesSpecialWordsIgnoringAsciiCase() {
    for (String s : new String[] {"inf", "+Inf", "+INF", "infinity", "Infinity", "+INFINITY"}) {
      assertEquals(Double.POSITIVE_INFINITY, GoNumbers.parseFloat(s), s);
    }
    for (String s : new String[] {"-inf", "-Inf", "-infinity", "-InFiNiTy"}) {
      assertEquals(Double.NEGATIVE_INFINITY, GoNumbers.parseFloat(s), s);
    }
    for (String s : new String[] {"nan", "NaN", "NAN"}) {
      assertTrue(Double.isNaN(GoNumbers.parseFloat(s)), s);
    }
    // NaN takes no sign; words are whole; only ASCII letters fold ('ı' is not 'i').
    for (String s : new String[] {"+nan", "-NaN", "infin", "infinityy", "inff", "in", "\u0131nf",
        "Infinit"}) {
      assertSyntaxError("ParseFloat", s, () -> GoNumbers.parseFloat(s));
    }
  }

  @Test
  void parsesHexFloatsWithTheirBinaryExponent() {
    assertEquals(0.25, GoNumbers.parseFloat("0x1p-2"));
    assertEquals(3, GoNumbers.parseFloat("0x1.8p1"));
    assertEquals(-4, GoNumbers.parseFloat("-0X1P+2"));
    assertEquals(1, GoNumbers.parseFloat("0x.8p1"));
    assertEquals(0x1Fp0, GoNumbers.parseFloat("0x1Fp0"));
    assertEquals(Double.MAX_VALUE, GoNumbers.parseFloat("0x1.fffffffffffffp1023"));
    assertEquals(Double.MIN_VALUE, GoNumbers.parseFloat("0x1p-1074"));
    assertEquals(0, GoNumbers.parseFloat("0x1p-1075")); // halfway: rounds to even
    for (String s : new String[] {"0x1", "0x1e1", "0x1p", "0x1p+", "0x.p1", "0x", "0xp1",
        "0b101", "0o17", "1p0", "0x1.8e1"}) {
      assertSyntaxError("ParseFloat", s, () -> GoNumbers.parseFloat(s));
    }
  }

  @Test
  void acceptsUnderscoresOnlyBetweenDigits() {
    assertEquals(1.235e14, GoNumbers.parseFloat("1_23.50_0_0e+1_2"));
    assertEquals(1000, GoNumbers.parseFloat("1_000"));
    assertEquals(1, GoNumbers.parseFloat("0_1"));
    assertEquals(0x12.345p12, GoNumbers.parseFloat("0x_1_2.3_4_5p+1_2"));
    for (String s : new String[] {"_123.5e+12", "-_123.5e+12", "+_123.5e+12", "1__23.5e+12",
        "123_.5e+12", "123._5e+12", "123.5_e+12", "123.5__0e+12", "123.5e_+12", "123.5e+_12",
        "123.5e-_12", "123.5e+1__2", "123.5e+12_", "0x1_p0", "0x1p_1", "1_"}) {
      assertSyntaxError("ParseFloat", s, () -> GoNumbers.parseFloat(s));
    }
  }

  @Test
  void rejectsWhatJavaWouldTake() {
    for (String s : new String[] {"", "+", "-", ".", "e5", ".e1", "1e", "1e-", "1e+", "1x",
        "1.1.", " 1", "1 ", "1d", "1f", "1.0F", "Infinity1", "0x1p1d", "1,5", "١"}) {
      assertSyntaxError("ParseFloat", s, () -> GoNumbers.parseFloat(s));
      assertNull(GoNumbers.tryParseFloat(s), s);
    }
  }

  @Test
  void reportsOverflowAsRangeError() {
    for (String s : new String[] {"2e308", "1e309", "-1e309", "1.797693134862315808e308",
        "1e+4294967296", "0x1p1024", "1_0e400"}) {
      GoNumError e = assertThrows(GoNumError.class, () -> GoNumbers.parseFloat(s), s);
      assertTrue(e.outOfRange(), s);
      assertEquals("strconv.ParseFloat: parsing " + GoStrings.quote(s) + ": value out of range",
          e.getMessage());
      assertNull(GoNumbers.tryParseFloat(s), s);
    }
    assertEquals(1.5, GoNumbers.tryParseFloat("1.5"));
    assertEquals(Double.NEGATIVE_INFINITY, GoNumbers.tryParseFloat("-Inf"));
  }

  @Test
  void errorTextsQuoteTheInputLikeGo() {
    GoNumError e = assertThrows(GoNumError.class, () -> GoNumbers.parseFloat("a\"b\n"));
    assertEquals("strconv.ParseFloat: parsing \"a\\\"b\\n\": invalid syntax", e.getMessage());
    assertEquals("ParseFloat", e.function());
    assertEquals("a\"b\n", e.input());
    assertFalse(e.outOfRange());
    assertTrue(e instanceof NumberFormatException);
  }

  @Test
  void parsesIntegersWithBasePrefixes() {
    assertEquals(0, GoNumbers.parseInt("0", 0, 64));
    assertEquals(0, GoNumbers.parseInt("-0", 0, 64));
    assertEquals(12345, GoNumbers.parseInt("+12345", 0, 64));
    assertEquals(012345, GoNumbers.parseInt("012345", 0, 64));
    assertEquals(-012345, GoNumbers.parseInt("-012345", 0, 64));
    assertEquals(0x12345, GoNumbers.parseInt("0x12345", 0, 64));
    assertEquals(-0x12345, GoNumbers.parseInt("-0X12345", 0, 64));
    assertEquals(0x1e5, GoNumbers.parseInt("0x1e5", 0, 64));
    assertEquals(15, GoNumbers.parseInt("0o17", 0, 64));
    assertEquals(15, GoNumbers.parseInt("0O17", 0, 64));
    assertEquals(5, GoNumbers.parseInt("0b101", 0, 64));
    assertEquals(Long.MAX_VALUE, GoNumbers.parseInt("9223372036854775807", 0, 64));
    assertEquals(Long.MIN_VALUE, GoNumbers.parseInt("-9223372036854775808", 0, 64));
    assertEquals(Long.MIN_VALUE, GoNumbers.parseInt("-0x8000000000000000", 0, 64));
    for (String s : new String[] {"", "+", "-", "12345x", "-12345x", "0x", "0b", "0o", "08",
        "0b2", "0x1g", "1.5", "1e3", "+-1", " 1", "inf", "٣"}) {
      assertSyntaxError("ParseInt", s, () -> GoNumbers.parseInt(s, 0, 64));
    }
  }

  @Test
  void acceptsUnderscoresOnlyWithBaseZero() {
    assertEquals(-12345, GoNumbers.parseInt("-1_2_3_4_5", 0, 64));
    assertEquals(0x123, GoNumbers.parseInt("0x_1_2_3", 0, 64));
    assertEquals(012, GoNumbers.parseInt("0_1_2", 0, 64));
    assertEquals(5, GoNumbers.parseInt("0b_1_0_1", 0, 64));
    for (String s : new String[] {"_12345", "-_12345", "1__2345", "12345_", "0_", "0x_",
        "0x1__2"}) {
      assertSyntaxError("ParseInt", s, () -> GoNumbers.parseInt(s, 0, 64));
    }
    assertSyntaxError("ParseInt", "1_000", () -> GoNumbers.parseInt("1_000", 10, 64));
    assertSyntaxError("Atoi", "1_000", () -> GoNumbers.atoi("1_000"));
  }

  @Test
  void reportsIntegerOverflowAsRangeError() {
    assertRangeError("ParseInt", "9223372036854775808",
        () -> GoNumbers.parseInt("9223372036854775808", 0, 64));
    assertRangeError("ParseInt", "-9223372036854775809",
        () -> GoNumbers.parseInt("-9223372036854775809", 0, 64));
    assertRangeError("ParseInt", "0x10000000000000000",
        () -> GoNumbers.parseInt("0x10000000000000000", 0, 64));
    // The scan stops at the overflow, before seeing the bad digit.
    assertRangeError("ParseInt", "99999999999999999999x",
        () -> GoNumbers.parseInt("99999999999999999999x", 10, 64));
    assertEquals(Integer.MAX_VALUE, GoNumbers.parseInt("2147483647", 10, 32));
    assertEquals(Integer.MIN_VALUE, GoNumbers.parseInt("-2147483648", 10, 32));
    assertRangeError("ParseInt", "2147483648", () -> GoNumbers.parseInt("2147483648", 10, 32));
    assertRangeError("ParseInt", "-4294967296",
        () -> GoNumbers.parseInt("-4294967296", 10, 32));
    assertEquals(-128, GoNumbers.parseInt("-128", 10, 8));
    assertRangeError("ParseInt", "128", () -> GoNumbers.parseInt("128", 10, 8));
  }

  @Test
  void parsesUnsignedIntegers() {
    assertEquals(-1L, GoNumbers.parseUint("18446744073709551615", 10, 64));
    assertEquals(Long.MAX_VALUE, GoNumbers.parseUint("9223372036854775807", 10, 64));
    assertEquals(0xff, GoNumbers.parseUint("0xff", 0, 64));
    assertEquals(35, GoNumbers.parseUint("z", 36, 64));
    assertEquals(35, GoNumbers.parseUint("Z", 36, 64));
    assertRangeError("ParseUint", "18446744073709551616",
        () -> GoNumbers.parseUint("18446744073709551616", 10, 64));
    assertRangeError("ParseUint", "256", () -> GoNumbers.parseUint("256", 10, 8));
    assertSyntaxError("ParseUint", "-1", () -> GoNumbers.parseUint("-1", 10, 64));
    assertSyntaxError("ParseUint", "+1", () -> GoNumbers.parseUint("+1", 10, 64));
    assertThrows(IllegalArgumentException.class, () -> GoNumbers.parseUint("1", 1, 64));
    assertThrows(IllegalArgumentException.class, () -> GoNumbers.parseUint("1", 37, 64));
    assertThrows(IllegalArgumentException.class, () -> GoNumbers.parseUint("1", 10, 65));
  }

  @Test
  void atoiIsDecimalParseIntReportedAsAtoi() {
    assertEquals(42, GoNumbers.atoi("42"));
    assertEquals(42, GoNumbers.atoi("+42"));
    assertEquals(-42, GoNumbers.atoi("-42"));
    assertEquals(42, GoNumbers.atoi("042")); // decimal, not octal
    assertEquals(99999999999L, GoNumbers.atoi("99999999999"));
    for (String s : new String[] {"", "+", "-", "x", "0x10", "1.0", " 1", "1 "}) {
      assertSyntaxError("Atoi", s, () -> GoNumbers.atoi(s));
    }
    assertRangeError("Atoi", "99999999999999999999",
        () -> GoNumbers.atoi("99999999999999999999"));
    assertEquals("strconv.Atoi: parsing \"x\": invalid syntax",
        assertThrows(GoNumError.class, () -> GoNumbers.atoi("x")).getMessage());
  }

  @Test
  void readsNumberLiteralsAsIntThenFloat() {
    assertEquals(31, GoNumbers.parseIntOrFloat("0x1f"));
    assertEquals(493, GoNumbers.parseIntOrFloat("0755"));
    assertEquals(1000, GoNumbers.parseIntOrFloat("1_000"));
    assertEquals(1.5, GoNumbers.parseIntOrFloat("1.5"));
    assertEquals(1e20, GoNumbers.parseIntOrFloat("100000000000000000000"));
    assertEquals(0.0, GoNumbers.parseIntOrFloat("-0")); // an int zero has no sign
    assertEquals(Double.doubleToRawLongBits(0.0),
        Double.doubleToRawLongBits(GoNumbers.parseIntOrFloat("-0")));
    assertEquals(Double.POSITIVE_INFINITY, GoNumbers.parseIntOrFloat("Inf"));
    assertEquals(9.007199254740992E15, GoNumbers.parseIntOrFloat("9007199254740993"));
    // The float error is the one reported.
    assertSyntaxError("ParseFloat", "0x", () -> GoNumbers.parseIntOrFloat("0x"));
    assertSyntaxError("ParseFloat", "08.5x", () -> GoNumbers.parseIntOrFloat("08.5x"));
    assertEquals(8.5, GoNumbers.parseIntOrFloat("08.5"));
  }

  private static void assertSyntaxError(String function, String s, Runnable parse) {
    GoNumError e = assertThrows(GoNumError.class, parse::run, s);
    assertFalse(e.outOfRange(), s);
    assertEquals("strconv." + function + ": parsing " + GoStrings.quote(s) + ": invalid syntax",
        e.getMessage());
  }

  private static void assertRangeError(String function, String s, Runnable parse) {
    GoNumError e = assertThrows(GoNumError.class, parse::run, s);
    assertTrue(e.outOfRange(), s);
    assertEquals("strconv." + function + ": parsing " + GoStrings.quote(s)
        + ": value out of range", e.getMessage());
  }

  @Test
  void parseBoolTakesGosTwelveSpellings() {
    for (String t : new String[] {"1", "t", "T", "TRUE", "true", "True"}) {
      org.junit.jupiter.api.Assertions.assertTrue(GoNumbers.parseBool(t), t);
    }
    for (String f : new String[] {"0", "f", "F", "FALSE", "false", "False"}) {
      org.junit.jupiter.api.Assertions.assertFalse(GoNumbers.parseBool(f), f);
    }
    for (String bad : new String[] {"", "yes", "tRUE", "on"}) {
      GoNumError e = org.junit.jupiter.api.Assertions.assertThrows(GoNumError.class,
          () -> GoNumbers.parseBool(bad));
      org.junit.jupiter.api.Assertions.assertEquals(
          "strconv.ParseBool: parsing " + GoStrings.quote(bad) + ": invalid syntax",
          e.getMessage());
    }
  }

  @Test
  void uint64ToFloat64RoundsOnceToNearestEven() {
    org.junit.jupiter.api.Assertions.assertEquals(1.8446744073709552e19,
        GoNumbers.uint64ToFloat64(-1L)); // 2^64-1
    org.junit.jupiter.api.Assertions.assertEquals(9.223372036854775808e18,
        GoNumbers.uint64ToFloat64(Long.MIN_VALUE)); // 2^63
    // 2^63 + 2^10 + 1 is just above the halfway point between two doubles: rounds up.
    org.junit.jupiter.api.Assertions.assertEquals(9.223372036854777856e18,
        GoNumbers.uint64ToFloat64(Long.MIN_VALUE + 1025));
    // 2^63 + 2^10 is exactly halfway: ties to even (down).
    org.junit.jupiter.api.Assertions.assertEquals(9.223372036854775808e18,
        GoNumbers.uint64ToFloat64(Long.MIN_VALUE + 1024));
    org.junit.jupiter.api.Assertions.assertEquals(42.0, GoNumbers.uint64ToFloat64(42));
  }
}
