package dev.tsdb.blocks;

import dev.tsdb.blocks.chunks.ChunkReader;
import dev.tsdb.blocks.chunks.CorruptChunkException;
import dev.tsdb.head.ChunkReencoder;
import dev.tsdb.index.format.ChunkMetas;
import dev.tsdb.index.format.CorruptIndexException;
import dev.tsdb.index.postings.PostingsForMatchers;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkSeries;
import dev.tsdb.index.storage.ChunkSeriesSet;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.SelectRange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads a block's series as encoded chunks: whole chunks overlapping the range, as views of the
 * mapped segment files. A chunk that tombstones partly delete is re-encoded without the deleted
 * samples, so consumers (compaction, remote read) never see deleted data.
 */
final class BlockChunkQuerier implements ChunkQuerier {
  /** A chunk's sample count is a uint16: re-encoding one chunk never needs a cut by count. */
  private static final int MAX_CHUNK_SAMPLES = 0xffff;

  private final Block block;
  private final long mint;
  private final long maxt;
  private boolean closed;

  BlockChunkQuerier(Block block, long mint, long maxt) {
    this.block = block;
    this.mint = mint;
    this.maxt = maxt;
  }

  private record Series(Labels labels, List<ChunkMeta> chunks) implements ChunkSeries {}

  @Override
  public ChunkSeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
    SelectRange r = SelectRange.of(mint, maxt, hints);
    if (r.isEmpty()) {
      return ChunkSeriesSet.empty();
    }
    RoaringBitmap refs;
    try {
      refs = PostingsForMatchers.select(block.postings(), matchers);
    } catch (CorruptIndexException e) {
      return ChunkSeriesSet.failed(e); // not "no series": compaction would drop them silently
    }
    BlockSeriesCursor c = new BlockSeriesCursor(block.index(), block.tombstones(), refs, r.mint(), r.maxt());
    ChunkReader chunks = block.chunks();
    return new ChunkSeriesSet() {
      private ChunkSeries cur;
      private Exception err;
      private final ChunkReader.ChunkView view = new ChunkReader.ChunkView();

      @Override
      public boolean next() {
        if (err != null) {
          return false;
        }
        while (c.next()) {
          List<ChunkMeta> out = new ArrayList<>(c.metas.size());
          try {
            for (int i = 0; i < c.metas.size(); i++) {
              chunks.read(c.metas.ref(i), view);
              ChunkMeta m = new ChunkMeta(c.metas.minTime(i), c.metas.maxTime(i), view.encoding(),
                  view.data());
              if (overlapsDeleted(c.deleted, m)) {
                out.addAll(withoutDeleted(m, c.deleted));
              } else {
                out.add(m);
              }
            }
          } catch (CorruptChunkException | IOException e) {
            err = e;
            return false;
          }
          if (!out.isEmpty()) {
            cur = new Series(c.labels, out);
            return true;
          }
        }
        err = c.error;
        return false;
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

  private static boolean overlapsDeleted(Intervals deleted, ChunkMeta m) {
    for (int i = 0; i < deleted.size(); i++) {
      if (deleted.mint(i) <= m.maxTime() && m.minTime() <= deleted.maxt(i)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Re-encodes a chunk of any encoding without its deleted samples (histograms keep their chunk
   * kind and counter reset header); empty when nothing remains.
   */
  static List<ChunkMeta> withoutDeleted(ChunkMeta m, Intervals deleted) throws IOException {
    ChunkListIterator it = new ChunkListIterator(List.of(m), deleted);
    List<ChunkMeta> out = new ArrayList<>(1);
    ChunkReencoder.encode(it, Long.MIN_VALUE, Long.MAX_VALUE, MAX_CHUNK_SAMPLES, out);
    if (it.error() != null) {
      throw new IOException("decoding chunk: " + it.error().getMessage(), it.error());
    }
    return out;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      block.release();
    }
  }
}
