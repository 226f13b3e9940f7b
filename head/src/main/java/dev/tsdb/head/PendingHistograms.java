package dev.tsdb.head;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import java.util.Arrays;

/**
 * One appender's histogram samples of one kind (integer or float counts) until commit: series,
 * timestamp and the appender's own copy of the histogram, in append order. Knows how to check and
 * apply a sample of its kind to a series, so the head's commit treats both kinds alike.
 *
 * @param <H> {@link Histogram} or {@link FloatHistogram}
 */
abstract class PendingHistograms<H> {
  MemSeries[] series = new MemSeries[8];
  long[] ts = new long[8];
  H[] values;
  int n;

  PendingHistograms(H[] initial) {
    values = initial;
  }

  void add(MemSeries s, long t, H h) {
    if (n == ts.length) {
      int cap = n * 2;
      series = Arrays.copyOf(series, cap);
      ts = Arrays.copyOf(ts, cap);
      values = Arrays.copyOf(values, cap);
    }
    series[n] = s;
    ts[n] = t;
    values[n] = h;
    n++;
  }

  void clear() {
    Arrays.fill(series, 0, n, null);
    Arrays.fill(values, 0, n, null);
    n = 0;
  }

  /** {@link MemSeries#appendableHistogram} for this kind. Caller holds the series' monitor. */
  abstract int appendable(MemSeries s, long t, H h, long headMaxt, long minValidTime,
      long oooWindow);

  /** {@link MemSeries#appendHistogram} for this kind; true when a chunk was created. */
  abstract boolean appendTo(MemSeries s, long t, H h, long chunkRange);

  /** A copy the batch keeps (callers reuse their instances). */
  abstract H copyOf(H h);

  static final class Integers extends PendingHistograms<Histogram> {
    Integers() {
      super(new Histogram[8]);
    }

    @Override
    int appendable(MemSeries s, long t, Histogram h, long headMaxt, long minValidTime,
        long oooWindow) {
      return s.appendableHistogram(t, h, headMaxt, minValidTime, oooWindow);
    }

    @Override
    boolean appendTo(MemSeries s, long t, Histogram h, long chunkRange) {
      return s.appendHistogram(t, h, chunkRange);
    }

    @Override
    Histogram copyOf(Histogram h) {
      return h.copy();
    }
  }

  static final class Floats extends PendingHistograms<FloatHistogram> {
    Floats() {
      super(new FloatHistogram[8]);
    }

    @Override
    int appendable(MemSeries s, long t, FloatHistogram h, long headMaxt, long minValidTime,
        long oooWindow) {
      return s.appendableHistogram(t, h, headMaxt, minValidTime, oooWindow);
    }

    @Override
    boolean appendTo(MemSeries s, long t, FloatHistogram h, long chunkRange) {
      return s.appendHistogram(t, h, chunkRange);
    }

    @Override
    FloatHistogram copyOf(FloatHistogram h) {
      return h.copy();
    }
  }
}
