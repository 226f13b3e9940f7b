package dev.tsdb.index.storage;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;

/**
 * A forward-only cursor over a series' samples, allocation-free per sample. {@link #next()} and
 * {@link #seek(long)} tell the current sample's {@link ValueType}; read it with {@link #v()}
 * (FLOAT), {@link #atHistogram} (HISTOGRAM) or {@link #atFloatHistogram} (HISTOGRAM and
 * FLOAT_HISTOGRAM).
 */
public interface SampleIterator {
  /** Advances to the next sample; NONE when exhausted. */
  ValueType next();

  /**
   * Advances to the first sample with timestamp &gt;= t (staying put if the current sample already
   * qualifies); NONE when there is none. Never moves backwards.
   */
  ValueType seek(long t);

  /** Timestamp of the current sample, in milliseconds. */
  long t();

  /** Value of the current float sample. */
  double v();

  /**
   * The current HISTOGRAM sample, written into {@code reuse} (a new instance when null) so a
   * caller can read a series without allocating per sample.
   *
   * @throws IllegalStateException when the current sample is not an integer histogram
   */
  default Histogram atHistogram(Histogram reuse) {
    throw new IllegalStateException("not on a histogram sample");
  }

  /**
   * The current FLOAT_HISTOGRAM sample, or the current HISTOGRAM sample converted to float
   * counts, written into {@code reuse} (a new instance when null).
   *
   * @throws IllegalStateException when the current sample is not a histogram
   */
  default FloatHistogram atFloatHistogram(FloatHistogram reuse) {
    throw new IllegalStateException("not on a histogram sample");
  }

  /** The error that ended iteration early, or null. */
  default Exception error() {
    return null;
  }

  SampleIterator EMPTY = new SampleIterator() {
    @Override
    public ValueType next() {
      return ValueType.NONE;
    }

    @Override
    public ValueType seek(long t) {
      return ValueType.NONE;
    }

    @Override
    public long t() {
      throw new IllegalStateException("empty");
    }

    @Override
    public double v() {
      throw new IllegalStateException("empty");
    }
  };
}
