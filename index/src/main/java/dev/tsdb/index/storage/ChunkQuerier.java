package dev.tsdb.index.storage;

import dev.tsdb.index.labels.Matcher;
import java.io.Closeable;

/**
 * Reads series as encoded chunks (for compaction and streamed remote read) within the time range
 * it was opened for: every chunk overlapping the range is returned whole. Chunk data may point
 * into mapped files and is valid until the querier is closed.
 */
public interface ChunkQuerier extends Closeable {
  /** Series matching all matchers, with the same matcher semantics as {@link Querier#select}. */
  ChunkSeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers);

  @Override
  void close();
}
