package dev.tsdb.head;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;

/**
 * Whether two histogram samples hold the same value, for the duplicate check at a series' newest
 * timestamp. Like Prometheus's Histogram.Equals the counter reset hint does not count; unlike it,
 * spans must be written alike (Prometheus also accepts differently split empty spans).
 */
final class HistogramValues {
  private HistogramValues() {}

  static boolean sameValue(Histogram a, Histogram b) {
    if (a == null || b == null) {
      return false;
    }
    if (a.counterResetHint == b.counterResetHint) {
      return a.equals(b);
    }
    Histogram c = a.copy(); // rare (a re-sent sample with another hint): a copy is fine
    c.counterResetHint = b.counterResetHint;
    return c.equals(b);
  }

  static boolean sameValue(FloatHistogram a, FloatHistogram b) {
    if (a == null || b == null) {
      return false;
    }
    if (a.counterResetHint == b.counterResetHint) {
      return a.equals(b);
    }
    FloatHistogram c = a.copy();
    c.counterResetHint = b.counterResetHint;
    return c.equals(b);
  }
}
