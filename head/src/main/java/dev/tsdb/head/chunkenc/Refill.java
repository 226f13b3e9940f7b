package dev.tsdb.head.chunkenc;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;

/**
 * Refilling a caller's histogram from iterator state: arrays are copied into the caller's when
 * the length matches (no allocation while a chunk's layout holds), else replaced.
 */
final class Refill {
  private static final int[] NO_SPANS = {};
  private static final long[] NO_DELTAS = {};
  private static final double[] NO_VALUES = {};

  private Refill() {}

  static int[] copyInto(int[] dst, int[] src) {
    if (src.length == 0) {
      return NO_SPANS;
    }
    int[] out = dst != null && dst.length == src.length ? dst : new int[src.length];
    System.arraycopy(src, 0, out, 0, src.length);
    return out;
  }

  static long[] copyInto(long[] dst, long[] src) {
    if (src.length == 0) {
      return NO_DELTAS;
    }
    long[] out = dst != null && dst.length == src.length ? dst : new long[src.length];
    System.arraycopy(src, 0, out, 0, src.length);
    return out;
  }

  static double[] copyInto(double[] dst, double[] src) {
    if (src.length == 0) {
      return NO_VALUES;
    }
    double[] out = dst != null && dst.length == src.length ? dst : new double[src.length];
    System.arraycopy(src, 0, out, 0, src.length);
    return out;
  }

  /** Float bits as doubles. */
  static double[] floatsInto(double[] dst, long[] bits) {
    if (bits.length == 0) {
      return NO_VALUES;
    }
    double[] out = dst != null && dst.length == bits.length ? dst : new double[bits.length];
    for (int i = 0; i < bits.length; i++) {
      out[i] = Double.longBitsToDouble(bits[i]);
    }
    return out;
  }

  /** A stale marker: everything empty, the sum the stale NaN (as Prometheus reads one). */
  static void fill(Histogram h) {
    h.counterResetHint = CounterResetHint.UNKNOWN;
    h.schema = 0;
    h.zeroThreshold = 0;
    h.zeroCount = 0;
    h.count = 0;
    h.sum = Double.longBitsToDouble(HistogramLayout.STALE_NAN_BITS);
    h.positiveSpans = NO_SPANS;
    h.negativeSpans = NO_SPANS;
    h.positiveBuckets = NO_DELTAS;
    h.negativeBuckets = NO_DELTAS;
    h.customValues = NO_VALUES;
  }

  static void fill(FloatHistogram h) {
    h.counterResetHint = CounterResetHint.UNKNOWN;
    h.schema = 0;
    h.zeroThreshold = 0;
    h.zeroCount = 0;
    h.count = 0;
    h.sum = Double.longBitsToDouble(HistogramLayout.STALE_NAN_BITS);
    h.positiveSpans = NO_SPANS;
    h.negativeSpans = NO_SPANS;
    h.positiveBuckets = NO_VALUES;
    h.negativeBuckets = NO_VALUES;
    h.customValues = NO_VALUES;
  }
}
