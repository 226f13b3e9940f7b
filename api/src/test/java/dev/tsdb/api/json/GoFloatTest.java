package dev.tsdb.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GoFloatTest {
  @Test
  void formatsLikeGoStrconvF() {
    assertEquals("0", GoFloat.formatF(0.0));
    assertEquals("-0", GoFloat.formatF(-0.0));
    assertEquals("1", GoFloat.formatF(1.0));
    assertEquals("42", GoFloat.formatF(42));
    assertEquals("0.1", GoFloat.formatF(0.1));
    assertEquals("1.5", GoFloat.formatF(1.5));
    assertEquals("-2.25", GoFloat.formatF(-2.25));
    assertEquals("0.0000001", GoFloat.formatF(1e-7));
    assertEquals("10000000000000000000000", GoFloat.formatF(1e22));
    assertEquals("123456789", GoFloat.formatF(123456789));
    assertEquals("1234567.891", GoFloat.formatF(1234567.891));
    assertEquals("0.30000000000000004", GoFloat.formatF(0.1 + 0.2));
    assertEquals("200000000000000000000000", GoFloat.formatF(2e23));
    assertEquals("17976931348623157" + "0".repeat(292), GoFloat.formatF(Double.MAX_VALUE));
    assertEquals("+Inf", GoFloat.formatF(Double.POSITIVE_INFINITY));
    assertEquals("-Inf", GoFloat.formatF(Double.NEGATIVE_INFINITY));
    assertEquals("NaN", GoFloat.formatF(Double.NaN));
  }

  @Test
  void jsoniterCutoffs() {
    assertEquals("1e-07", GoFloat.formatJsoniter(1e-7));
    assertEquals("0.000001", GoFloat.formatJsoniter(1e-6));
    assertEquals("1e+21", GoFloat.formatJsoniter(1e21));
    assertEquals("100000000000000000000", GoFloat.formatJsoniter(1e20));
    assertEquals("0", GoFloat.formatJsoniter(0));
    assertEquals("NaN", GoFloat.formatJsoniter(Double.NaN));
  }

  @Test
  void formatsLikeGoStrconvG() {
    assertEquals("1.234567e+06", GoFloat.formatG(1234567));
    assertEquals("100000", GoFloat.formatG(100000));
    assertEquals("0.0001", GoFloat.formatG(0.0001));
    assertEquals("1e-05", GoFloat.formatG(0.00001));
    assertEquals("3.14", GoFloat.formatG(3.14));
    assertEquals("1.7e+09", GoFloat.formatG(1.7e9));
  }

  @Test
  void formatsLikeGoStrconvE() {
    assertEquals("1e-07", GoFloat.formatE(1e-7));
    assertEquals("1.5e+22", GoFloat.formatE(1.5e22));
    assertEquals("0e+00", GoFloat.formatE(0));
    assertEquals("5e-324", GoFloat.formatE(Double.MIN_VALUE));
    assertEquals("1.7976931348623157e+308", GoFloat.formatE(Double.MAX_VALUE));
  }
}
