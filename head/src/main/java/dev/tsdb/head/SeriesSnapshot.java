package dev.tsdb.head;

import dev.tsdb.head.mmap.HeadChunkFiles;
import dev.tsdb.index.storage.QueryCancellation;
import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.Series;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * What a query sees of one head series: references to its sealed chunks (shared, never mutated
 * below the captured bounds), the visible prefix of the open chunk, and the out-of-order samples
 * in range. Immutable; iterating needs no lock.
 */
final class SeriesSnapshot implements Series {
  final Labels labels;
  final byte[][] sealed;
  final int from;
  final int to;
  final int lastSealedLimit; // samples to read from sealed[to-1], or -1 for all
  final byte[] headBuf;
  final int headLen;
  final int headCount;
  final byte headEncoding; // of the open chunk (ChunkEncoding)
  final OooSamples ooo;
  final long[] oooTs; // ooo's, for the merge's hot loop
  final int oooN;
  final long mint;
  final long maxt;
  /** Deleted intervals (see {@link HeadTombstones}) skipped by the iterator, or null. */
  long[] deleted;
  /** Where sealed chunk stubs ({@link SealedChunk#isMapped}) have their data; null: none. */
  HeadChunkFiles files;

  SeriesSnapshot(Labels labels, byte[][] sealed, int from, int to, int lastSealedLimit,
      byte[] headBuf, int headLen, int headCount, byte headEncoding, OooSamples ooo,
      long mint, long maxt) {
    this.labels = labels;
    this.sealed = sealed;
    this.from = from;
    this.to = to;
    this.lastSealedLimit = lastSealedLimit;
    this.headBuf = headBuf;
    this.headLen = headLen;
    this.headCount = headCount;
    this.headEncoding = headEncoding;
    this.ooo = ooo;
    this.oooTs = ooo.ts;
    this.oooN = ooo.n;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public Labels labels() {
    return labels;
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    HeadSeriesIterator it =
        reuse instanceof HeadSeriesIterator h ? h : new HeadSeriesIterator();
    it.reset(this);
    return it;
  }

  /**
   * Snapshots of the head series the matchers select, as of commit {@code readerSeq} and
   * restricted to [lo, hi]: postings select the series, each is snapshotted under its lock
   * (references, no copies of sealed chunks). Series whose samples in range are all deleted are
   * left out, as Prometheus does. Sorted in Go's byte order, as blocks are, when asked.
   */
  static List<SeriesSnapshot> select(Head head, long readerSeq, long lo, long hi, boolean sorted,
      Matcher... matchers) {
    RoaringBitmap ids = head.postings.select(matchers);
    List<SeriesSnapshot> out = new ArrayList<>(Math.min(ids.getCardinality(), 1 << 16));
    IntIterator it = ids.getIntIterator();
    long seen = 0;
    while (it.hasNext()) {
      QueryCancellation.checkEvery(seen++);
      MemSeries s = head.table.get(it.next());
      if (s == null) {
        continue;
      }
      long[] deleted = head.tombstones.get(s.id);
      SeriesSnapshot snap;
      synchronized (s) {
        if (deleted != null && HeadTombstones.covers(deleted, Math.max(lo, s.minTime()),
            Math.min(hi, s.maxTimeAll()))) {
          continue;
        }
        snap = s.snapshot(readerSeq, lo, hi);
      }
      if (snap != null) {
        snap.deleted = deleted;
        snap.files = head.chunkFiles;
        out.add(snap);
      }
    }
    if (sorted) {
      long[] compared = {0};
      out.sort((a, b) -> {
        QueryCancellation.checkEvery(++compared[0]); // sorting millions of series takes a while
        return Utf8Order.compare(a.labels, b.labels);
      });
    }
    return out;
  }
}
