package dev.tsdb.index.storage;

/** A cursor over chunk series; like {@link SeriesSet}. */
public interface ChunkSeriesSet {
  boolean next();

  ChunkSeries at();

  /** The error that ended iteration early, or null. */
  default Exception error() {
    return null;
  }
}
