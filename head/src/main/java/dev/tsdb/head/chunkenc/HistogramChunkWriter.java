package dev.tsdb.head.chunkenc;

import java.util.Arrays;

/**
 * What both histogram chunk appenders share: the bit stream with its 3-byte header (sample
 * count, counter reset bits), the layout written by the first sample, and the accessors. Public
 * so the head can hold an open chunk of either kind; only this package extends it.
 */
public abstract class HistogramChunkWriter {
  static final int HEADER_BYTES = 3;

  final BitWriter w;
  final Appendability check = new Appendability();
  int num;
  HistogramLayout layout; // null until the first sample
  long t;
  long sumBits; // the last sample's sum (a stale marker's NaN included)

  HistogramChunkWriter(BitWriter w) {
    this.w = w;
  }

  /** Counts one more sample in the header. */
  final void countSample() {
    num++;
    w.setByte(0, num >>> 8);
    w.setByte(1, num);
  }

  /** {@link ChunkEncoding#HISTOGRAM} or {@link ChunkEncoding#FLOAT_HISTOGRAM}. */
  public abstract byte encoding();

  public final CounterResetHeader counterResetHeader() {
    return CounterResetHeader.fromByte(w.getByte(CounterResetHeader.BYTE_INDEX));
  }

  public final void setCounterResetHeader(CounterResetHeader h) {
    int b = w.getByte(CounterResetHeader.BYTE_INDEX);
    w.setByte(CounterResetHeader.BYTE_INDEX, (b & ~CounterResetHeader.MASK) | h.headerBits());
  }

  public final int numSamples() {
    return num;
  }

  /** Length of the chunk data in bytes (what Prometheus's Chunk.Bytes() holds). */
  public final int byteLength() {
    return w.byteLength();
  }

  /**
   * The live backing array; bytes {@code [0, byteLength())} are the chunk. Readers snapshot it
   * with {@link #byteLength()} and {@link #numSamples()} under the writer's lock, as for
   * {@link XorAppender}.
   */
  public final byte[] buffer() {
    return w.buffer();
  }

  /** An exact-length copy of the chunk bytes. */
  public final byte[] toBytes() {
    return Arrays.copyOf(w.buffer(), w.byteLength());
  }

  /** Drops spare capacity. */
  public final void trim() {
    w.trim();
  }

  /** Bytes held by the backing array, for memory accounting. */
  public final int capacity() {
    return w.capacity();
  }

  public final long lastTimestamp() {
    return t;
  }

  /**
   * Whether a gauge histogram with these properties fits this chunk (Prometheus's
   * appendableGauge, the same for both kinds): same schema, zero threshold and custom bounds, and
   * no stale marker last; buckets may come and go both ways. The result is reused by the next call.
   */
  final Appendability appendableGauge(double sum, int schema, double zeroThreshold,
      double[] customValues, int[] positiveSpans, int[] negativeSpans) {
    Appendability ap = check;
    ap.reset(true);
    if (num == 0) {
      ap.okToAppend = true;
      return ap;
    }
    if (counterResetHeader() != CounterResetHeader.GAUGE) {
      return ap;
    }
    if (HistogramLayout.isStale(sum)) {
      ap.okToAppend = true;
      return ap;
    }
    if (sumBits == HistogramLayout.STALE_NAN_BITS
        || !layout.sameBounds(schema, zeroThreshold, customValues)) {
      return ap;
    }
    ap.merge(true, layout.positiveSpans, positiveSpans, null, null, null, null, false);
    ap.merge(false, layout.negativeSpans, negativeSpans, null, null, null, null, false);
    ap.okToAppend = true;
    return ap;
  }

  /** Whether {@code bucketCounts} match the chunk layout's positive/negative bucket counts. */
  final void checkBuckets(int positive, int negative) {
    if (positive != layout.positiveBuckets || negative != layout.negativeBuckets) {
      throw new IllegalArgumentException("histogram has " + positive + "/" + negative
          + " buckets, chunk layout " + layout.positiveBuckets + "/" + layout.negativeBuckets);
    }
  }
}
