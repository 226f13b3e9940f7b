package dev.tsdb.head;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.Series;

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
  final long[] oooTs;
  final double[] oooVs;
  final int oooN;
  final long mint;
  final long maxt;
  /** Deleted intervals (see {@link HeadTombstones}) skipped by the iterator, or null. */
  long[] deleted;

  SeriesSnapshot(Labels labels, byte[][] sealed, int from, int to, int lastSealedLimit,
      byte[] headBuf, int headLen, int headCount, long[] oooTs, double[] oooVs, int oooN,
      long mint, long maxt) {
    this.labels = labels;
    this.sealed = sealed;
    this.from = from;
    this.to = to;
    this.lastSealedLimit = lastSealedLimit;
    this.headBuf = headBuf;
    this.headLen = headLen;
    this.headCount = headCount;
    this.oooTs = oooTs;
    this.oooVs = oooVs;
    this.oooN = oooN;
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
}
