package dev.tsdb.gocompat;

/**
 * Elementary functions with the exact results of Go's math package as Prometheus runs it on
 * amd64, so that PromQL answers match Prometheus to the last bit. Java's Math/StrictMath use
 * other algorithms (fdlibm, intrinsics) and differ in the last place for a good share of
 * arguments.
 *
 * <p>What Go uses, and so what is reproduced here:
 * <ul>
 *   <li>exp: the amd64 assembly routine (Shibata's SLEEF method: reduction by ln 2 in two parts,
 *       a Taylor polynomial of the argument divided by 16, then four doublings), in its FMA
 *       variant (taken on every CPU with AVX and FMA).
 *   <li>log: the amd64 assembly routine, which is the FreeBSD/fdlibm reduction
 *       {@code log(1+f) = f - (hfsq - s*(hfsq+R))} without fdlibm's extra branches.
 *   <li>sin, cos, tan, atan (and asin, acos, atan2 built on atan), tanh: the Cephes
 *       polynomials with Cody-Waite reduction by pi/4, Payne-Hanek beyond 2^29.
 *   <li>sinh, cosh: Hart and Cheney's #2029 rational function near 0, exp elsewhere.
 *   <li>asinh, acosh, atanh, log1p: FreeBSD msun formulas.
 *   <li>exp2: the pure-Go routine (fdlibm's exp kernel after reduction to the nearest integer).
 *   <li>pow: Go's decomposition into a fractional power via exp/log and repeated squaring of
 *       the frexp mantissa for the integer part.
 * </ul>
 * All arithmetic outside exp's FMA steps is plain IEEE double arithmetic (Go does not fuse
 * multiply-adds on amd64), which Java 17 evaluates identically.
 */
public final class GoMath {
  private GoMath() {}

  private static final double PI = Math.PI;
  private static final long MASK = 0x7FF;
  private static final int SHIFT = 52;
  private static final int BIAS = 1023;
  /** 1/ln(10) and 1/ln(2), rounded once from the exact values as Go's constant arithmetic does. */
  static final double INV_LN10 = 0.4342944819032518;
  static final double INV_LN2 = 1.4426950408889634;

  // ---------------------------------------------------------------------------------------------
  // exp

  private static final double EXP_OVERFLOW = 7.09782712893384e+02;
  private static final double LOG2E = 1.4426950408889634073599246810018920;
  private static final double LN2_UPPER = 0.69314718055966295651160180568695068359375;
  private static final double LN2_LOWER = 0.28235290563031577122588448175013436025525412068e-12;
  /** 1/k! for k = 8 down to 2, the Taylor coefficients after reduction. */
  private static final double[] EXP_TAYLOR = {2.4801587301587301587e-5, 1.9841269841269841270e-4,
      1.3888888888888888889e-3, 8.3333333333333333333e-3, 4.1666666666666666667e-2,
      1.6666666666666666667e-1, 0.5, 1.0};

  public static double exp(double x) {
    if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
      return x;
    }
    if (x == Double.NEGATIVE_INFINITY) {
      return 0;
    }
    if (x > EXP_OVERFLOW) {
      return Double.POSITIVE_INFINITY;
    }
    // k = round(x / ln 2) with the SSE conversion: out of int range gives Integer.MIN_VALUE.
    double kf = LOG2E * x;
    int k = Math.abs(kf) < 2147483647.5 ? (int) Math.rint(kf) : Integer.MIN_VALUE;
    double kd = k;
    double r = Math.fma(-kd, LN2_UPPER, x);
    r = Math.fma(-kd, LN2_LOWER, r);
    r *= 0.0625;
    double p = EXP_TAYLOR[0];
    for (int i = 1; i < EXP_TAYLOR.length; i++) {
      p = Math.fma(p, r, EXP_TAYLOR[i]);
    }
    r *= p; // e^r - 1 for r = x'/16
    for (int i = 0; i < 3; i++) {
      r *= r + 2.0; // e^2r - 1 = (e^r - 1)(e^r + 1)
    }
    r = Math.fma(r, r + 2.0, 1.0);
    long biased = (long) k + BIAS;
    if (biased <= 0) {
      // Subnormal result: scale in two steps, the last by 2^-1022.
      if (biased < -52) {
        return 0;
      }
      r *= Double.longBitsToDouble((biased + 0x3FE) << SHIFT);
      return r * Double.MIN_NORMAL;
    }
    if (biased >= 0x7FF) {
      return Double.POSITIVE_INFINITY;
    }
    return r * Double.longBitsToDouble(biased << SHIFT);
  }

  // ---------------------------------------------------------------------------------------------
  // log

  private static final double HALF_SQRT2 = 7.07106781186547524401e-01;
  private static final double LN2_HI = 6.93147180369123816490e-01;
  private static final double LN2_LO = 1.90821492927058770002e-10;
  private static final double L1 = 6.666666666666735130e-01;
  private static final double L2 = 3.999999999940941908e-01;
  private static final double L3 = 2.857142874366239149e-01;
  private static final double L4 = 2.222219843214978396e-01;
  private static final double L5 = 1.818357216161805012e-01;
  private static final double L6 = 1.531383769920937332e-01;
  private static final double L7 = 1.479819860511658591e-01;

  public static double log(double x) {
    long bits = Double.doubleToRawLongBits(x);
    if ((bits & Long.MAX_VALUE) == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (bits < 0) {
      return Double.NaN;
    }
    if (bits >= 0x7FF0000000000000L) {
      return x;
    }
    // The mantissa with the exponent of 0.5, taken straight from the bits (subnormals too).
    double f1 = Double.longBitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FE0000000000000L);
    double k = (int) ((bits >>> SHIFT) & MASK) - 0x3FE;
    if (!(HALF_SQRT2 < f1)) {
      k -= 1;
      f1 *= 2;
    }
    double f = f1 - 1;
    double s = f / (2 + f);
    double s2 = s * s;
    double s4 = s2 * s2;
    double t1 = s2 * (L1 + s4 * (L3 + s4 * (L5 + s4 * L7)));
    double t2 = s4 * (L2 + s4 * (L4 + s4 * L6));
    double r = t1 + t2;
    double hfsq = 0.5 * f * f;
    return k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f);
  }

  public static double log10(double x) {
    return log(x) * INV_LN10;
  }

  public static double log2(double x) {
    if (x == 0 || Double.isInfinite(x) || Double.isNaN(x)) {
      return log(x) * INV_LN2;
    }
    long[] exp = new long[1];
    double frac = frexp(x, exp);
    return log(frac) * INV_LN2 + exp[0];
  }

  /** Coefficients of the remainder polynomial of fdlibm's exp kernel, as Go's expmulti. */
  private static final double[] EXP_KERNEL = {4.13813679705723846039e-08,
      -1.65339022054652515390e-06, 6.61375632143793436117e-05, -2.77777777770155933842e-03,
      1.66666666666666657415e-01};

  /**
   * 2^x as Go's pure-Go Exp2 (amd64 has no assembly for it): x split into the nearest integer
   * k and a remainder t, e^(t*ln2) by fdlibm's rational kernel with ln2 in two parts, then
   * scaled by 2^k.
   */
  public static double exp2(double x) {
    if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
      return x;
    }
    if (x == Double.NEGATIVE_INFINITY || x < -1.0740e+03) {
      return 0;
    }
    if (x > 1.0239999999999999e+03) {
      return Double.POSITIVE_INFINITY;
    }
    long k = x > 0 ? (long) (x + 0.5) : x < 0 ? (long) (x - 0.5) : 0;
    double t = x - k;
    double hi = t * LN2_HI;
    double lo = -t * LN2_LO;
    double r = hi - lo;
    double rr = r * r;
    double poly = EXP_KERNEL[0];
    for (int i = 1; i < EXP_KERNEL.length; i++) {
      poly = EXP_KERNEL[i] + rr * poly;
    }
    double c = r - rr * poly;
    double y = 1 - ((lo - (r * c) / (2 - c)) - hi);
    return ldexp(y, k);
  }

  private static final double LOG1P_SQRT2_M1 = 4.142135623730950488017e-01;
  private static final double LOG1P_HALF_SQRT2_M1 = -2.928932188134524755992e-01;

  public static double log1p(double x) {
    if (x < -1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == -1) {
      return Double.NEGATIVE_INFINITY;
    }
    if (x == Double.POSITIVE_INFINITY) {
      return x;
    }
    double absx = Math.abs(x);
    double f = 0;
    long iu = 0;
    int k = 1;
    if (absx < LOG1P_SQRT2_M1) {
      if (absx < 0x1p-29) {
        if (absx < 0x1p-54) {
          return x;
        }
        return x - x * x * 0.5;
      }
      if (x > LOG1P_HALF_SQRT2_M1) {
        k = 0;
        f = x;
        iu = 1;
      }
    }
    double c = 0;
    if (k != 0) {
      double u;
      if (absx < 0x1p53) {
        u = 1.0 + x;
        iu = Double.doubleToRawLongBits(u);
        k = (int) ((iu >>> 52) - 1023);
        c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0);
        c /= u;
      } else {
        u = x;
        iu = Double.doubleToRawLongBits(u);
        k = (int) ((iu >>> 52) - 1023);
        c = 0;
      }
      iu &= 0x000FFFFFFFFFFFFFL;
      if (iu < 0x0006A09E667F3BCDL) {
        u = Double.longBitsToDouble(iu | 0x3FF0000000000000L);
      } else {
        k++;
        u = Double.longBitsToDouble(iu | 0x3FE0000000000000L);
        iu = (0x0010000000000000L - iu) >> 2;
      }
      f = u - 1.0;
    }
    double hfsq = 0.5 * f * f;
    double kd = k;
    if (iu == 0) {
      if (f == 0) {
        if (k == 0) {
          return 0;
        }
        c += kd * LN2_LO;
        return kd * LN2_HI + c;
      }
      double r = hfsq * (1.0 - 0.66666666666666666 * f);
      if (k == 0) {
        return f - r;
      }
      return kd * LN2_HI - ((r - (kd * LN2_LO + c)) - f);
    }
    double s = f / (2.0 + f);
    double z = s * s;
    double r = z * (L1 + z * (L2 + z * (L3 + z * (L4 + z * (L5 + z * (L6 + z * L7))))));
    if (k == 0) {
      return f - (hfsq - s * (hfsq + r));
    }
    return kd * LN2_HI - ((hfsq - (s * (hfsq + r) + (kd * LN2_LO + c))) - f);
  }

  // ---------------------------------------------------------------------------------------------
  // frexp / ldexp / modf

  /** Go's Frexp: returns the fraction in [0.5, 1), stores the exponent in exp[0]. */
  static double frexp(double f, long[] exp) {
    exp[0] = 0;
    if (f == 0 || Double.isInfinite(f) || Double.isNaN(f)) {
      return f;
    }
    long e = 0;
    if (Math.abs(f) < Double.MIN_NORMAL) {
      f *= 0x1p52;
      e = -52;
    }
    long x = Double.doubleToRawLongBits(f);
    e += ((x >>> SHIFT) & MASK) - BIAS + 1;
    x &= ~(MASK << SHIFT);
    x |= (long) (-1 + BIAS) << SHIFT;
    exp[0] = e;
    return Double.longBitsToDouble(x);
  }

  /** Go's Ldexp (including its rounding of subnormal results). */
  static double ldexp(double frac, long exp) {
    if (frac == 0 || Double.isInfinite(frac) || Double.isNaN(frac)) {
      return frac;
    }
    if (Math.abs(frac) < Double.MIN_NORMAL) {
      frac *= 0x1p52;
      exp -= 52;
    }
    long x = Double.doubleToRawLongBits(frac);
    exp += ((x >>> SHIFT) & MASK) - BIAS;
    if (exp < -1075) {
      return Math.copySign(0.0, frac);
    }
    if (exp > 1023) {
      return frac < 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    double m = 1;
    if (exp < -1022) {
      exp += 53;
      m = 0x1p-53;
    }
    x &= ~(MASK << SHIFT);
    x |= (exp + BIAS) << SHIFT;
    return m * Double.longBitsToDouble(x);
  }

  /** Integer part of |f| toward zero (Go's Modf int part). */
  private static double trunc(double f) {
    return f < 0 ? Math.ceil(f) : Math.floor(f);
  }

  // ---------------------------------------------------------------------------------------------
  // pow

  public static double pow(double x, double y) {
    if (y == 0 || x == 1) {
      return 1;
    }
    if (Double.isNaN(x) || Double.isNaN(y)) {
      return Double.NaN;
    }
    if (x == 0) {
      if (y < 0) {
        return isOddInt(y) ? Math.copySign(Double.POSITIVE_INFINITY, x)
            : Double.POSITIVE_INFINITY;
      }
      if (y > 0) {
        return isOddInt(y) ? x : 0;
      }
    }
    if (Double.isInfinite(y)) {
      if (x == -1) {
        return 1;
      }
      return (Math.abs(x) < 1) == (y > 0) ? 0 : Double.POSITIVE_INFINITY;
    }
    if (Double.isInfinite(x)) {
      if (x < 0) {
        return pow(1 / x, -y);
      }
      return y < 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    if (y == 0.5) {
      return Math.sqrt(x);
    }
    if (y == -0.5) {
      return 1 / Math.sqrt(x);
    }
    double ay = Math.abs(y);
    double yi = trunc(ay);
    double yf = ay - yi;
    if (yf != 0 && x < 0) {
      return Double.NaN;
    }
    if (yi >= 0x1p63) {
      if (x == -1) {
        return 1;
      }
      return (Math.abs(x) < 1) == (y > 0) ? 0 : Double.POSITIVE_INFINITY;
    }
    double a1 = 1.0;
    long ae = 0;
    if (yf != 0) {
      if (yf > 0.5) {
        yf--;
        yi++;
      }
      a1 = exp(yf * log(x));
    }
    long[] xeBox = new long[1];
    double x1 = frexp(x, xeBox);
    long xe = xeBox[0];
    for (long i = (long) yi; i != 0; i >>= 1) {
      if (xe < -(1 << 12) || (1 << 12) < xe) {
        ae += xe;
        break;
      }
      if ((i & 1) == 1) {
        a1 *= x1;
        ae += xe;
      }
      x1 *= x1;
      xe <<= 1;
      if (x1 < .5) {
        x1 += x1;
        xe--;
      }
    }
    if (y < 0) {
      a1 = 1 / a1;
      ae = -ae;
    }
    return ldexp(a1, ae);
  }

  private static boolean isOddInt(double x) {
    double xi = trunc(x);
    return x - xi == 0 && (((long) xi) & 1) == 1;
  }

  // ---------------------------------------------------------------------------------------------
  // sin, cos, tan

  private static final double PI4A = 7.85398125648498535156e-1;
  private static final double PI4B = 3.77489470793079817668e-8;
  private static final double PI4C = 2.69515142907905952645e-15;
  private static final double REDUCE_THRESHOLD = 1 << 29;
  private static final double[] SIN = {1.58962301576546568060e-10, -2.50507477628578072866e-8,
      2.75573136213857245213e-6, -1.98412698295895385996e-4, 8.33333333332211858878e-3,
      -1.66666666666666307295e-1};
  private static final double[] COS = {-1.13585365213876817300e-11, 2.08757008419747316778e-9,
      -2.75573141792967388112e-7, 2.48015872888517045348e-5, -1.38888888888730564116e-3,
      4.16666666666665929218e-2};

  /** Octant j (in the low 3 bits of the long) and remainder z of x >= 0 reduced by pi/4. */
  private static double reduce(double x, long[] octant) {
    if (x >= REDUCE_THRESHOLD) {
      return payneHanek(x, octant);
    }
    long j = (long) (x * (4 / PI));
    double y = j;
    if ((j & 1) == 1) {
      j++;
      y++;
    }
    octant[0] = j & 7;
    return ((x - y * PI4A) - y * PI4B) - y * PI4C;
  }

  private static double sinPoly(double z, double zz) {
    return z + z * zz * ((((((SIN[0] * zz) + SIN[1]) * zz + SIN[2]) * zz + SIN[3]) * zz + SIN[4])
        * zz + SIN[5]);
  }

  private static double cosPoly(double zz) {
    return 1.0 - 0.5 * zz + zz * zz * ((((((COS[0] * zz) + COS[1]) * zz + COS[2]) * zz + COS[3])
        * zz + COS[4]) * zz + COS[5]);
  }

  public static double sin(double x) {
    if (x == 0 || Double.isNaN(x)) {
      return x;
    }
    if (Double.isInfinite(x)) {
      return Double.NaN;
    }
    boolean negative = false;
    if (x < 0) {
      x = -x;
      negative = true;
    }
    long[] oct = new long[1];
    double z = reduce(x, oct);
    long j = oct[0];
    if (j > 3) {
      negative = !negative;
      j -= 4;
    }
    double zz = z * z;
    double y = (j == 1 || j == 2) ? cosPoly(zz) : sinPoly(z, zz);
    return negative ? -y : y;
  }

  public static double cos(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return Double.NaN;
    }
    boolean negative = false;
    x = Math.abs(x);
    long[] oct = new long[1];
    double z = reduce(x, oct);
    long j = oct[0];
    if (j > 3) {
      j -= 4;
      negative = !negative;
    }
    if (j > 1) {
      negative = !negative;
    }
    double zz = z * z;
    double y = (j == 1 || j == 2) ? sinPoly(z, zz) : cosPoly(zz);
    return negative ? -y : y;
  }

  private static final double[] TAN_P = {-1.30936939181383777646e4, 1.15351664838587416140e6,
      -1.79565251976484877988e7};
  private static final double[] TAN_Q = {1.00000000000000000000e0, 1.36812963470692954678e4,
      -1.32089234440210967447e6, 2.50083801823357915839e7, -5.38695755929454629881e7};

  public static double tan(double x) {
    if (x == 0 || Double.isNaN(x)) {
      return x;
    }
    if (Double.isInfinite(x)) {
      return Double.NaN;
    }
    boolean negative = false;
    if (x < 0) {
      x = -x;
      negative = true;
    }
    long[] oct = new long[1];
    double z;
    long j;
    if (x >= REDUCE_THRESHOLD) {
      z = payneHanek(x, oct);
      j = oct[0];
    } else {
      // Unlike sin and cos, tan keeps the octant unmasked (only bit 1 matters).
      j = (long) (x * (4 / PI));
      double y = j;
      if ((j & 1) == 1) {
        j++;
        y++;
      }
      z = ((x - y * PI4A) - y * PI4B) - y * PI4C;
    }
    double zz = z * z;
    double y;
    if (zz > 1e-14) {
      y = z + z * (zz * (((TAN_P[0] * zz) + TAN_P[1]) * zz + TAN_P[2])
          / ((((zz + TAN_Q[1]) * zz + TAN_Q[2]) * zz + TAN_Q[3]) * zz + TAN_Q[4]));
    } else {
      y = z;
    }
    if ((j & 2) == 2) {
      y = -1 / y;
    }
    return negative ? -y : y;
  }

  /** Binary digits of 4/pi, 64 bits per entry, for Payne-Hanek reduction of huge arguments. */
  private static final long[] FOUR_OVER_PI = {0x0000000000000001L, 0x45f306dc9c882a53L,
      0xf84eafa3ea69bb81L, 0xb6c52b3278872083L, 0xfca2c757bd778ac3L, 0x6e48dc74849ba5c0L,
      0x0c925dd413a32439L, 0xfc3bd63962534e7dL, 0xd1046bea5d768909L, 0xd338e04d68befc82L,
      0x7323ac7306a673e9L, 0x3908bf177bf25076L, 0x3ff12fffbc0b301fL, 0xde5e2316b414da3eL,
      0xda6cfd9e4f96136eL, 0x9e8c7ecd3cbfd45aL, 0xea4f758fd7cbe2f6L, 0x7a0e73ef14a525d4L,
      0xd7f6bf623f1aba10L, 0xac06608df8f6d757L};

  /**
   * Payne-Hanek reduction (K. C. Ng, "Argument reduction for huge arguments: good to the last
   * bit"): x * 4/pi computed with 64-bit integer arithmetic on three words of 4/pi aligned to x's
   * exponent; the top 3 bits give the octant, the rest the fraction, times pi/4.
   */
  private static double payneHanek(double x, long[] octant) {
    final double pi4 = PI / 4;
    if (x < pi4) {
      octant[0] = 0;
      return x;
    }
    long ix = Double.doubleToRawLongBits(x);
    int exp = (int) ((ix >>> SHIFT) & MASK) - BIAS - SHIFT;
    ix &= ~(MASK << SHIFT);
    ix |= 1L << SHIFT;
    int digit = (exp + 61) / 64;
    int bitshift = (exp + 61) % 64;
    long z0 = shiftPair(FOUR_OVER_PI[digit], FOUR_OVER_PI[digit + 1], bitshift);
    long z1 = shiftPair(FOUR_OVER_PI[digit + 1], FOUR_OVER_PI[digit + 2], bitshift);
    long z2 = shiftPair(FOUR_OVER_PI[digit + 2], FOUR_OVER_PI[digit + 3], bitshift);
    long z2hi = unsignedMultiplyHigh(z2, ix);
    long z1hi = unsignedMultiplyHigh(z1, ix);
    long z1lo = z1 * ix;
    long z0lo = z0 * ix;
    long lo = z1lo + z2hi;
    long carry = Long.compareUnsigned(lo, z1lo) < 0 ? 1 : 0;
    long hi = z0lo + z1hi + carry;
    long j = hi >>> 61;
    hi = hi << 3 | lo >>> 61;
    int lz = Long.numberOfLeadingZeros(hi);
    long e = BIAS - (lz + 1);
    hi = (hi << (lz + 1)) | (lo >>> (64 - (lz + 1)));
    hi >>>= 64 - SHIFT;
    hi |= e << SHIFT;
    double z = Double.longBitsToDouble(hi);
    if ((j & 1) == 1) {
      j++;
      j &= 7;
      z--;
    }
    octant[0] = j;
    return z * pi4;
  }

  /** High 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh is Java 18+). */
  private static long unsignedMultiplyHigh(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }

  /** (a << s) | (b >>> (64 - s)) with Go's semantics for s == 0 (a shift by 64 gives 0). */
  private static long shiftPair(long a, long b, int s) {
    return s == 0 ? a : (a << s) | (b >>> (64 - s));
  }

  // ---------------------------------------------------------------------------------------------
  // atan, asin, acos, atan2

  private static double xatan(double x) {
    final double p0 = -8.750608600031904122785e-01;
    final double p1 = -1.615753718733365076637e+01;
    final double p2 = -7.500855792314704667340e+01;
    final double p3 = -1.228866684490136173410e+02;
    final double p4 = -6.485021904942025371773e+01;
    final double q0 = +2.485846490142306297962e+01;
    final double q1 = +1.650270098316988542046e+02;
    final double q2 = +4.328810604912902668951e+02;
    final double q3 = +4.853903996359136964868e+02;
    final double q4 = +1.945506571482613964425e+02;
    double z = x * x;
    z = z * ((((p0 * z + p1) * z + p2) * z + p3) * z + p4)
        / (((((z + q0) * z + q1) * z + q2) * z + q3) * z + q4);
    return x * z + x;
  }

  /** atan of x > 0, reduced into [0, 0.66]. */
  private static double satan(double x) {
    final double morebits = 6.123233995736765886130e-17;
    final double tan3pio8 = 2.41421356237309504880;
    if (x <= 0.66) {
      return xatan(x);
    }
    if (x > tan3pio8) {
      return PI / 2 - xatan(1 / x) + morebits;
    }
    return PI / 4 + xatan((x - 1) / (x + 1)) + 0.5 * morebits;
  }

  public static double atan(double x) {
    if (x == 0) {
      return x;
    }
    return x > 0 ? satan(x) : -satan(-x);
  }

  public static double asin(double x) {
    if (x == 0) {
      return x;
    }
    boolean negative = false;
    if (x < 0) {
      x = -x;
      negative = true;
    }
    if (x > 1) {
      return Double.NaN;
    }
    double temp = Math.sqrt(1 - x * x);
    if (x > 0.7) {
      temp = PI / 2 - satan(temp / x);
    } else {
      temp = satan(x / temp);
    }
    return negative ? -temp : temp;
  }

  public static double acos(double x) {
    return PI / 2 - asin(x);
  }

  public static double atan2(double y, double x) {
    if (Double.isNaN(y) || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (y == 0) {
      if (x >= 0 && Double.doubleToRawLongBits(x) >= 0) {
        return Math.copySign(0.0, y);
      }
      return Math.copySign(PI, y);
    }
    if (x == 0) {
      return Math.copySign(PI / 2, y);
    }
    if (Double.isInfinite(x)) {
      if (x > 0) {
        return Double.isInfinite(y) ? Math.copySign(PI / 4, y) : Math.copySign(0.0, y);
      }
      return Double.isInfinite(y) ? Math.copySign(3 * PI / 4, y) : Math.copySign(PI, y);
    }
    if (Double.isInfinite(y)) {
      return Math.copySign(PI / 2, y);
    }
    double q = atan(y / x);
    if (x < 0) {
      return q <= 0 ? q + PI : q - PI;
    }
    return q;
  }

  // ---------------------------------------------------------------------------------------------
  // hyperbolic functions

  public static double sinh(double x) {
    final double p0 = -0.6307673640497716991184787251e+6;
    final double p1 = -0.8991272022039509355398013511e+5;
    final double p2 = -0.2894211355989563807284660366e+4;
    final double p3 = -0.2630563213397497062819489e+2;
    final double q0 = -0.6307673640497716991212077277e+6;
    final double q1 = 0.1521517378790019070696485176e+5;
    final double q2 = -0.173678953558233699533450911e+3;
    boolean negative = false;
    if (x < 0) {
      x = -x;
      negative = true;
    }
    double temp;
    if (x > 21) {
      temp = exp(x) * 0.5;
    } else if (x > 0.5) {
      double ex = exp(x);
      temp = (ex - 1 / ex) * 0.5;
    } else {
      double sq = x * x;
      temp = (((p3 * sq + p2) * sq + p1) * sq + p0) * x;
      temp = temp / (((sq + q2) * sq + q1) * sq + q0);
    }
    return negative ? -temp : temp;
  }

  public static double cosh(double x) {
    x = Math.abs(x);
    if (x > 21) {
      return exp(x) * 0.5;
    }
    double ex = exp(x);
    return (ex + 1 / ex) * 0.5;
  }

  public static double tanh(double x) {
    final double maxlog = 8.8029691931113054295988e+01;
    final double p0 = -9.64399179425052238628E-1;
    final double p1 = -9.92877231001918586564E1;
    final double p2 = -1.61468768441708447952E3;
    final double q0 = 1.12811678491632931402E2;
    final double q1 = 2.23548839060100448583E3;
    final double q2 = 4.84406305325125486048E3;
    double z = Math.abs(x);
    if (z > 0.5 * maxlog) {
      return x < 0 ? -1 : 1;
    }
    if (z >= 0.625) {
      double s = exp(2 * z);
      z = 1 - 2 / (s + 1);
      return x < 0 ? -z : z;
    }
    if (x == 0) {
      return x;
    }
    double s = x * x;
    return x + x * s * ((p0 * s + p1) * s + p2) / (((s + q0) * s + q1) * s + q2);
  }

  private static final double LN2 = 6.93147180559945286227e-01;

  public static double asinh(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return x;
    }
    boolean negative = false;
    if (x < 0) {
      x = -x;
      negative = true;
    }
    double temp;
    if (x > 0x1p28) {
      temp = log(x) + LN2;
    } else if (x > 2) {
      temp = log(2 * x + 1 / (Math.sqrt(x * x + 1) + x));
    } else if (x < 0x1p-28) {
      temp = x;
    } else {
      temp = log1p(x + x * x / (1 + Math.sqrt(1 + x * x)));
    }
    return negative ? -temp : temp;
  }

  public static double acosh(double x) {
    if (x < 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return 0;
    }
    if (x >= 0x1p28) {
      return log(x) + LN2;
    }
    if (x > 2) {
      return log(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
    }
    double t = x - 1;
    return log1p(t + Math.sqrt(2 * t + t * t));
  }

  public static double atanh(double x) {
    if (x < -1 || x > 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (x == -1) {
      return Double.NEGATIVE_INFINITY;
    }
    boolean negative = false;
    if (x < 0) {
      x = -x;
      negative = true;
    }
    double temp;
    if (x < 0x1p-28) {
      temp = x;
    } else if (x < 0.5) {
      temp = x + x;
      temp = 0.5 * log1p(temp + temp * x / (1 - x));
    } else {
      temp = 0.5 * log1p((x + x) / (1 - x));
    }
    return negative ? -temp : temp;
  }
}
