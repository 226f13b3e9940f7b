package dev.tsdb.promql.engine;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.HistogramArithmetic;
import dev.tsdb.index.histogram.HistogramKahanSum;
import dev.tsdb.index.histogram.IncompatibleHistogramsException;

/**
 * The histogram side of one sum or avg group at one step: a compensated running sum, which avg
 * turns into an incremental mean once the sum would overflow (as it does for floats), and what
 * the group has seen that Prometheus warns about (counter reset hints that contradict each other,
 * histograms that cannot be added).
 */
final class HistogramAccumulator {
  private HistogramKahanSum sum;
  private HistogramKahanSum mean; // non-null once avg has switched to the incremental mean
  private boolean resetSeen;
  private boolean notResetSeen;
  /** Exponential and custom buckets met: the group has no result. */
  boolean incompatible;

  HistogramAccumulator(FloatHistogram first) {
    sum = HistogramKahanSum.of(first);
    noteHint(first);
  }

  private void noteHint(FloatHistogram h) {
    if (h.counterResetHint == CounterResetHint.COUNTER_RESET) {
      resetSeen = true;
    } else if (h.counterResetHint == CounterResetHint.NOT_COUNTER_RESET) {
      notResetSeen = true;
    }
  }

  /** Whether both a counter reset and a "no counter reset" hint were summed. */
  boolean counterResetCollision() {
    return resetSeen && notResetSeen;
  }

  /**
   * Adds {@code h} to the sum. Returns whether custom bucket bounds had to be reconciled.
   *
   * @throws IncompatibleHistogramsException for exponential meeting custom buckets
   */
  boolean addToSum(FloatHistogram h) {
    noteHint(h);
    return sum.add(h);
  }

  /**
   * Adds {@code h}, the {@code count}-th histogram of the group, to the mean: to the sum while it
   * does not overflow, else to an incremental mean. Returns whether custom bounds were reconciled.
   *
   * @throws IncompatibleHistogramsException for exponential meeting custom buckets
   */
  boolean addToMean(FloatHistogram h, double count) {
    noteHint(h);
    boolean reconciled = false;
    if (mean == null) {
      HistogramKahanSum next = sum.copy();
      reconciled = next.add(h);
      if (!next.hasOverflow()) {
        sum = next;
        return reconciled;
      }
      mean = sum;
      mean.div(count - 1);
    }
    mean.mul((count - 1) / count);
    return mean.add(HistogramArithmetic.div(h, count)) || reconciled;
  }

  FloatHistogram sum() {
    return sum.result();
  }

  FloatHistogram mean(double count) {
    if (mean != null) {
      return mean.result();
    }
    sum.div(count);
    return sum.result();
  }
}
