package dev.tsdb.blocks.db;

import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.ChunkQueryable;
import dev.tsdb.index.storage.ExemplarQueryable;
import dev.tsdb.index.storage.MetadataQueryable;
import dev.tsdb.index.storage.Storage;
import java.io.IOException;

/**
 * What the {@link Database} needs from the in-memory head, beyond {@link Storage}. Queriers must
 * return series sorted in Go's byte order ({@link dev.tsdb.index.format.Utf8Order}) when asked
 * for sorted output, like blocks do, so they merge with them.
 */
public interface DbHead extends Storage, ChunkQueryable, ExemplarQueryable, MetadataQueryable {
  @Override
  dev.tsdb.index.storage.Querier querier(long mint, long maxt);

  @Override
  dev.tsdb.index.storage.ChunkQuerier chunkQuerier(long mint, long maxt);

  /**
   * First step of a head cut at {@code mint}, before reading the data to persist: appends older
   * than mint are refused from now on (also those of appenders already running), and the
   * out-of-order data held now is what the following {@link #truncateBefore}(mint) drops, so
   * late samples committed during the cut are kept for the next one.
   */
  void prepareTruncation(long mint);

  /**
   * Drops the data older than {@code mint} (now persisted in blocks) and rejects appends older
   * than it; the write-ahead log is checkpointed and truncated accordingly.
   */
  void truncateBefore(long mint) throws IOException;

  /** Deletes [mint, maxt] of the series matching the matchers; honoured by every query. */
  void delete(long mint, long maxt, Matcher... matchers) throws IOException;

  int numSeries();

  /** Calls the action with every head series' labels (weakly consistent). */
  void forEachSeries(java.util.function.Consumer<dev.tsdb.index.labels.Labels> action);

  /** In-order chunks held in memory. */
  long numChunks();

  /** The head's counters (samples and out-of-order samples appended, rejections, chunks). */
  dev.tsdb.head.HeadStats stats();

  /** WAL replay segments {min, max, current} as /api/v1/status/walreplay. */
  dev.tsdb.head.ReplayProgress.Status walReplayStatus();

  /** Bytes the head keeps on disk (WAL, checkpoints, head chunk files), for size retention. */
  long diskBytes();

  /** Changes the exemplar buffer's capacity (config reload). */
  void setMaxExemplars(int max);

  /** Exemplars held, series with exemplars, exemplars appended, capacity (for metrics). */
  long[] exemplarStats();

  /** Progress of the WAL replay at open, 0..1 (1 when done or nothing to replay). */
  double replayProgress();
}
