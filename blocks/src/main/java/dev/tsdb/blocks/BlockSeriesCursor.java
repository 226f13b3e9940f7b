package dev.tsdb.blocks;

import dev.tsdb.index.storage.QueryCancellation;
import dev.tsdb.index.format.ChunkMetas;
import dev.tsdb.index.format.CorruptIndexException;
import dev.tsdb.index.format.IndexReader;
import dev.tsdb.index.labels.Labels;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Walks the series references selected by matchers in order (which is label order), decoding
 * each series' labels and chunk metadata and keeping only chunks that overlap [mint, maxt] and
 * are not entirely deleted. Series left without chunks are skipped.
 */
final class BlockSeriesCursor {
  private final IndexReader index;
  private final Tombstones tombstones;
  private final IntIterator refs;
  private final long mint;
  private final long maxt;
  final ChunkMetas metas = new ChunkMetas();
  Labels labels;
  Intervals deleted;
  long ref;
  Exception error;
  /** References looked at, for periodic cancellation checks. */
  private long visited;

  BlockSeriesCursor(IndexReader index, Tombstones tombstones, RoaringBitmap refs, long mint,
      long maxt) {
    this.index = index;
    this.tombstones = tombstones;
    this.refs = refs.getIntIterator();
    this.mint = mint;
    this.maxt = maxt;
  }

  boolean next() {
    if (error != null) {
      return false;
    }
    try {
      while (refs.hasNext()) {
        QueryCancellation.checkEvery(++visited);
        ref = refs.next() & 0xffffffffL;
        labels = index.series(ref, metas);
        metas.retainOverlapping(mint, maxt);
        deleted = tombstones.get(ref);
        if (!deleted.isEmpty()) {
          for (int i = metas.size() - 1; i >= 0; i--) {
            if (deleted.covers(metas.minTime(i), metas.maxTime(i))) {
              metas.removeAt(i);
            }
          }
        }
        if (metas.size() > 0) {
          return true;
        }
      }
    } catch (CorruptIndexException e) {
      error = e;
    }
    return false;
  }
}
