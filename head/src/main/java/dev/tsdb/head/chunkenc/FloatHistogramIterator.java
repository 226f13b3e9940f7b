package dev.tsdb.head.chunkenc;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.storage.ValueType;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Decodes a "float histogram" chunk (encoding 3, format in {@link FloatHistogramAppender}) from
 * a byte[] or ByteBuffer range. Reusable via {@code reset}; {@link #atFloatHistogram} refills a
 * caller's instance, allocating only when its arrays have the wrong length.
 */
public final class FloatHistogramIterator extends HistogramChunkReader {
  private static final long[] NO_BITS = {};
  private static final int[] NO_WINDOWS = {};

  private long tDelta;
  private long cntBits;
  private int cntWindow;
  private long zCntBits;
  private int zCntWindow;
  private long sumBits;
  private int sumWindow;
  private long[] pBits = NO_BITS;
  private int[] pWindows = NO_WINDOWS;
  private long[] nBits = NO_BITS;
  private int[] nWindows = NO_WINDOWS;

  public FloatHistogramIterator() {
    super(ValueType.FLOAT_HISTOGRAM);
  }

  /** Positions on a chunk held in {@code b[off, off+len)}; the sample count comes from its header. */
  public FloatHistogramIterator reset(byte[] b, int off, int len) {
    position(b, off, len);
    return this;
  }

  /** Like {@link #reset(byte[], int, int)} but decodes only the first {@code numSamples} samples. */
  public FloatHistogramIterator reset(byte[] b, int off, int len, int numSamples) {
    position(b, off, len, numSamples);
    return this;
  }

  /**
   * Positions on a chunk held in {@code buf[off, off+len)} (absolute indices; the buffer's
   * position and byte order are ignored), e.g. in a memory-mapped block segment; the sample count
   * comes from its header.
   */
  public FloatHistogramIterator reset(ByteBuffer buf, int off, int len) {
    position(buf, off, len);
    return this;
  }

  @Override
  void clearState() {
    tDelta = 0;
    cntBits = zCntBits = sumBits = 0;
    cntWindow = zCntWindow = sumWindow = BitWriter.NO_WINDOW;
  }

  @Override
  boolean decodeNext() {
    if (numRead == 0) {
      layout = HistogramLayout.read(r);
      if (layout == null) {
        return false;
      }
      if (pBits.length != layout.positiveBuckets) {
        pBits = new long[layout.positiveBuckets];
        pWindows = new int[layout.positiveBuckets];
      }
      if (nBits.length != layout.negativeBuckets) {
        nBits = new long[layout.negativeBuckets];
        nWindows = new int[layout.negativeBuckets];
      }
      Arrays.fill(pWindows, BitWriter.NO_WINDOW);
      Arrays.fill(nWindows, BitWriter.NO_WINDOW);
      t = r.readVarbitInt();
      cntBits = r.readBits(64);
      zCntBits = r.readBits(64);
      sumBits = r.readBits(64);
      for (int i = 0; i < pBits.length; i++) {
        pBits[i] = r.readBits(64);
      }
      for (int i = 0; i < nBits.length; i++) {
        nBits[i] = r.readBits(64);
      }
      return true;
    }
    tDelta += r.readVarbitInt();
    t += tDelta;
    cntBits = r.readXor(cntBits, cntWindow);
    cntWindow = r.window();
    zCntBits = r.readXor(zCntBits, zCntWindow);
    zCntWindow = r.window();
    sumBits = r.readXor(sumBits, sumWindow);
    sumWindow = r.window();
    if (sumBits != HistogramLayout.STALE_NAN_BITS) { // a stale marker has no buckets
      readBuckets(pBits, pWindows);
      readBuckets(nBits, nWindows);
    }
    return true;
  }

  private void readBuckets(long[] bits, int[] windows) {
    for (int i = 0; i < bits.length; i++) {
      bits[i] = r.readXor(bits[i], windows[i]);
      windows[i] = r.window();
    }
  }

  /**
   * The current histogram, written into {@code into} (or a new instance when null). A stale
   * marker reads as an otherwise empty histogram whose sum is the stale NaN.
   */
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
    f.zeroCount = Double.longBitsToDouble(zCntBits);
    f.count = Double.longBitsToDouble(cntBits);
    f.sum = Double.longBitsToDouble(sumBits);
    f.positiveSpans = Refill.copyInto(f.positiveSpans, layout.positiveSpans);
    f.negativeSpans = Refill.copyInto(f.negativeSpans, layout.negativeSpans);
    f.positiveBuckets = Refill.floatsInto(f.positiveBuckets, pBits);
    f.negativeBuckets = Refill.floatsInto(f.negativeBuckets, nBits);
    f.customValues = Refill.copyInto(f.customValues, layout.customValues);
    return f;
  }

  void exportState(FloatHistogramAppender a) {
    if (numRead > 0) {
      a.restore(layout, t, tDelta, cntBits, cntWindow, zCntBits, zCntWindow, sumBits, sumWindow,
          pBits, pWindows, nBits, nWindows);
    }
  }
}
