package dev.tsdb.testdata.promqltest;

import dev.tsdb.index.storage.Storage;
import dev.tsdb.testkit.MemStorage;

/**
 * The one place that decides which storage test scripts load their data into. The in-memory
 * reference storage for now; the real head can be swapped in here once it exists.
 */
public final class TestStorage {
  private TestStorage() {}

  public static Storage create() {
    return new MemStorage();
  }
}
