package dev.tsdb.blocks.db;

import dev.tsdb.index.storage.CorruptionException;
import java.io.IOException;

/** Tells errors of the disk (full, failing) from errors of the data being read. */
final class DiskErrors {
  private DiskErrors() {}

  /**
   * Whether {@code e} is an I/O error with no corruption anywhere in its causes: the data is
   * fine, the operation may simply be retried once the disk works again.
   */
  static boolean isEnvironmental(Throwable e) {
    if (!(e instanceof IOException)) {
      return false;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CorruptionException) {
        return false;
      }
    }
    return true;
  }
}
