package dev.tsdb.api.json;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;

/**
 * Formats doubles exactly as Go's {@code strconv.FormatFloat(f, fmt, -1, 64)} does: the shortest
 * decimal that round-trips, laid out in 'f' (plain) or 'e' (exponent) style, with "+Inf", "-Inf"
 * and "NaN" for the special values.
 *
 * <p>Java 17's Double.toString is not always the shortest representation, so the digits come from
 * Jackson's Schubfach implementation (the algorithm Java 19+ uses), then get re-laid out.
 */
public final class GoFloat {
  private GoFloat() {}

  /** Go's FormatFloat(v, 'f', -1, 64). */
  public static String formatF(double v) {
    StringBuilder sb = new StringBuilder(24);
    appendF(sb, v);
    return sb.toString();
  }

  /** Go's FormatFloat(v, 'e', -1, 64). */
  public static String formatE(double v) {
    StringBuilder sb = new StringBuilder(24);
    appendE(sb, v);
    return sb.toString();
  }

  /**
   * How Prometheus writes vector and matrix sample values (the jsoniter float rule): 'e' when
   * 0 &lt; |v| &lt; 1e-6 or |v| &gt;= 1e21, 'f' otherwise. Checked against Prometheus: 1e-7 is
   * "1e-07", 1e22 is "1e+22", 0.1 is "0.1". Scalars use plain 'f' instead.
   */
  public static String formatJsoniter(double v) {
    double abs = Math.abs(v);
    if (abs != 0 && (abs < 1e-6 || abs >= 1e21) && !Double.isNaN(v)) {
      return formatE(v);
    }
    return formatF(v);
  }

  /**
   * Go's FormatFloat(v, 'g', -1, 64): exponent form when the decimal exponent is below -4 or at
   * least 6 (for shortest formatting Go decides with precision 6), plain otherwise.
   */
  public static String formatG(double v) {
    StringBuilder sb = new StringBuilder(24);
    if (special(sb, v)) {
      return sb.toString();
    }
    Decimal d = Decimal.of(v);
    int exp = d.digits.equals("0") ? 0 : d.point - 1;
    if (exp < -4 || exp >= 6) {
      appendE(sb, v);
    } else {
      appendF(sb, v);
    }
    return sb.toString();
  }

  public static void appendF(StringBuilder sb, double v) {
    if (special(sb, v)) {
      return;
    }
    Decimal d = Decimal.of(v);
    if (d.negative) {
      sb.append('-');
    }
    String digits = d.digits;
    int point = d.point; // decimal point position relative to the digits' start
    if (point <= 0) {
      sb.append("0.");
      for (int i = point; i < 0; i++) {
        sb.append('0');
      }
      sb.append(digits);
    } else if (point >= digits.length()) {
      sb.append(digits);
      for (int i = digits.length(); i < point; i++) {
        sb.append('0');
      }
    } else {
      sb.append(digits, 0, point).append('.').append(digits, point, digits.length());
    }
  }

  public static void appendE(StringBuilder sb, double v) {
    if (special(sb, v)) {
      return;
    }
    Decimal d = Decimal.of(v);
    if (d.negative) {
      sb.append('-');
    }
    String digits = d.digits;
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    int exp = digits.equals("0") ? 0 : d.point - 1;
    sb.append('e').append(exp < 0 ? '-' : '+');
    int a = Math.abs(exp);
    if (a < 10) {
      sb.append('0');
    }
    sb.append(a);
  }

  private static boolean special(StringBuilder sb, double v) {
    if (Double.isNaN(v)) {
      sb.append("NaN");
      return true;
    }
    if (v == Double.POSITIVE_INFINITY) {
      sb.append("+Inf");
      return true;
    }
    if (v == Double.NEGATIVE_INFINITY) {
      sb.append("-Inf");
      return true;
    }
    return false;
  }

  /** Shortest digits (no leading/trailing zeros, "0" for zero) and the decimal point position. */
  private record Decimal(boolean negative, String digits, int point) {
    static Decimal of(double v) {
      boolean negative = (Double.doubleToRawLongBits(v) < 0);
      if (v == 0) {
        return new Decimal(negative, "0", 1);
      }
      // Java layout: "[-]ddd.ddd" or "[-]d.dddE[-]x".
      String s = DoubleToDecimal.toString(Math.abs(v));
      int e = s.indexOf('E');
      int exp = 0;
      String mantissa = s;
      if (e >= 0) {
        exp = Integer.parseInt(s.substring(e + 1));
        mantissa = s.substring(0, e);
      }
      int dot = mantissa.indexOf('.');
      String intPart = dot < 0 ? mantissa : mantissa.substring(0, dot);
      String fracPart = dot < 0 ? "" : mantissa.substring(dot + 1);
      StringBuilder all = new StringBuilder(intPart).append(fracPart);
      int point = intPart.length() + exp;
      int lead = 0;
      while (lead < all.length() - 1 && all.charAt(lead) == '0') {
        lead++;
      }
      point -= lead;
      int end = all.length();
      while (end > lead + 1 && all.charAt(end - 1) == '0') {
        end--;
      }
      String digits = all.substring(lead, end);
      if (digits.length() == 2) {
        // Java prints at least two digits and then picks the closest two-digit decimal; Go
        // prints one digit when one suffices (4.9E-324 in Java is 5e-324 in Go).
        int one = (digits.charAt(0) - '0') + (digits.charAt(1) >= '5' ? 1 : 0);
        String d1 = one == 10 ? "1" : String.valueOf(one);
        int p1 = one == 10 ? point + 1 : point;
        if (Double.parseDouble("0." + d1 + "E" + p1) == Math.abs(v)) {
          return new Decimal(negative, d1, p1);
        }
      }
      return new Decimal(negative, digits, point);
    }
  }
}
