package dev.tsdb.index.storage;

/** A cursor over chunk series; like {@link SeriesSet}. */
public interface ChunkSeriesSet {
  boolean next();

  ChunkSeries at();

  /** The error that ended iteration early, or null. */
  default Exception error() {
    return null;
  }

  static ChunkSeriesSet empty() {
    return failed(null);
  }

  /** A set with no series whose {@link #error()} is {@code e} (a select that could not start). */
  static ChunkSeriesSet failed(Exception e) {
    return new ChunkSeriesSet() {
      @Override
      public boolean next() {
        return false;
      }

      @Override
      public ChunkSeries at() {
        throw new IllegalStateException("empty");
      }

      @Override
      public Exception error() {
        return e;
      }
    };
  }
}
