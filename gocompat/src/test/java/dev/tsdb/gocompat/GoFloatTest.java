package dev.tsdb.gocompat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected strings are what Go's strconv.FormatFloat / fmt print for the same inputs. */
class GoFloatTest {
  @Test
  void shortestF() {
    assertEquals("0", GoFloat.formatF(0.0));
    assertEquals("-0", GoFloat.formatF(-0.0));
    assertEquals("1", GoFloat.formatF(1.0));
    assertEquals("42", GoFloat.formatF(42));
    assertEquals("0.1", GoFloat.formatF(0.1));
    assertEquals("1.5", GoFloat.formatF(1.5));
    assertEquals("-2.25", GoFloat.formatF(-2.25));
    assertEquals("0.0000001", GoFloat.formatF(1e-7));
    assertEquals("0.000025", GoFloat.formatF(2.5e-5));
    assertEquals("10000000000000000000000", GoFloat.formatF(1e22));
    assertEquals("123456789", GoFloat.formatF(123456789));
    assertEquals("1234567.891", GoFloat.formatF(1234567.891));
    assertEquals("0.30000000000000004", GoFloat.formatF(0.1 + 0.2));
    assertEquals("200000000000000000000000", GoFloat.formatF(2e23));
    assertEquals("282879384806159000", GoFloat.formatF(2.82879384806159e17));
    assertEquals("17976931348623157" + "0".repeat(292), GoFloat.formatF(Double.MAX_VALUE));
    assertEquals("0." + "0".repeat(323) + "5", GoFloat.formatF(Double.MIN_VALUE));
    assertEquals("+Inf", GoFloat.formatF(Double.POSITIVE_INFINITY));
    assertEquals("-Inf", GoFloat.formatF(Double.NEGATIVE_INFINITY));
    assertEquals("NaN", GoFloat.formatF(Double.NaN));
  }

  @Test
  void shortestE() {
    assertEquals("1e-07", GoFloat.formatE(1e-7));
    assertEquals("1.5e+22", GoFloat.formatE(1.5e22));
    assertEquals("0e+00", GoFloat.formatE(0));
    assertEquals("-0e+00", GoFloat.formatE(-0.0));
    assertEquals("1e+02", GoFloat.formatE(100));
    assertEquals("1e+06", GoFloat.format(1e6, 'e', -1));
    assertEquals("5e-324", GoFloat.formatE(Double.MIN_VALUE));
    assertEquals("1.7976931348623157e+308", GoFloat.formatE(Double.MAX_VALUE));
    assertEquals("1.5E+22", GoFloat.format(1.5e22, 'E', -1));
  }

  @Test
  void shortestG() {
    assertEquals("5e-324", GoFloat.formatG(Double.MIN_VALUE));
    assertEquals("1e+21", GoFloat.formatG(1e21));
    assertEquals("1e-07", GoFloat.formatG(1e-7));
    assertEquals("0.1", GoFloat.formatG(0.1));
    assertEquals("1.23456789e+08", GoFloat.formatG(123456789));
    assertEquals("2.5e-05", GoFloat.formatG(2.5e-5));
    assertEquals("1.7976931348623157e+308", GoFloat.formatG(Double.MAX_VALUE));
    assertEquals("100000", GoFloat.formatG(100000));
    assertEquals("1e+06", GoFloat.formatG(1e6));
    assertEquals("1.234567e+06", GoFloat.formatG(1234567));
    assertEquals("123456", GoFloat.formatG(123456));
    assertEquals("0.0001", GoFloat.formatG(0.0001));
    assertEquals("1e-05", GoFloat.formatG(0.00001));
    assertEquals("1e-06", GoFloat.formatG(0.000001));
    assertEquals("3.14", GoFloat.formatG(3.14));
    assertEquals("100", GoFloat.formatG(100));
    assertEquals("1.7e+09", GoFloat.formatG(1.7e9));
    assertEquals("2.82879384806159e+17", GoFloat.formatG(2.82879384806159e17));
    assertEquals("0.30000000000000004", GoFloat.formatG(0.1 + 0.2));
    assertEquals("1e+23", GoFloat.formatG(1e23));
    assertEquals("0", GoFloat.formatG(0));
    assertEquals("-0", GoFloat.formatG(-0.0));
    assertEquals("-1.5e-10", GoFloat.formatG(-1.5e-10));
    assertEquals("+Inf", GoFloat.formatG(Double.POSITIVE_INFINITY));
    assertEquals("1E+06", GoFloat.format(1e6, 'G', -1));
  }

  @Test
  void fixedPrecision() {
    assertEquals("2", GoFloat.format(2.5, 'f', 0));
    assertEquals("4", GoFloat.format(3.5, 'f', 0));
    assertEquals("1.00", GoFloat.format(1.005, 'f', 2));
    assertEquals("-0.00", GoFloat.format(-0.001, 'f', 2));
    assertEquals("0.100000", GoFloat.format(0.1, 'f', 6));
    assertEquals("1234.567800", GoFloat.format(1234.5678, 'f', 6));
    assertEquals("0.000000e+00", GoFloat.format(0, 'e', 6));
    assertEquals("1.234568e+03", GoFloat.format(1234.5678, 'e', 6));
    assertEquals("1e+02", GoFloat.format(99.5, 'e', 0));
    assertEquals("1.00e+02", GoFloat.format(99.999, 'e', 2));
    assertEquals("-1.000e-05", GoFloat.format(-0.00001, 'e', 3));
    assertEquals("1.23E+03", GoFloat.format(1234, 'G', 3));
    assertEquals("1.23e+03", GoFloat.format(1234, 'g', 3));
    assertEquals("0.000123", GoFloat.format(0.0001234, 'g', 3));
    assertEquals("1.5", GoFloat.format(1.5, 'g', 4));
    assertEquals("1235", GoFloat.format(1234.567, 'g', 4));
    assertEquals("1e+05", GoFloat.format(100000, 'g', 4));
    assertEquals("100", GoFloat.format(100, 'g', 3));
    assertEquals("12.5", GoFloat.format(12.5, 'g', 4));
    assertEquals("2", GoFloat.format(1.5, 'g', 0));
    assertEquals("0", GoFloat.format(0, 'g', 4));
    assertEquals("-0", GoFloat.format(-0.0, 'g', 2));
    assertEquals("1.2e-05", GoFloat.format(0.0000123, 'g', 2));
    assertEquals("0.10000000000000000555", GoFloat.format(0.1, 'g', 20));
    assertEquals("1.0000000000000002097e+22", GoFloat.format(1e22 + 2097152, 'g', 20));
    assertEquals("0.1000000000000000055511151231257827021181583404541015625",
        GoFloat.format(0.1, 'f', 55));
    assertEquals("+Inf", GoFloat.format(Double.POSITIVE_INFINITY, 'g', 4));
    assertEquals("NaN", GoFloat.format(Double.NaN, 'f', 2));
  }

  @Test
  void prometheusJsonCutoffs() {
    assertEquals("1e-07", GoFloat.formatPrometheusJson(1e-7));
    assertEquals("0.000001", GoFloat.formatPrometheusJson(1e-6));
    assertEquals("1e+21", GoFloat.formatPrometheusJson(1e21));
    assertEquals("1e+22", GoFloat.formatPrometheusJson(1e22));
    assertEquals("100000000000000000000", GoFloat.formatPrometheusJson(1e20));
    assertEquals("0.1", GoFloat.formatPrometheusJson(0.1));
    assertEquals("0", GoFloat.formatPrometheusJson(0));
    assertEquals("-1e-07", GoFloat.formatPrometheusJson(-1e-7));
    assertEquals("NaN", GoFloat.formatPrometheusJson(Double.NaN));
    assertEquals("+Inf", GoFloat.formatPrometheusJson(Double.POSITIVE_INFINITY));
  }

  @Test
  void encodingJsonDropsTheExponentsLeadingZero() {
    assertEquals("1", GoFloat.formatEncodingJson(1.0));
    assertEquals("0.000206118", GoFloat.formatEncodingJson(0.000206118));
    assertEquals("1e-7", GoFloat.formatEncodingJson(1e-7));
    assertEquals("1.5e-10", GoFloat.formatEncodingJson(1.5e-10));
    assertEquals("1e+21", GoFloat.formatEncodingJson(1e21));
    assertEquals("123456789", GoFloat.formatEncodingJson(123456789.0));
  }

  @Test
  void appendsWithoutDisturbingWhatIsThere() {
    StringBuilder sb = new StringBuilder("[1,\"");
    GoFloat.appendF(sb, 0.015);
    sb.append("\",\"");
    GoFloat.appendE(sb, 12345.678);
    sb.append("\",\"");
    GoFloat.appendPrometheusJson(sb, 1.5e-9);
    assertEquals("[1,\"0.015\",\"1.2345678e+04\",\"1.5e-09", sb.toString());
  }
}
