package dev.tsdb.promql.engine;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Number and string formatting the way Go's fmt/strconv does it, for messages and labels that
 * must match Prometheus byte for byte.
 */
final class GoFormat {
  private GoFormat() {}

  /** strconv.FormatFloat(v, 'f', -1, 64): shortest decimal that round-trips, no exponent. */
  static String f(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
    }
    String s = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    return s;
  }

  /** fmt's %g: shortest representation, exponent form when exp &lt; -4 or exp &gt;= 6. */
  static String g(double v) {
    return gShortest(v, 6);
  }

  /** Shortest 'g' formatting with the given exponent threshold. */
  static String gShortest(double v, int eprec) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    String digits = bd.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - bd.scale(); // decimal exponent of first digit
    if (exp < -4 || exp >= eprec) {
      StringBuilder sb = new StringBuilder();
      if (v < 0) {
        sb.append('-');
      }
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      appendExp(sb, exp);
      return sb.toString();
    }
    return bd.toPlainString();
  }

  /** fmt's %.Ng. */
  static String g(double v, int prec) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return "0";
    }
    BigDecimal bd = new BigDecimal(v).round(new MathContext(prec, RoundingMode.HALF_EVEN))
        .stripTrailingZeros();
    String digits = bd.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - bd.scale();
    if (exp < -4 || exp >= prec) {
      StringBuilder sb = new StringBuilder();
      if (v < 0) {
        sb.append('-');
      }
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      appendExp(sb, exp);
      return sb.toString();
    }
    return bd.toPlainString();
  }

  private static void appendExp(StringBuilder sb, int exp) {
    sb.append('e').append(exp < 0 ? '-' : '+');
    int a = Math.abs(exp);
    if (a < 10) {
      sb.append('0');
    }
    sb.append(a);
  }

  /**
   * strconv.Quote for the common cases; lone surrogates U+DC80..U+DCFF stand for raw invalid
   * bytes (as the parser decodes them) and print as {@code \xNN}.
   */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    int start = 0;
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean lone = Character.isLowSurrogate(c)
          && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
      if (lone && c >= 0xDC80 && c <= 0xDCFF) {
        String q = dev.tsdb.index.labels.LabelStrings.quote(s.substring(start, i));
        sb.append(q, 1, q.length() - 1);
        sb.append(String.format("\\x%02x", c - 0xDC00));
        start = i + 1;
      }
    }
    String q = dev.tsdb.index.labels.LabelStrings.quote(s.substring(start));
    sb.append(q, 1, q.length() - 1);
    return sb.append('"').toString();
  }
}
