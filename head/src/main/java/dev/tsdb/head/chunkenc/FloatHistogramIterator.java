package dev.tsdb.head.chunkenc;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.ValueType;
import java.io.IOException;
import java.util.Arrays;

/**
 * Decodes a "float histogram" chunk (encoding 3, format in {@link FloatHistogramAppender}) from
 * a byte[] range. Reusable via {@code reset}; {@link #atFloatHistogram} refills a caller's
 * instance, allocating only when its arrays have the wrong length.
 */
public final class FloatHistogramIterator implements SampleIterator {
  private static final long[] NO_BITS = {};
  private static final int[] NO_WINDOWS = {};

  private final BitReader r = new BitReader();
  private CounterResetHeader header = CounterResetHeader.UNKNOWN;
  private int numTotal;
  private int numRead;
  private boolean done;
  private Exception err;

  private HistogramLayout layout;
  private long t = Long.MIN_VALUE;
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

  /** Positions on a chunk held in {@code b[off, off+len)}; the sample count comes from its header. */
  public FloatHistogramIterator reset(byte[] b, int off, int len) {
    if (len < HistogramAppender.HEADER_BYTES) {
      init(b, off, off, 0);
      err = new IOException("float histogram chunk shorter than its header: " + len + " bytes");
      done = true;
      return this;
    }
    return reset(b, off, len, XorChunk.numSamples(b, off));
  }

  /** Like {@link #reset(byte[], int, int)} but decodes only the first {@code numSamples} samples. */
  public FloatHistogramIterator reset(byte[] b, int off, int len, int numSamples) {
    init(b, off, off + len, numSamples);
    if (len >= HistogramAppender.HEADER_BYTES) {
      header = CounterResetHeader.of(b, off);
    }
    return this;
  }

  private void init(byte[] b, int off, int end, int numSamples) {
    r.reset(b, Math.min(off + HistogramAppender.HEADER_BYTES, end), end);
    header = CounterResetHeader.UNKNOWN;
    numTotal = numSamples;
    numRead = 0;
    done = false;
    err = null;
    layout = null;
    t = Long.MIN_VALUE;
    tDelta = 0;
    cntBits = zCntBits = sumBits = 0;
    cntWindow = zCntWindow = sumWindow = BitWriter.NO_WINDOW;
  }

  @Override
  public ValueType next() {
    if (done || numRead >= numTotal) {
      done = true;
      return ValueType.NONE;
    }
    if (numRead == 0) {
      layout = HistogramLayout.read(r);
      if (layout == null) {
        return fail();
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
    } else {
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
    }
    if (r.eof()) {
      return fail();
    }
    numRead++;
    return ValueType.FLOAT_HISTOGRAM;
  }

  private void readBuckets(long[] bits, int[] windows) {
    for (int i = 0; i < bits.length; i++) {
      bits[i] = r.readXor(bits[i], windows[i]);
      windows[i] = r.window();
    }
  }

  private ValueType fail() {
    done = true;
    if (err == null) {
      err = new IOException("corrupt or truncated float histogram chunk: sample " + numRead
          + " of " + numTotal);
    }
    return ValueType.NONE;
  }

  @Override
  public ValueType seek(long target) {
    if (done) {
      return ValueType.NONE;
    }
    if (numRead > 0 && t >= target) {
      return ValueType.FLOAT_HISTOGRAM;
    }
    while (next() != ValueType.NONE) {
      if (t >= target) {
        return ValueType.FLOAT_HISTOGRAM;
      }
    }
    return ValueType.NONE;
  }

  @Override
  public long t() {
    return t;
  }

  /** Histogram chunks hold no float samples. */
  @Override
  public double v() {
    throw new IllegalStateException("float histogram chunk iterator has no float value");
  }

  /**
   * The current histogram, written into {@code into} (or a new instance when null). A stale
   * marker reads as an otherwise empty histogram whose sum is the stale NaN.
   */
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

  public CounterResetHeader counterResetHeader() {
    return header;
  }

  @Override
  public Exception error() {
    return err;
  }

  public int numRead() {
    return numRead;
  }

  public int numSamples() {
    return numTotal;
  }

  int bitsConsumed() {
    return r.bitsConsumed();
  }

  void exportState(FloatHistogramAppender a) {
    if (numRead > 0) {
      a.restore(layout, t, tDelta, cntBits, cntWindow, zCntBits, zCntWindow, sumBits, sumWindow,
          pBits, pWindows, nBits, nWindows);
    }
  }
}
