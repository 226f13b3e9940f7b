package dev.tsdb.blocks.db;

import dev.tsdb.blocks.Compactor;
import dev.tsdb.blocks.LabelOrderMerge;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkSeries;
import dev.tsdb.index.storage.ChunkSeriesSet;
import dev.tsdb.index.storage.SelectHints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Chunk-level counterpart of {@link MergeQuerier} (streamed remote read): series merged by
 * labels as compaction merges them ({@link Compactor#mergeByLabels}); the chunks of a series held
 * by several sources are concatenated when they do not overlap and otherwise re-encoded from the
 * samples merged with the compaction rule.
 */
final class MergeChunkQuerier implements ChunkQuerier {
  private final List<ChunkQuerier> parts;
  private final Runnable onClose;
  private boolean closed;

  MergeChunkQuerier(List<ChunkQuerier> parts, Runnable onClose) {
    this.parts = List.copyOf(parts);
    this.onClose = onClose;
  }

  @Override
  public ChunkSeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
    if (parts.size() == 1) {
      return parts.get(0).select(sorted, hints, matchers);
    }
    List<ChunkSeriesSet> sets = new ArrayList<>(parts.size());
    for (ChunkQuerier q : parts) {
      sets.add(q.select(true, hints, matchers));
    }
    LabelOrderMerge<ChunkSeries, IOException> merge = Compactor.mergeByLabels(sets);
    return new ChunkSeriesSet() {
      private Exception mergeError;

      @Override
      public boolean next() {
        if (mergeError != null) {
          return false;
        }
        try {
          return merge.next();
        } catch (IOException | RuntimeException e) {
          mergeError = e;
          return false;
        }
      }

      @Override
      public ChunkSeries at() {
        return mergeError != null ? null : merge.at();
      }

      @Override
      public Exception error() {
        return mergeError != null ? mergeError : merge.inputError();
      }
    };
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (ChunkQuerier q : parts) {
        q.close();
      }
    } finally {
      onClose.run();
    }
  }
}
