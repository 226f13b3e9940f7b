package dev.tsdb.head.chunkenc;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.storage.ValueType;
import java.util.Arrays;

/**
 * An open "float histogram" chunk (encoding 3), Prometheus's bytes exactly. Header and layout as
 * in {@link HistogramAppender}; the first sample holds t (varbit int) and the 64 bits of count,
 * zero count, sum and every (absolute) bucket count; later samples hold t's delta-of-delta
 * (varbit int) and each of those floats XORed against its previous value as in XOR chunks, each
 * with its own leading/trailing-zero window. A stale marker writes zero counts and no buckets.
 *
 * <p>The same API as {@link HistogramAppender}.
 */
public final class FloatHistogramAppender extends HistogramChunkWriter {
  private static final long[] NO_BITS = {};
  private static final int[] NO_WINDOWS = {};
  private static final double[] NO_VALUES = {};

  private final AppendOutcome<FloatHistogramAppender> appended =
      new AppendOutcome<>(this, AppendOutcome.Kind.APPENDED);
  private long tDelta;
  private long cntBits;
  private int cntWindow = BitWriter.NO_WINDOW;
  private long zCntBits;
  private int zCntWindow = BitWriter.NO_WINDOW;
  private int sumWindow = BitWriter.NO_WINDOW;
  private long[] pBits = NO_BITS; // last bucket counts' float bits
  private int[] pWindows = NO_WINDOWS;
  private long[] nBits = NO_BITS;
  private int[] nWindows = NO_WINDOWS;
  private double[] absA = new double[0];

  public FloatHistogramAppender() {
    this(128);
  }

  public FloatHistogramAppender(int initialCapacity) {
    super(new BitWriter(HEADER_BYTES, initialCapacity));
  }

  private FloatHistogramAppender(BitWriter w) {
    super(w);
  }

  /**
   * Continues appending to an existing chunk (copied).
   *
   * @throws IllegalArgumentException when the chunk does not decode
   */
  public static FloatHistogramAppender resume(byte[] chunk, int off, int len) {
    FloatHistogramIterator it = new FloatHistogramIterator().reset(chunk, off, len);
    while (it.next() != ValueType.NONE) {
      // walk to the end to recover the appender state
    }
    if (it.error() != null) {
      throw new IllegalArgumentException("corrupt float histogram chunk", it.error());
    }
    FloatHistogramAppender a = new FloatHistogramAppender(
        new BitWriter(chunk, off, len, HEADER_BYTES * 8 + it.bitsConsumed()));
    a.num = it.numRead();
    it.exportState(a);
    return a;
  }

  void restore(HistogramLayout l, long t, long tDelta, long cnt, int cntW, long zCnt, int zCntW,
      long sum, int sumW, long[] pB, int[] pW, long[] nB, int[] nW) {
    layout = l;
    this.t = t;
    this.tDelta = tDelta;
    cntBits = cnt;
    cntWindow = cntW;
    zCntBits = zCnt;
    zCntWindow = zCntW;
    sumBits = sum;
    sumWindow = sumW;
    pBits = pB.clone();
    pWindows = pW.clone();
    nBits = nB.clone();
    nWindows = nW.clone();
  }

  /** As {@link HistogramAppender#append}: cut, recode or append, as Prometheus's head does. */
  public AppendOutcome<FloatHistogramAppender> append(long ts, FloatHistogram h,
      FloatHistogramAppender prev) {
    if (num == 0) {
      appendExact(ts, h);
      if (h.counterResetHint == CounterResetHint.GAUGE) {
        setCounterResetHeader(CounterResetHeader.GAUGE);
      } else if (h.counterResetHint == CounterResetHint.COUNTER_RESET) {
        setCounterResetHeader(CounterResetHeader.COUNTER_RESET);
      } else if (prev != null) {
        // Float chunks record "no reset" whenever the previous chunk shows none.
        setCounterResetHeader(prev.appendable(h).hint == CounterResetHeader.COUNTER_RESET
            ? CounterResetHeader.COUNTER_RESET : CounterResetHeader.NOT_COUNTER_RESET);
      }
      return appended;
    }
    boolean gauge = h.counterResetHint == CounterResetHint.GAUGE;
    Appendability ap = gauge ? appendableGauge(h) : appendable(h);
    if (!ap.fits()) {
      FloatHistogramAppender next = new FloatHistogramAppender();
      if (gauge) {
        next.setCounterResetHeader(CounterResetHeader.GAUGE);
      } else if (ap.hint == CounterResetHeader.COUNTER_RESET) {
        next.setCounterResetHeader(CounterResetHeader.COUNTER_RESET);
      }
      next.appendExact(ts, h);
      return new AppendOutcome<>(next, AppendOutcome.Kind.NEW_CHUNK);
    }
    if (ap.needsRecode()) {
      int[] pos = ap.recodePositiveSpans(h.positiveSpans);
      int[] neg = ap.recodeNegativeSpans(h.negativeSpans);
      FloatHistogram expanded = expandHistogram(h, ap, pos, neg);
      FloatHistogramAppender recoded = recode(ap, pos, neg);
      recoded.appendExact(ts, expanded);
      return new AppendOutcome<>(recoded, AppendOutcome.Kind.RECODED);
    }
    appendExact(ts, ap.expandsHistogram()
        ? expandHistogram(h, ap, layout.positiveSpans, layout.negativeSpans) : h);
    return appended;
  }

  private static FloatHistogram expandHistogram(FloatHistogram h, Appendability ap, int[] pos,
      int[] neg) {
    if (!ap.expandsHistogram() || HistogramLayout.isStale(h.sum)) {
      return h;
    }
    FloatHistogram e = h.copy();
    e.positiveSpans = pos;
    e.negativeSpans = neg;
    if (ap.nPosBackward > 0) {
      e.positiveBuckets = Appendability.insertAbsolute(h.positiveBuckets, ap.posBackward,
          ap.nPosBackward, Histogram.bucketsCovered(pos));
    }
    if (ap.nNegBackward > 0) {
      e.negativeBuckets = Appendability.insertAbsolute(h.negativeBuckets, ap.negBackward,
          ap.nNegBackward, Histogram.bucketsCovered(neg));
    }
    return e;
  }

  /** Whether a counter histogram fits this chunk (see {@link Appendability}). */
  public Appendability appendable(FloatHistogram h) {
    Appendability ap = check;
    ap.reset(false);
    if (num == 0) {
      ap.okToAppend = true;
      return ap;
    }
    if (counterResetHeader() == CounterResetHeader.GAUGE) {
      ap.hint = CounterResetHeader.UNKNOWN;
      return ap;
    }
    if (h.counterResetHint == CounterResetHint.COUNTER_RESET) {
      ap.hint = CounterResetHeader.COUNTER_RESET;
      return ap;
    }
    if (HistogramLayout.isStale(h.sum)) {
      ap.okToAppend = true;
      return ap;
    }
    ap.hint = CounterResetHeader.UNKNOWN; // what a new chunk gets unless a reset is found
    if (sumBits == HistogramLayout.STALE_NAN_BITS) {
      return ap;
    }
    if (h.count < Double.longBitsToDouble(cntBits)) {
      ap.hint = CounterResetHeader.COUNTER_RESET;
      return ap;
    }
    if (h.schema != layout.schema || h.zeroThreshold != layout.zeroThreshold) {
      return ap;
    }
    if (!layout.sameBounds(h.schema, h.zeroThreshold, h.customValues)
        || h.zeroCount < Double.longBitsToDouble(zCntBits)) {
      ap.hint = CounterResetHeader.COUNTER_RESET;
      return ap;
    }
    if (!ap.merge(true, layout.positiveSpans, h.positiveSpans, null, null,
            absolute(pBits), h.positiveBuckets, true)
        || !ap.merge(false, layout.negativeSpans, h.negativeSpans, null, null,
            absolute(nBits), h.negativeBuckets, true)) {
      ap.hint = CounterResetHeader.COUNTER_RESET;
      return ap;
    }
    ap.okToAppend = true;
    ap.hint = CounterResetHeader.NOT_COUNTER_RESET;
    return ap;
  }

  private double[] absolute(long[] bits) {
    if (absA.length < bits.length) {
      absA = new double[bits.length];
    }
    for (int i = 0; i < bits.length; i++) {
      absA[i] = Double.longBitsToDouble(bits[i]);
    }
    return absA;
  }

  /** Whether a gauge histogram fits this chunk (see {@link HistogramAppender#appendableGauge}). */
  public Appendability appendableGauge(FloatHistogram h) {
    return appendableGauge(h.sum, h.schema, h.zeroThreshold, h.customValues, h.positiveSpans,
        h.negativeSpans);
  }


  /** A new appender holding this chunk rewritten with wider spans (see HistogramAppender). */
  public FloatHistogramAppender recode(Appendability ap, int[] positiveSpans,
      int[] negativeSpans) {
    FloatHistogramAppender out = new FloatHistogramAppender(w.capacity() + 16);
    FloatHistogramIterator it = iterator(null);
    int pLen = Histogram.bucketsCovered(positiveSpans);
    int nLen = Histogram.bucketsCovered(negativeSpans);
    while (it.next() != ValueType.NONE) {
      FloatHistogram old = it.atFloatHistogram(null);
      old.positiveSpans = positiveSpans;
      old.negativeSpans = negativeSpans;
      if (ap.nPosForward > 0) {
        old.positiveBuckets = Appendability.insertAbsolute(old.positiveBuckets, ap.posForward,
            ap.nPosForward, pLen);
      }
      if (ap.nNegForward > 0) {
        old.negativeBuckets = Appendability.insertAbsolute(old.negativeBuckets, ap.negForward,
            ap.nNegForward, nLen);
      }
      out.appendExact(it.t(), old);
    }
    out.setCounterResetHeader(counterResetHeader());
    return out;
  }

  /** Appends without any check (see {@link HistogramAppender#appendExact}). */
  public void appendExact(long ts, FloatHistogram h) {
    boolean stale = HistogramLayout.isStale(h.sum);
    double[] pos = stale ? NO_VALUES : h.positiveBuckets;
    double[] neg = stale ? NO_VALUES : h.negativeBuckets;
    long count = Double.doubleToRawLongBits(stale ? 0 : h.count);
    long zeroCount = Double.doubleToRawLongBits(stale ? 0 : h.zeroCount);
    long sum = Double.doubleToRawLongBits(h.sum);
    long newTDelta = 0;
    if (num == 0) {
      layout = stale ? HistogramLayout.EMPTY : new HistogramLayout(h.schema, h.zeroThreshold,
          h.positiveSpans.clone(), h.negativeSpans.clone(), h.customValues.clone());
      checkBuckets(pos.length, neg.length);
      layout.write(w);
      pBits = new long[layout.positiveBuckets];
      nBits = new long[layout.negativeBuckets];
      pWindows = new int[layout.positiveBuckets];
      nWindows = new int[layout.negativeBuckets];
      Arrays.fill(pWindows, BitWriter.NO_WINDOW);
      Arrays.fill(nWindows, BitWriter.NO_WINDOW);
      w.writeVarbitInt(ts);
      w.writeBits(count, 64);
      w.writeBits(zeroCount, 64);
      w.writeBits(sum, 64);
      for (int i = 0; i < pos.length; i++) {
        pBits[i] = Double.doubleToRawLongBits(pos[i]);
        w.writeBits(pBits[i], 64);
      }
      for (int i = 0; i < neg.length; i++) {
        nBits[i] = Double.doubleToRawLongBits(neg[i]);
        w.writeBits(nBits[i], 64);
      }
    } else {
      if (!stale) {
        checkBuckets(pos.length, neg.length);
      }
      newTDelta = ts - t;
      w.writeVarbitInt(newTDelta - tDelta);
      cntWindow = w.writeXor(count, cntBits, cntWindow);
      zCntWindow = w.writeXor(zeroCount, zCntBits, zCntWindow);
      sumWindow = w.writeXor(sum, sumBits, sumWindow);
      writeBuckets(pos, pBits, pWindows);
      writeBuckets(neg, nBits, nWindows);
    }
    countSample();
    t = ts;
    tDelta = newTDelta;
    cntBits = count;
    zCntBits = zeroCount;
    sumBits = sum;
  }

  private void writeBuckets(double[] values, long[] lastBits, int[] windows) {
    for (int i = 0; i < values.length; i++) {
      long bits = Double.doubleToRawLongBits(values[i]);
      windows[i] = w.writeXor(bits, lastBits[i], windows[i]);
      lastBits[i] = bits;
    }
  }

  public byte encoding() {
    return ChunkEncoding.FLOAT_HISTOGRAM;
  }

  public FloatHistogramIterator iterator(FloatHistogramIterator reuse) {
    FloatHistogramIterator it = reuse != null ? reuse : new FloatHistogramIterator();
    return it.reset(w.buffer(), 0, w.byteLength(), num);
  }
}
