package dev.tsdb.rules.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected strings are what Go's strconv.FormatFloat / fmt produce for the same inputs. */
class GoFloatTest {
  @Test
  void shortest() {
    assertEquals("0.1", GoFloat.format(0.1, 'g', -1));
    assertEquals("1e+21", GoFloat.format(1e21, 'g', -1));
    assertEquals("1.23456789e+08", GoFloat.format(123456789, 'g', -1));
    assertEquals("1e-06", GoFloat.format(0.000001, 'g', -1));
    assertEquals("100", GoFloat.format(100, 'g', -1));
    assertEquals("123456", GoFloat.format(123456, 'g', -1));
    assertEquals("0", GoFloat.format(0, 'g', -1));
    assertEquals("-0", GoFloat.format(-0.0, 'g', -1));
    assertEquals("5e-324", GoFloat.format(Double.MIN_VALUE, 'g', -1));
    assertEquals("1.7976931348623157e+308", GoFloat.format(Double.MAX_VALUE, 'g', -1));
    assertEquals("2.82879384806159e+17", GoFloat.format(2.82879384806159e17, 'g', -1));
    assertEquals("0.30000000000000004", GoFloat.format(0.1 + 0.2, 'g', -1));
    assertEquals("1e+06", GoFloat.format(1e6, 'e', -1));
    assertEquals("1000000", GoFloat.format(1e6, 'f', -1));
  }

  @Test
  void fixedPrecision() {
    assertEquals("2", GoFloat.format(2.5, 'f', 0));
    assertEquals("4", GoFloat.format(3.5, 'f', 0));
    assertEquals("1.00", GoFloat.format(1.005, 'f', 2));
    assertEquals("0.000000e+00", GoFloat.format(0, 'e', 6));
    assertEquals("1.23e+03", GoFloat.format(1234, 'g', 3));
    assertEquals("0.000123", GoFloat.format(0.0001234, 'g', 3));
    assertEquals("1.5", GoFloat.format(1.5, 'g', 4));
    assertEquals("1235", GoFloat.format(1234.567, 'g', 4));
    assertEquals("0", GoFloat.format(0, 'g', 4));
    assertEquals("+Inf", GoFloat.format(Double.POSITIVE_INFINITY, 'g', 4));
    assertEquals("NaN", GoFloat.format(Double.NaN, 'f', 2));
    assertEquals("-1.000e-05", GoFloat.format(-0.00001, 'e', 3));
  }
}
