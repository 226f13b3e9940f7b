package dev.tsdb.head.chunkenc;

import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.storage.ValueType;
import java.nio.ByteBuffer;

/**
 * Decodes a "histogram" chunk (encoding 2, format in {@link HistogramAppender}) from a byte[] or
 * ByteBuffer range. Reusable via {@code reset}; {@link #atHistogram} and {@link #atFloatHistogram}
 * refill a caller's instance, allocating only when its arrays have the wrong length (a new chunk
 * layout).
 */
public final class HistogramIterator extends HistogramChunkReader {
  private static final long[] NO_BUCKETS = {};

  private long cnt;
  private long zCnt;
  private long tDelta;
  private long cntDelta;
  private long zCntDelta;
  private long[] pBuckets = NO_BUCKETS; // delta-encoded as in Histogram
  private long[] nBuckets = NO_BUCKETS;
  private long[] pBucketsDelta = NO_BUCKETS;
  private long[] nBucketsDelta = NO_BUCKETS;
  private long sumBits;
  private int sumWindow;

  public HistogramIterator() {
    super(ValueType.HISTOGRAM);
  }

  /** Positions on a chunk held in {@code b[off, off+len)}; the sample count comes from its header. */
  public HistogramIterator reset(byte[] b, int off, int len) {
    position(b, off, len);
    return this;
  }

  /** Like {@link #reset(byte[], int, int)} but decodes only the first {@code numSamples} samples. */
  public HistogramIterator reset(byte[] b, int off, int len, int numSamples) {
    position(b, off, len, numSamples);
    return this;
  }

  /**
   * Positions on a chunk held in {@code buf[off, off+len)} (absolute indices; the buffer's
   * position and byte order are ignored), e.g. in a memory-mapped block segment; the sample count
   * comes from its header.
   */
  public HistogramIterator reset(ByteBuffer buf, int off, int len) {
    position(buf, off, len);
    return this;
  }

  @Override
  void clearState() {
    cnt = zCnt = tDelta = cntDelta = zCntDelta = 0;
    sumBits = 0;
    sumWindow = BitWriter.NO_WINDOW;
  }

  @Override
  boolean decodeNext() {
    if (numRead == 0) {
      layout = HistogramLayout.read(r);
      if (layout == null) {
        return false;
      }
      pBuckets = sized(pBuckets, layout.positiveBuckets);
      nBuckets = sized(nBuckets, layout.negativeBuckets);
      pBucketsDelta = sized(pBucketsDelta, layout.positiveBuckets);
      nBucketsDelta = sized(nBucketsDelta, layout.negativeBuckets);
      t = r.readVarbitInt();
      cnt = r.readVarbitUint();
      zCnt = r.readVarbitUint();
      sumBits = r.readBits(64);
      for (int i = 0; i < pBuckets.length; i++) {
        pBuckets[i] = r.readVarbitInt();
      }
      for (int i = 0; i < nBuckets.length; i++) {
        nBuckets[i] = r.readVarbitInt();
      }
      return true;
    }
    tDelta += r.readVarbitInt();
    t += tDelta;
    cntDelta += r.readVarbitInt();
    cnt += cntDelta;
    zCntDelta += r.readVarbitInt();
    zCnt += zCntDelta;
    sumBits = r.readXor(sumBits, sumWindow);
    sumWindow = r.window();
    if (sumBits != HistogramLayout.STALE_NAN_BITS) { // a stale marker has no buckets
      readBucketDods(pBuckets, pBucketsDelta);
      readBucketDods(nBuckets, nBucketsDelta);
    }
    return true;
  }

  private void readBucketDods(long[] buckets, long[] deltas) {
    for (int i = 0; i < buckets.length; i++) {
      deltas[i] += r.readVarbitInt();
      buckets[i] += deltas[i];
    }
  }

  /** A zeroed array of length n, reusing {@code a} when it fits. */
  private static long[] sized(long[] a, int n) {
    if (a.length != n) {
      return n == 0 ? NO_BUCKETS : new long[n];
    }
    java.util.Arrays.fill(a, 0);
    return a;
  }

  /**
   * The current histogram, written into {@code into} (or a new instance when null). A stale
   * marker reads as an otherwise empty histogram whose sum is the stale NaN.
   */
  @Override
  public Histogram atHistogram(Histogram into) {
    Histogram h = into != null ? into : new Histogram();
    if (sumBits == HistogramLayout.STALE_NAN_BITS) {
      Refill.fill(h);
      return h;
    }
    h.counterResetHint = header.hintFor(numRead);
    h.schema = layout.schema;
    h.zeroThreshold = layout.zeroThreshold;
    h.zeroCount = zCnt;
    h.count = cnt;
    h.sum = Double.longBitsToDouble(sumBits);
    h.positiveSpans = Refill.copyInto(h.positiveSpans, layout.positiveSpans);
    h.negativeSpans = Refill.copyInto(h.negativeSpans, layout.negativeSpans);
    h.positiveBuckets = Refill.copyInto(h.positiveBuckets, pBuckets);
    h.negativeBuckets = Refill.copyInto(h.negativeBuckets, nBuckets);
    h.customValues = Refill.copyInto(h.customValues, layout.customValues);
    return h;
  }

  /** The current histogram converted to float counts ({@link FloatHistogram#of}'s rules). */
  @Override
  public FloatHistogram atFloatHistogram(FloatHistogram into) {
    FloatHistogram f = into != null ? into : new FloatHistogram();
    if (sumBits == HistogramLayout.STALE_NAN_BITS) {
      Refill.fill(f);
      return f;
    }
    f.counterResetHint = header.hintFor(numRead);
    f.schema = layout.schema;
    f.zeroThreshold = layout.zeroThreshold;
    f.zeroCount = GoNumbers.uint64ToFloat64(zCnt);
    f.count = GoNumbers.uint64ToFloat64(cnt);
    f.sum = Double.longBitsToDouble(sumBits);
    f.positiveSpans = Refill.copyInto(f.positiveSpans, layout.positiveSpans);
    f.negativeSpans = Refill.copyInto(f.negativeSpans, layout.negativeSpans);
    f.positiveBuckets = FloatHistogram.absoluteCounts(pBuckets, f.positiveBuckets);
    f.negativeBuckets = FloatHistogram.absoluteCounts(nBuckets, f.negativeBuckets);
    f.customValues = Refill.copyInto(f.customValues, layout.customValues);
    return f;
  }

  void exportState(HistogramAppender a) {
    if (numRead > 0) {
      a.restore(layout, t, cnt, zCnt, tDelta, cntDelta, zCntDelta, pBuckets, nBuckets,
          pBucketsDelta, nBucketsDelta, sumBits);
    }
  }
}
