package dev.tsdb.gocompat;

/**
 * One step of the compensated (Kahan-Babuska-Neumaier) summation Prometheus uses for sums in
 * PromQL (its util/kahansum Inc): the running sum and a separate compensation term that
 * collects the low-order bits each addition loses. The result is {@code sum + c} at the end.
 * Once the sum overflows to an infinity the compensation is reset, so it cannot turn an
 * infinite sum into NaN.
 */
public final class KahanSum {
  private KahanSum() {}

  /** Adds {@code inc} to {@code sum}; returns the new sum, updates the compensation in c[0]. */
  public static double inc(double inc, double sum, double[] c) {
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      c[0] = 0;
    } else if (Math.abs(sum) >= Math.abs(inc)) {
      c[0] += (sum - t) + inc;
    } else {
      c[0] += (inc - t) + sum;
    }
    return t;
  }
}
