package dev.tsdb.rules.metrics;

/** A gauge's current value, set by the code that knows it and read when metrics are scraped. */
public final class GaugeCell {
  private volatile double value;

  public void set(double v) {
    value = v;
  }

  public double get() {
    return value;
  }
}
