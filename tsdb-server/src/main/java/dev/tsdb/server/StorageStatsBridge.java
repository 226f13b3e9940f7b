package dev.tsdb.server;

import dev.tsdb.api.StorageStats;
import dev.tsdb.storage.Storage;

/**
 * Gives /metrics the open storage's own numbers (prometheus_tsdb_head_series, WAL size and fsync
 * durations, blocks loaded, compactions, ...). The storage modules cannot implement the api's
 * {@link StorageStats} themselves (they sit below the api), so this is where an adapter over the
 * real database's counters goes once {@link StorageFactory} opens it. Until then the reference
 * storage reports nothing and /metrics falls back to what the API sees (series scan,
 * remote-write totals) and zeros.
 */
final class StorageStatsBridge {
  private StorageStatsBridge() {}

  /** The numbers of {@code storage} (null while it is not open yet). */
  static StorageStats of(Storage storage) {
    if (storage instanceof StorageStats s) {
      return s;
    }
    return StorageStats.NONE;
  }
}
