package dev.tsdb.rules.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's {@code strconv.FormatFloat} for the 'e', 'f' and 'g' formats, so template output matches
 * Prometheus byte for byte. Rounding is done on the exact binary value with half-even ties (as
 * Go's decimal conversion does); "shortest" (precision -1) picks the fewest significant digits
 * that parse back to the same double.
 */
public final class GoFloat {
  private GoFloat() {}

  /** Decimal digits d[0..nd) with the decimal point after dp digits; trailing zeros trimmed. */
  private record Digits(String d, int dp) {
    int nd() {
      return d.length();
    }

    char at(int i) {
      return i >= 0 && i < d.length() ? d.charAt(i) : '0';
    }
  }

  /** {@code strconv.FormatFloat(v, fmt, prec, 64)} for fmt in e, E, f, g, G. */
  public static String format(double v, char fmt, int prec) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    boolean neg = v < 0 || (v == 0 && 1 / v < 0);
    double abs = Math.abs(v);
    boolean shortest = prec < 0;
    Digits digs;
    if (shortest) {
      digs = shortestDigits(abs);
    } else if (fmt == 'f') {
      digs = roundToScale(abs, prec);
    } else {
      int n = prec;
      if (fmt == 'e' || fmt == 'E') {
        n++;
      } else if (n == 0) {
        prec = 1;
        n = 1;
      }
      digs = roundToSignificant(abs, n);
    }
    StringBuilder sb = new StringBuilder(24);
    if (neg) {
      sb.append('-');
    }
    switch (fmt) {
      case 'e', 'E' -> fmtE(sb, digs, shortest ? Math.max(digs.nd() - 1, 0) : prec, fmt);
      case 'f' -> fmtF(sb, digs, shortest ? Math.max(digs.nd() - digs.dp(), 0) : prec);
      case 'g', 'G' -> {
        int eprec = prec;
        if (eprec > digs.nd() && digs.nd() >= digs.dp()) {
          eprec = digs.nd();
        }
        if (shortest) {
          eprec = 6;
        }
        int exp = digs.dp() - 1;
        if (exp < -4 || exp >= eprec) {
          int p = shortest ? digs.nd() : prec;
          if (p > digs.nd()) {
            p = digs.nd();
          }
          fmtE(sb, digs, Math.max(p - 1, 0), fmt == 'g' ? 'e' : 'E');
        } else {
          int p = shortest ? digs.nd() : prec;
          if (p > digs.dp()) {
            p = digs.nd();
          }
          fmtF(sb, digs, Math.max(p - digs.dp(), 0));
        }
      }
      default -> throw new IllegalArgumentException("unsupported float format " + fmt);
    }
    return sb.toString();
  }

  private static void fmtE(StringBuilder sb, Digits d, int prec, char fmt) {
    sb.append(d.nd() == 0 ? '0' : d.at(0));
    if (prec > 0) {
      sb.append('.');
      for (int i = 1; i <= prec; i++) {
        sb.append(d.at(i));
      }
    }
    sb.append(fmt);
    int exp = d.nd() == 0 ? 0 : d.dp() - 1;
    sb.append(exp < 0 ? '-' : '+');
    exp = Math.abs(exp);
    if (exp < 10) {
      sb.append('0');
    }
    sb.append(exp);
  }

  private static void fmtF(StringBuilder sb, Digits d, int prec) {
    if (d.dp() > 0) {
      for (int i = 0; i < d.dp(); i++) {
        sb.append(d.at(i));
      }
    } else {
      sb.append('0');
    }
    if (prec > 0) {
      sb.append('.');
      for (int i = 1; i <= prec; i++) {
        sb.append(d.at(d.dp() + i - 1));
      }
    }
  }

  private static Digits fromBigDecimal(BigDecimal bd) {
    if (bd.signum() == 0) {
      return new Digits("", 0);
    }
    BigInteger unscaled = bd.unscaledValue();
    String s = unscaled.toString();
    int dp = s.length() - bd.scale();
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '0') {
      end--;
    }
    return new Digits(s.substring(0, end), dp);
  }

  private static Digits shortestDigits(double abs) {
    if (abs == 0) {
      return new Digits("", 0);
    }
    BigDecimal exact = new BigDecimal(abs);
    for (int p = 1; p < 17; p++) {
      BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == abs) {
        return fromBigDecimal(r);
      }
    }
    return fromBigDecimal(exact.round(new MathContext(17, RoundingMode.HALF_EVEN)));
  }

  private static Digits roundToSignificant(double abs, int n) {
    if (abs == 0) {
      return new Digits("", 0);
    }
    return fromBigDecimal(new BigDecimal(abs).round(new MathContext(n, RoundingMode.HALF_EVEN)));
  }

  private static Digits roundToScale(double abs, int scale) {
    if (abs == 0) {
      return new Digits("", 0);
    }
    return fromBigDecimal(new BigDecimal(abs).setScale(scale, RoundingMode.HALF_EVEN));
  }
}
