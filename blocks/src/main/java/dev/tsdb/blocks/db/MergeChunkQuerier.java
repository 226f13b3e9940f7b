package dev.tsdb.blocks.db;

import dev.tsdb.blocks.Compactor;
import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkSeries;
import dev.tsdb.index.storage.ChunkSeriesSet;
import dev.tsdb.index.storage.SelectHints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Chunk-level counterpart of {@link MergeQuerier} (streamed remote read): series merged by
 * labels; the chunks of a series held by several sources are concatenated when they do not
 * overlap and otherwise re-encoded from the samples merged with the compaction rule.
 */
final class MergeChunkQuerier implements ChunkQuerier {
  private final List<ChunkQuerier> parts;
  private final Runnable onClose;
  private boolean closed;

  MergeChunkQuerier(List<ChunkQuerier> parts, Runnable onClose) {
    this.parts = List.copyOf(parts);
    this.onClose = onClose;
  }

  private record Merged(Labels labels, List<ChunkMeta> chunks) implements ChunkSeries {}

  private static final class Cursor implements Comparable<Cursor> {
    final int source;
    final ChunkSeriesSet set;
    ChunkSeries series;

    Cursor(int source, ChunkSeriesSet set) {
      this.source = source;
      this.set = set;
    }

    @Override
    public int compareTo(Cursor o) {
      int c = Utf8Order.compare(series.labels(), o.series.labels());
      return c != 0 ? c : Integer.compare(source, o.source);
    }
  }

  @Override
  public ChunkSeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
    if (parts.size() == 1) {
      return parts.get(0).select(sorted, hints, matchers);
    }
    List<Cursor> cursors = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      cursors.add(new Cursor(i, parts.get(i).select(true, hints, matchers)));
    }
    return new ChunkSeriesSet() {
      private final PriorityQueue<Cursor> heap = new PriorityQueue<>();
      private final List<Cursor> group = new ArrayList<>();
      private boolean initialized;
      private ChunkSeries cur;
      private Exception err;

      private boolean advance(Cursor c) {
        if (c.set.next()) {
          c.series = c.set.at();
          return true;
        }
        if (c.set.error() != null && err == null) {
          err = c.set.error();
        }
        return false;
      }

      @Override
      public boolean next() {
        List<Cursor> refill = initialized ? new ArrayList<>(group) : cursors;
        initialized = true;
        for (Cursor c : refill) {
          if (advance(c)) {
            heap.add(c);
          }
        }
        group.clear();
        if (err != null || heap.isEmpty()) {
          cur = null;
          return false;
        }
        Cursor first = heap.poll();
        group.add(first);
        Labels labels = first.series.labels();
        while (!heap.isEmpty() && heap.peek().series.labels().equals(labels)) {
          group.add(heap.poll());
        }
        if (group.size() == 1) {
          cur = first.series;
          return true;
        }
        List<List<ChunkMeta>> perSource = new ArrayList<>(group.size());
        for (Cursor c : group) {
          perSource.add(c.series.chunks());
        }
        try {
          cur = new Merged(labels, Compactor.mergeChunks(perSource));
        } catch (IOException | RuntimeException e) {
          err = e;
          cur = null;
          return false;
        }
        return true;
      }

      @Override
      public ChunkSeries at() {
        return cur;
      }

      @Override
      public Exception error() {
        return err;
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
