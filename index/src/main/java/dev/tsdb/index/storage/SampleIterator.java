package dev.tsdb.index.storage;

/**
 * A forward-only cursor over a series' samples, allocation-free per sample. Float samples only
 * for now; histogram sample types will extend this via {@link ValueType}.
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
