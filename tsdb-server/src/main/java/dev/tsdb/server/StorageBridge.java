package dev.tsdb.server;

import dev.tsdb.api.AdminOps;
import dev.tsdb.api.StorageStats;
import dev.tsdb.storage.ChunkQueryable;
import dev.tsdb.storage.Storage;

/**
 * What the API needs from the open storage beyond the storage contract. The storage modules
 * sit below the api and cannot implement its interfaces themselves, so the adapters over the
 * real database go here once {@link StorageFactory} opens it:
 *
 * <ul>
 *   <li>{@link #stats}: /metrics numbers (prometheus_tsdb_head_series, WAL size and fsync
 *       durations, blocks loaded, compactions, ...). Until then /metrics falls back to a series
 *       scan, the remote-write totals and zeros.
 *   <li>{@link #adminOps}: delete_series, clean_tombstones, snapshot for the admin API. Until
 *       then those answer "not supported by this storage yet".
 *   <li>{@link #chunks}: encoded chunks for streamed remote read. The database implements
 *       {@link ChunkQueryable} from the contract, so this needs no adapter.
 * </ul>
 *
 * Each is called per request with the storage currently open (null before it is).
 */
final class StorageBridge {
  private StorageBridge() {}

  static StorageStats stats(Storage storage) {
    if (storage instanceof StorageStats s) {
      return s;
    }
    return StorageStats.NONE;
  }

  static AdminOps adminOps(Storage storage) {
    return storage instanceof AdminOps a ? a : null;
  }

  static ChunkQueryable chunks(Storage storage) {
    return storage instanceof ChunkQueryable c ? c : null;
  }
}
