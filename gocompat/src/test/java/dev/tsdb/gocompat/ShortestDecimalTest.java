package dev.tsdb.gocompat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Checks the Schubfach digits against a slow reference that follows the definition: the fewest
 * significant digits p for which a p-digit decimal parses back to v, and among those the one
 * closest to v (ties to even). Only the decimals just below and just above v (v rounded down and
 * up to p digits) can be that closest one, so the reference tries both.
 */
class ShortestDecimalTest {
  @Test
  void logarithmApproximationsAreExactOverTheirDomain() {
    for (int e = -1100; e <= 1100; e++) {
      assertEquals(floorLog10OfPow2(e), ShortestDecimal.floorLog10Pow2(e), "e=" + e);
      assertEquals(floorLog10OfThreeQuartersPow2(e),
          ShortestDecimal.floorLog10ThreeQuartersPow2(e), "e=" + e);
    }
    for (int e = -400; e <= 400; e++) {
      BigInteger p = BigInteger.TEN.pow(Math.abs(e));
      // floor(log2(10^e)): bitLength-1 for e >= 0; -bitLength for e < 0 (10^|e| is no 2^n).
      int expected = e >= 0 ? p.bitLength() - 1 : -p.bitLength();
      assertEquals(expected, ShortestDecimal.floorLog2Pow10(e), "e=" + e);
    }
  }

  /** floor(log10(2^e)) by comparing powers exactly. */
  private static int floorLog10OfPow2(int e) {
    return floorLog10(pow2(e));
  }

  private static int floorLog10OfThreeQuartersPow2(int e) {
    return floorLog10(new BigDecimal("0.75").multiply(pow2(e)));
  }

  private static BigDecimal pow2(int e) {
    return e >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(e))
        : BigDecimal.ONE.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-e)));
  }

  private static int floorLog10(BigDecimal x) {
    // x = unscaled * 10^-scale; the position of its leading digit.
    return x.precision() - x.scale() - 1;
  }

  @Test
  void randomBitPatterns() {
    SplittableRandom random = new SplittableRandom(20240611L);
    for (int i = 0; i < 150_000; i++) {
      double v = Double.longBitsToDouble(random.nextLong() & Long.MAX_VALUE);
      if (Double.isFinite(v)) {
        check(v);
      }
    }
  }

  @Test
  void randomShortDecimals() {
    // Values written with few digits are where "shortest" and "closest" are decided.
    SplittableRandom random = new SplittableRandom(7L);
    for (int i = 0; i < 100_000; i++) {
      long digits = random.nextLong(1, 10_000_000L);
      int exp = random.nextInt(-330, 300);
      double v = Double.parseDouble(digits + "e" + exp);
      if (Double.isFinite(v) && v != 0) {
        check(v);
      }
    }
  }

  @Test
  void randomValuesLikeSamples() {
    SplittableRandom random = new SplittableRandom(42L);
    for (int i = 0; i < 50_000; i++) {
      check(random.nextDouble() * 1000);
      check(random.nextDouble());
      check((double) random.nextLong(1L << 60));
    }
  }

  @Test
  void powersOfTwoAndTheirNeighbours() {
    for (int e = -1074; e <= 1023; e++) {
      double p = Math.scalb(1.0, e);
      check(p);
      check(Math.nextUp(p));
      if (Math.nextDown(p) > 0) {
        check(Math.nextDown(p));
      }
    }
  }

  @Test
  void smallestSubnormalsAndExtremes() {
    for (long t = 1; t <= 3000; t++) {
      check(Double.longBitsToDouble(t));
    }
    check(Double.MIN_NORMAL);
    check(Double.MAX_VALUE);
    check(Math.nextDown(Double.MIN_NORMAL));
    for (long n = 1; n < 100_000; n += 7) {
      check(n);
      check(n / 10.0);
      check(n / 1000.0);
    }
  }

  @Test
  void java17DoubleToStringIsNotAlwaysShortest() {
    // Java 17 prints 2.82879384806159008E17 and 4.9E-324 for these.
    assertShortest("282879384806159", 3, 2.82879384806159e17);
    assertShortest("5", -324, Double.MIN_VALUE);
    assertShortest("17976931348623157", 292, Double.MAX_VALUE);
    assertShortest("1", 23, 1e23);
    assertShortest("0", 0, 0.0);
  }

  private static void assertShortest(String digits, int exponent, double v) {
    ShortestDecimal d = new ShortestDecimal().set(v);
    assertEquals(digits + "e" + exponent, d.significand + "e" + d.exponent);
  }

  private static void check(double v) {
    ShortestDecimal d = new ShortestDecimal().set(v);
    BigDecimal got = BigDecimal.valueOf(d.significand, -d.exponent);
    BigDecimal want = reference(Math.abs(v));
    assertEquals(0, want.compareTo(got), () -> "v=" + v + " (bits "
        + Long.toHexString(Double.doubleToRawLongBits(v)) + "): want " + want + " got " + got);
    assertEquals(Math.abs(v), Double.parseDouble(got.toString()), "round trip of " + v);
  }

  /** The definition, slowly. */
  static BigDecimal reference(double abs) {
    BigDecimal exact = new BigDecimal(abs);
    for (int p = 1; p <= 17; p++) {
      BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
      boolean downOk = Double.parseDouble(down.toString()) == abs;
      boolean upOk = Double.parseDouble(up.toString()) == abs;
      if (downOk && upOk) {
        int cmp = exact.subtract(down).compareTo(up.subtract(exact));
        if (cmp != 0) {
          return cmp < 0 ? down : up;
        }
        return exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      }
      if (downOk) {
        return down;
      }
      if (upOk) {
        return up;
      }
    }
    throw new AssertionError("no 17-digit decimal round-trips " + abs);
  }
}
