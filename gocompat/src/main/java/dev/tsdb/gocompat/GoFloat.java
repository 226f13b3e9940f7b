package dev.tsdb.gocompat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's {@code strconv.FormatFloat(v, fmt, prec, 64)} for the formats 'e', 'E', 'f' and 'g',
 * 'G', plus the two JSON layouts built on it. Infinities print as "+Inf" and "-Inf" and NaN as
 * "NaN", the way Prometheus prints them everywhere (Go itself prints "+Inf" for FormatFloat too).
 *
 * <p>Precision -1 means the shortest decimal that parses back to the same double
 * ({@link ShortestDecimal}); the append methods for that case allocate nothing, because every
 * sample value of a query result goes through them. A fixed precision rounds the exact binary
 * value half-to-even, as Go does ({@code %.0f} of 2.5 is "2", of 3.5 is "4").
 */
public final class GoFloat {
  private GoFloat() {}

  /** {@code strconv.FormatFloat(v, 'f', -1, 64)}: never an exponent, e.g. "0.0000001", "0.1". */
  public static String formatF(double v) {
    StringBuilder sb = new StringBuilder(24);
    appendF(sb, v);
    return sb.toString();
  }

  /** {@code strconv.FormatFloat(v, 'e', -1, 64)}, e.g. "1e-07", "1.5e+22", "0e+00". */
  public static String formatE(double v) {
    StringBuilder sb = new StringBuilder(24);
    appendE(sb, v);
    return sb.toString();
  }

  /**
   * {@code strconv.FormatFloat(v, 'g', -1, 64)}, which is also fmt's {@code %v} of a float64:
   * exponent form when the decimal exponent is below -4 or at least 6 (in shortest mode Go
   * decides with precision 6), so "100000" but "1e+06", "0.0001" but "1e-05".
   */
  public static String formatG(double v) {
    StringBuilder sb = new StringBuilder(24);
    appendG(sb, v);
    return sb.toString();
  }

  public static void appendF(StringBuilder sb, double v) {
    appendShortest(sb, v, 'f');
  }

  public static void appendE(StringBuilder sb, double v) {
    appendShortest(sb, v, 'e');
  }

  public static void appendG(StringBuilder sb, double v) {
    appendShortest(sb, v, 'g');
  }

  /** Precision -1 in any of the formats e, E, f, g, G. */
  private static void appendShortest(StringBuilder sb, double v, char fmt) {
    if (appendSpecial(sb, v)) {
      return;
    }
    ShortestDecimal d = new ShortestDecimal().set(v);
    appendSign(sb, v);
    boolean scientific = switch (fmt) {
      case 'e', 'E' -> true;
      case 'f' -> false;
      case 'g', 'G' -> {
        int exp10 = d.significand == 0 ? 0 : d.exponent + digitCount(d.significand) - 1;
        yield exp10 < -4 || exp10 >= 6;
      }
      default -> throw new IllegalArgumentException("unsupported float format " + fmt);
    };
    if (scientific) {
      appendScientific(sb, d.significand, d.exponent, fmt == 'E' || fmt == 'G' ? 'E' : 'e');
    } else {
      appendPlain(sb, d.significand, d.exponent);
    }
  }

  /**
   * How Prometheus's JSON encoder (jsonutil, used for sample values) writes a float: 'e' when
   * 0 &lt; |v| &lt; 1e-6 or |v| &gt;= 1e21, 'f' otherwise; "1e-07", "1e+22", "0.1".
   */
  public static void appendPrometheusJson(StringBuilder sb, double v) {
    if (usesJsonExponent(v)) {
      appendE(sb, v);
    } else {
      appendF(sb, v);
    }
  }

  public static String formatPrometheusJson(double v) {
    StringBuilder sb = new StringBuilder(24);
    appendPrometheusJson(sb, v);
    return sb.toString();
  }

  /**
   * How Go's encoding/json writes a float64: Prometheus's cut-offs, but a one-digit negative
   * exponent loses its leading zero ("1e-7", while jsonutil writes "1e-07"). Rule-group
   * intervals and evaluation times in the rules API are written this way.
   */
  public static String formatEncodingJson(double v) {
    StringBuilder sb = new StringBuilder(24);
    appendPrometheusJson(sb, v);
    int n = sb.length();
    if (usesJsonExponent(v) && n >= 4 && sb.charAt(n - 4) == 'e' && sb.charAt(n - 3) == '-'
        && sb.charAt(n - 2) == '0') {
      sb.deleteCharAt(n - 2);
    }
    return sb.toString();
  }

  private static boolean usesJsonExponent(double v) {
    double abs = Math.abs(v);
    return abs != 0 && (abs < 1e-6 || abs >= 1e21) && !Double.isNaN(v) && !Double.isInfinite(v);
  }

  /**
   * {@code strconv.FormatFloat(v, fmt, prec, 64)}: fmt one of e, E, f, g, G; prec -1 for the
   * shortest representation, otherwise digits after the point (e, f) or significant digits (g).
   */
  public static String format(double v, char fmt, int prec) {
    StringBuilder sb = new StringBuilder(24);
    if (prec < 0) {
      appendShortest(sb, v, fmt);
      return sb.toString();
    }
    if (appendSpecial(sb, v)) {
      return sb.toString();
    }
    appendSign(sb, v);
    double abs = Math.abs(v);
    switch (fmt) {
      case 'f' -> appendFixed(sb, abs, prec);
      case 'e', 'E' -> appendExponentFixed(sb, abs, prec, fmt);
      case 'g', 'G' -> appendGeneralFixed(sb, abs, prec, fmt == 'g' ? 'e' : 'E');
      default -> throw new IllegalArgumentException("unsupported float format " + fmt);
    }
    return sb.toString();
  }

  /** 'f' with prec digits after the point. */
  private static void appendFixed(StringBuilder sb, double abs, int prec) {
    sb.append(new BigDecimal(abs).setScale(prec, RoundingMode.HALF_EVEN).toPlainString());
  }

  /** 'e' with prec digits after the point. */
  private static void appendExponentFixed(StringBuilder sb, double abs, int prec, char e) {
    if (abs == 0) {
      sb.append('0');
      if (prec > 0) {
        sb.append('.').append("0".repeat(prec));
      }
      appendExponent(sb, 0, e);
      return;
    }
    BigDecimal r = new BigDecimal(abs).round(new MathContext(prec + 1, RoundingMode.HALF_EVEN));
    String digits = r.unscaledValue().toString();
    int exp10 = digits.length() - 1 - r.scale();
    sb.append(digits.charAt(0));
    if (prec > 0) {
      sb.append('.').append(digits, 1, Math.min(digits.length(), prec + 1));
      for (int i = digits.length(); i < prec + 1; i++) {
        sb.append('0');
      }
    }
    appendExponent(sb, exp10, e);
  }

  /**
   * 'g' with prec significant digits (0 means 1): exponent form when the exponent is below -4
   * or at least prec; trailing zeros are dropped either way.
   */
  private static void appendGeneralFixed(StringBuilder sb, double abs, int prec, char e) {
    if (prec == 0) {
      prec = 1;
    }
    if (abs == 0) {
      sb.append('0');
      return;
    }
    BigDecimal r = new BigDecimal(abs).round(new MathContext(prec, RoundingMode.HALF_EVEN))
        .stripTrailingZeros();
    String digits = r.unscaledValue().toString(); // may exceed a long: %.30g is allowed
    int exp10 = digits.length() - 1 - r.scale();
    if (exp10 < -4 || exp10 >= prec) {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      appendExponent(sb, exp10, e);
    } else {
      sb.append(r.toPlainString());
    }
  }

  /** significand * 10^exponent without an exponent: "1500", "0.015", "1.5". */
  static void appendPlain(StringBuilder sb, long significand, int exponent) {
    if (exponent >= 0) {
      sb.append(significand);
      if (significand != 0) {
        for (int i = 0; i < exponent; i++) {
          sb.append('0');
        }
      }
      return;
    }
    int start = sb.length();
    sb.append(significand);
    int digits = sb.length() - start;
    int point = digits + exponent; // digits before the decimal point
    if (point > 0) {
      sb.insert(start + point, '.');
    } else {
      sb.setLength(start);
      sb.append("0.");
      for (int i = point; i < 0; i++) {
        sb.append('0');
      }
      sb.append(significand);
    }
  }

  /** significand * 10^exponent as d.ddde±XX. */
  static void appendScientific(StringBuilder sb, long significand, int exponent, char e) {
    int start = sb.length();
    sb.append(significand);
    int digits = sb.length() - start;
    if (digits > 1) {
      sb.insert(start + 1, '.');
    }
    appendExponent(sb, significand == 0 ? 0 : exponent + digits - 1, e);
  }

  /** Go's exponent: sign always, at least two digits. */
  private static void appendExponent(StringBuilder sb, int exp10, char e) {
    sb.append(e).append(exp10 < 0 ? '-' : '+');
    int a = Math.abs(exp10);
    if (a < 10) {
      sb.append('0');
    }
    sb.append(a);
  }

  private static boolean appendSpecial(StringBuilder sb, double v) {
    if (Double.isNaN(v)) {
      sb.append("NaN");
      return true;
    }
    if (Double.isInfinite(v)) {
      sb.append(v > 0 ? "+Inf" : "-Inf");
      return true;
    }
    return false;
  }

  /** A minus for negative values including -0, which Go prints as "-0". */
  private static void appendSign(StringBuilder sb, double v) {
    if (Double.doubleToRawLongBits(v) < 0) {
      sb.append('-');
    }
  }

  static int digitCount(long n) {
    int count = 1;
    while (n >= 10) {
      n /= 10;
      count++;
    }
    return count;
  }
}
