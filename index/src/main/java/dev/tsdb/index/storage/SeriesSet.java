package dev.tsdb.index.storage;

import java.util.List;

/**
 * A cursor over series. {@code next()} advances, {@code at()} returns the current series. Errors
 * raised while reading are reported by {@link #error()} after next() returns false.
 */
public interface SeriesSet {
  boolean next();

  Series at();

  /** The error that ended iteration early, or null. */
  default Exception error() {
    return null;
  }

  /** Non-fatal problems met while reading (e.g. a partial result). */
  default List<String> warnings() {
    return List.of();
  }

  static SeriesSet empty() {
    return failed(null);
  }

  /** A set with no series whose {@link #error()} is {@code e} (a select that could not start). */
  static SeriesSet failed(Exception e) {
    return new SeriesSet() {
      @Override
      public boolean next() {
        return false;
      }

      @Override
      public Series at() {
        throw new IllegalStateException("empty");
      }

      @Override
      public Exception error() {
        return e;
      }
    };
  }

  static SeriesSet of(List<? extends Series> series) {
    return new SeriesSet() {
      int i = -1;

      @Override
      public boolean next() {
        return ++i < series.size();
      }

      @Override
      public Series at() {
        return series.get(i);
      }
    };
  }
}
