package dev.tsdb.api;

/**
 * What the storage knows about itself, exported on /metrics under Prometheus's names (see
 * {@link ApiMetrics#bindStorage}). The api cannot see the storage modules, so the server's
 * storage wiring implements this over the real database and hands it to
 * {@link WebHandler.Builder#storageStats}. Every method defaults to "unknown": counts to 0,
 * and {@link #headSeries()} / {@link #samplesAppended()} to -1, for which /metrics falls back
 * to what the API can see itself (a scan of the series, the remote-write totals).
 *
 * <p>Calls come from the /metrics thread, concurrently with ingestion: implementations must be
 * cheap (read counters, no scans) and thread-safe.
 */
public interface StorageStats {
  /** Numbers for a storage that reports nothing. */
  StorageStats NONE = new StorageStats() {};

  /** prometheus_tsdb_head_series: series in the head; -1 if the storage does not know. */
  default long headSeries() {
    return -1;
  }

  /** prometheus_tsdb_head_series_created_total. */
  default long headSeriesCreated() {
    return 0;
  }

  /** prometheus_tsdb_head_series_removed_total. */
  default long headSeriesRemoved() {
    return 0;
  }

  /** prometheus_tsdb_head_chunks: chunks in the head (open and memory-mapped). */
  default long headChunks() {
    return 0;
  }

  /** prometheus_tsdb_head_chunks_created_total. */
  default long headChunksCreated() {
    return 0;
  }

  /**
   * prometheus_tsdb_head_samples_appended_total{type="float"}: every float sample appended
   * (remote write and rules); -1 if unknown (then the remote-write total is exported).
   */
  default long samplesAppended() {
    return -1;
  }

  /** prometheus_tsdb_head_truncations_total. */
  default long headTruncations() {
    return 0;
  }

  /** prometheus_tsdb_wal_storage_size_bytes: bytes of the WAL directory. */
  default long walStorageSizeBytes() {
    return 0;
  }

  /** prometheus_tsdb_wal_segment_current. */
  default long walSegmentCurrent() {
    return 0;
  }

  /** prometheus_tsdb_wal_fsync_duration_seconds_count: fsyncs of the WAL so far. */
  default long walFsyncCount() {
    return 0;
  }

  /** prometheus_tsdb_wal_fsync_duration_seconds_sum: their total duration, seconds. */
  default double walFsyncSeconds() {
    return 0;
  }

  /** prometheus_tsdb_wal_corruptions_total. */
  default long walCorruptions() {
    return 0;
  }

  /** prometheus_tsdb_blocks_loaded: persisted blocks currently open. */
  default long blocksLoaded() {
    return 0;
  }

  /** prometheus_tsdb_storage_blocks_bytes: bytes of all loaded blocks. */
  default long blocksBytes() {
    return 0;
  }

  /** prometheus_tsdb_compactions_total: successful compactions (head and block). */
  default long compactions() {
    return 0;
  }

  /** prometheus_tsdb_compactions_failed_total. */
  default long compactionsFailed() {
    return 0;
  }

  /** prometheus_tsdb_compaction_duration_seconds_count / _sum. */
  default long compactionDurationCount() {
    return 0;
  }

  default double compactionDurationSeconds() {
    return 0;
  }

  /** prometheus_tsdb_time_retentions_total: blocks deleted by time retention. */
  default long timeRetentions() {
    return 0;
  }

  /** prometheus_tsdb_size_retentions_total: blocks deleted by size retention. */
  default long sizeRetentions() {
    return 0;
  }
}
