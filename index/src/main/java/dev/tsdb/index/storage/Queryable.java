package dev.tsdb.index.storage;

import java.io.IOException;

/** Something that can be queried over a time range. */
public interface Queryable {
  /**
   * A querier over samples with {@code mint <= t <= maxt} (milliseconds, both inclusive). The
   * querier sees a consistent view for its lifetime and must be closed.
   */
  Querier querier(long mint, long maxt) throws IOException;
}
