package dev.tsdb.index.storage;

import java.io.Closeable;
import java.io.IOException;

/** A database: writable, queryable, closeable. What the API and the rule engine are given. */
public interface Storage extends Appendable, Queryable, Closeable {
  /** Lowest timestamp held, or Long.MAX_VALUE when empty. */
  long minTime();

  /** Highest timestamp held, or Long.MIN_VALUE when empty. */
  long maxTime();

  @Override
  void close() throws IOException;
}
