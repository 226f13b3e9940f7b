package dev.tsdb.db;

import dev.tsdb.labels.Matcher;
import dev.tsdb.storage.ChunkQueryable;
import dev.tsdb.storage.Storage;
import java.io.IOException;

/**
 * What the {@link Database} needs from the in-memory head, beyond {@link Storage}. Queriers must
 * return series sorted in Go's byte order ({@link dev.tsdb.index.format.Utf8Order}) when asked
 * for sorted output, like blocks do, so they merge with them.
 */
public interface DbHead extends Storage, ChunkQueryable {
  @Override
  dev.tsdb.storage.Querier querier(long mint, long maxt);

  @Override
  dev.tsdb.storage.ChunkQuerier chunkQuerier(long mint, long maxt);

  /**
   * Drops the data older than {@code mint} (now persisted in blocks) and rejects appends older
   * than it; the write-ahead log is checkpointed and truncated accordingly.
   */
  void truncateBefore(long mint) throws IOException;

  /** Deletes [mint, maxt] of the series matching the matchers; honoured by every query. */
  void delete(long mint, long maxt, Matcher... matchers) throws IOException;

  int numSeries();

  /** Calls the action with every head series' labels (weakly consistent). */
  void forEachSeries(java.util.function.Consumer<dev.tsdb.labels.Labels> action);

  /** Chunks held in memory, or -1 when unknown. */
  long numChunks();

  /** Bytes the head keeps on disk (WAL, checkpoints, head chunk files), for size retention. */
  long diskBytes();

  /** Progress of the WAL replay at open, 0..1 (1 when done or nothing to replay). */
  double replayProgress();
}
