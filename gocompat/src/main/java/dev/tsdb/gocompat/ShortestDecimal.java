package dev.tsdb.gocompat;

import java.math.BigInteger;

/**
 * The shortest decimal that parses back to a given double, choosing the one closest to the
 * double when several of that length do (ties to an even last digit): the digits Go's
 * {@code strconv.FormatFloat(v, fmt, -1, 64)} prints.
 *
 * <p>Why not Double.toString: on Java 17 it sometimes prints more digits than needed
 * (2.82879384806159E17 comes out with 18 digits) and it never prints fewer than two (Go prints
 * "5e-324" where Java prints "4.9E-324"). The method here is Giulietti's Schubfach: scale the
 * double and the two ends of its rounding interval by a power of ten so that the interval spans
 * about one unit, then look for an integer (or a multiple of ten, one digit shorter) inside it.
 * It works in {@code long} arithmetic with a 126-bit approximation of each power of ten, which
 * is computed exactly once at class load, so formatting a value allocates nothing.
 *
 * <p>An instance is a reusable result holder: {@link #set} fills {@link #significand} and
 * {@link #exponent} so that |v| = significand * 10^exponent, with no trailing zeros in
 * significand (zero is 0 * 10^0).
 */
final class ShortestDecimal {
  private static final int SIGNIFICAND_BITS = 53;
  private static final int MIN_EXPONENT = -1074; // of the last significand bit, subnormals
  private static final long HIDDEN_BIT = 1L << (SIGNIFICAND_BITS - 1);
  private static final long FRACTION_MASK = HIDDEN_BIT - 1;
  private static final long MASK_63 = Long.MAX_VALUE;

  /** Range of k = floor(log10(2^q)) over all finite doubles. */
  private static final int K_MIN = floorLog10Pow2(MIN_EXPONENT);
  private static final int K_MAX = floorLog10Pow2(971);

  /**
   * For each k, 10^-k = beta * 2^r with 2^125 <= beta < 2^126; G holds floor(beta) + 1 split
   * into its high and low 63 bits. Rounding up makes the products below over-estimate by less
   * than one unit in the last place, which the algorithm's proof allows for.
   */
  private static final long[] G_HIGH = new long[K_MAX - K_MIN + 1];
  private static final long[] G_LOW = new long[K_MAX - K_MIN + 1];

  static {
    for (int k = K_MIN; k <= K_MAX; k++) {
      BigInteger g = scaledPowerOfTen(-k).add(BigInteger.ONE);
      if (g.bitLength() > 126) {
        throw new AssertionError("power of ten table overflows at k=" + k);
      }
      G_HIGH[k - K_MIN] = g.shiftRight(63).longValueExact();
      G_LOW[k - K_MIN] = g.longValue() & MASK_63;
    }
  }

  long significand;
  int exponent;

  /** Sets this to the shortest decimal of |v|; v must be finite. */
  ShortestDecimal set(double v) {
    long bits = Double.doubleToRawLongBits(v);
    long fraction = bits & FRACTION_MASK;
    int biasedExp = (int) (bits >>> (SIGNIFICAND_BITS - 1)) & 0x7ff;
    if (biasedExp == 0x7ff) {
      throw new IllegalArgumentException("not finite: " + v);
    }
    if (biasedExp == 0) {
      if (fraction == 0) {
        significand = 0;
        exponent = 0;
        return this;
      }
      return scaled(MIN_EXPONENT, fraction);
    }
    long c = HIDDEN_BIT | fraction;
    int q = biasedExp + MIN_EXPONENT - 1;
    // Integers below 2^53: their own digits are the shortest, since a shorter decimal would
    // differ by at least one while the rounding interval is at most one wide.
    if (q < 0 && q > -SIGNIFICAND_BITS) {
      long integer = c >> -q;
      if (integer << -q == c) {
        return stripped(integer, 0);
      }
    }
    return scaled(q, c);
  }

  /** The general case: v = c * 2^q. */
  private ShortestDecimal scaled(int q, long c) {
    // Work at 4x resolution so that the interval ends (v +- half an ulp) are integers.
    boolean odd = (c & 1) != 0;
    int out = odd ? 1 : 0; // interval ends belong to v only when c is even (round-half-even)
    long cb = c << 2;
    long cbRight = cb + 2;
    long cbLeft;
    int k;
    if (c != HIDDEN_BIT || q == MIN_EXPONENT) {
      cbLeft = cb - 2;
      k = floorLog10Pow2(q);
    } else {
      // At a power of two the gap below is half the gap above.
      cbLeft = cb - 1;
      k = floorLog10ThreeQuartersPow2(q);
    }
    int h = q + floorLog2Pow10(-k) + 2;
    long gHigh = G_HIGH[k - K_MIN];
    long gLow = G_LOW[k - K_MIN];
    // vb, vbLeft, vbRight: 4 * (v, left end, right end) * 10^-k, rounded to odd.
    long vb = roundToOdd(gHigh, gLow, cb << h);
    long vbLeft = roundToOdd(gHigh, gLow, cbLeft << h);
    long vbRight = roundToOdd(gHigh, gLow, cbRight << h);

    long s = vb >> 2;
    if (s >= 10) {
      // One digit shorter: at most one multiple of ten fits in the interval.
      long sp10 = s / 10 * 10;
      long tp10 = sp10 + 10;
      boolean lowerIn = vbLeft + out <= sp10 << 2;
      boolean upperIn = (tp10 << 2) + out <= vbRight;
      if (lowerIn != upperIn) {
        return stripped(lowerIn ? sp10 : tp10, k);
      }
    }
    long t = s + 1;
    boolean lowerIn = vbLeft + out <= s << 2;
    boolean upperIn = (t << 2) + out <= vbRight;
    if (lowerIn != upperIn) {
      return stripped(lowerIn ? s : t, k);
    }
    // Both (or, by the proof, never neither) fit: take the closer, ties to even.
    long cmp = vb - ((s + t) << 1);
    return stripped(cmp < 0 || (cmp == 0 && (s & 1) == 0) ? s : t, k);
  }

  private ShortestDecimal stripped(long f, int e) {
    while (f % 10 == 0) {
      f /= 10;
      e++;
    }
    significand = f;
    exponent = e;
    return this;
  }

  /** (g * cp) / 2^127 with g = gHigh * 2^63 + gLow, truncated, then forced odd if inexact. */
  private static long roundToOdd(long gHigh, long gLow, long cp) {
    long x1 = Math.multiplyHigh(gLow, cp);
    long y0 = gHigh * cp;
    long y1 = Math.multiplyHigh(gHigh, cp);
    long z = (y0 >>> 1) + x1;
    long vbp = y1 + (z >>> 63);
    return vbp | ((z & MASK_63) + MASK_63) >>> 63;
  }

  /** floor(e * log10(2)) for |e| <= 5456; checked exhaustively by the tests. */
  static int floorLog10Pow2(int e) {
    return (int) ((e * 661_971_961_083L) >> 41);
  }

  /** floor(log10(3/4 * 2^e)) for |e| <= 5456. */
  static int floorLog10ThreeQuartersPow2(int e) {
    return (int) ((e * 661_971_961_083L - 274_743_187_321L) >> 41);
  }

  /** floor(e * log2(10)) for |e| <= 1233. */
  static int floorLog2Pow10(int e) {
    return (int) ((e * 913_124_641_741L) >> 38);
  }

  /** floor(10^e * 2^-r) where r is chosen so that the result lies in [2^125, 2^126). */
  static BigInteger scaledPowerOfTen(int e) {
    if (e >= 0) {
      BigInteger p = BigInteger.TEN.pow(e);
      int r = p.bitLength() - 126;
      return r >= 0 ? p.shiftRight(r) : p.shiftLeft(-r);
    }
    BigInteger d = BigInteger.TEN.pow(-e);
    // 2^(125 + bitLength(d)) / d lies in (2^125, 2^126) because d is not a power of two.
    return BigInteger.ONE.shiftLeft(125 + d.bitLength()).divide(d);
  }
}
