package dev.tsdb.head.chunkenc;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.storage.ValueType;

/**
 * An open "histogram" chunk (encoding 2, integer native histograms), Prometheus's bytes exactly.
 *
 * <p>Layout (chunks.md, "Histogram chunk data"): sample count uint16 BE | header byte (counter
 * reset bits in the top two, see {@link CounterResetHeader}) | the {@link HistogramLayout} written
 * once | samples. The first sample holds t (varbit int), count and zero count (varbit uints), the
 * sum's 64 bits and each bucket's delta as stored in the histogram (varbit ints). Later samples
 * hold delta-of-deltas (the second one's "dod" is its delta) of t, count, zero count and every
 * bucket as varbit ints, and the sum XORed against the previous sum as in XOR chunks. A stale
 * marker (sum = stale NaN) writes zero dods for the counts and no buckets.
 *
 * <p>Use {@link #append(long, Histogram, HistogramAppender)} to get Prometheus's head behaviour
 * (cut, recode or append); {@link #appendable}, {@link #appendableGauge}, {@link #recode} and
 * {@link #appendExact} are the steps it combines. Single writer; readers snapshot
 * {@link #buffer()}/{@link #byteLength()}/{@link #numSamples()} as for {@link XorAppender}.
 */
public final class HistogramAppender extends HistogramChunkWriter {
  static final int HEADER_BYTES = HistogramChunkWriter.HEADER_BYTES;
  private static final long[] NO_BUCKETS = {};

  private final AppendOutcome<HistogramAppender> appended =
      new AppendOutcome<>(this, AppendOutcome.Kind.APPENDED);
  private long cnt;
  private long zCnt;
  private long tDelta;
  private long cntDelta;
  private long zCntDelta;
  private long[] pBuckets = NO_BUCKETS; // last sample's buckets, delta-encoded as in Histogram
  private long[] nBuckets = NO_BUCKETS;
  private long[] pBucketsDelta = NO_BUCKETS; // their change since the sample before
  private long[] nBucketsDelta = NO_BUCKETS;
  private int sumWindow = BitWriter.NO_WINDOW;
  // Scratch absolute counts for appendable.
  private long[] absA = NO_BUCKETS;
  private long[] absB = NO_BUCKETS;

  public HistogramAppender() {
    this(128);
  }

  public HistogramAppender(int initialCapacity) {
    super(new BitWriter(HEADER_BYTES, initialCapacity));
  }

  private HistogramAppender(BitWriter w) {
    super(w);
  }

  /**
   * Continues appending to an existing chunk (copied).
   *
   * @throws IllegalArgumentException when the chunk does not decode
   */
  public static HistogramAppender resume(byte[] chunk, int off, int len) {
    HistogramIterator it = new HistogramIterator().reset(chunk, off, len);
    while (it.next() != ValueType.NONE) {
      // walk to the end to recover the appender state
    }
    if (it.error() != null) {
      throw new IllegalArgumentException("corrupt histogram chunk", it.error());
    }
    HistogramAppender a = new HistogramAppender(
        new BitWriter(chunk, off, len, HEADER_BYTES * 8 + it.bitsConsumed()));
    a.num = it.numRead();
    it.exportState(a);
    return a;
  }

  void restore(HistogramLayout l, long t, long cnt, long zCnt, long tDelta, long cntDelta,
      long zCntDelta, long[] pB, long[] nB, long[] pD, long[] nD, long sumBits) {
    this.layout = l;
    this.t = t;
    this.cnt = cnt;
    this.zCnt = zCnt;
    this.tDelta = tDelta;
    this.cntDelta = cntDelta;
    this.zCntDelta = zCntDelta;
    this.pBuckets = pB.clone();
    this.nBuckets = nB.clone();
    this.pBucketsDelta = pD.clone();
    this.nBucketsDelta = nD.clone();
    this.sumBits = sumBits;
    // Like XorAppender.resume: a fresh XOR window is as valid as the reader's.
  }

  /**
   * Appends {@code h} at {@code ts} the way Prometheus's head does: into this chunk if it fits
   * (recoding the chunk to a wider layout, or filling missing empty buckets of the histogram, as
   * needed), else into a new chunk whose header records the counter reset state. Gauge
   * histograms (hint GAUGE) go to gauge chunks. {@code h} is not modified.
   *
   * @param prev when this appender is a new, empty chunk cut for another reason (size), the
   *     previous chunk's appender, so the header can record whether a reset happened between them
   */
  public AppendOutcome<HistogramAppender> append(long ts, Histogram h, HistogramAppender prev) {
    if (num == 0) {
      appendExact(ts, h);
      if (h.counterResetHint == CounterResetHint.GAUGE) {
        setCounterResetHeader(CounterResetHeader.GAUGE);
      } else if (h.counterResetHint == CounterResetHint.COUNTER_RESET) {
        setCounterResetHeader(CounterResetHeader.COUNTER_RESET);
      } else if (prev != null) {
        setCounterResetHeader(prev.appendable(h).hint);
      }
      return appended;
    }
    boolean gauge = h.counterResetHint == CounterResetHint.GAUGE;
    Appendability ap = gauge ? appendableGauge(h) : appendable(h);
    if (!ap.fits()) {
      HistogramAppender next = new HistogramAppender();
      next.setCounterResetHeader(gauge ? CounterResetHeader.GAUGE : ap.hint);
      next.appendExact(ts, h);
      return new AppendOutcome<>(next, AppendOutcome.Kind.NEW_CHUNK);
    }
    if (ap.needsRecode()) {
      int[] pos = ap.recodePositiveSpans(h.positiveSpans);
      int[] neg = ap.recodeNegativeSpans(h.negativeSpans);
      Histogram expanded = expandHistogram(h, ap, pos, neg);
      HistogramAppender recoded = recode(ap, pos, neg);
      recoded.appendExact(ts, expanded);
      return new AppendOutcome<>(recoded, AppendOutcome.Kind.RECODED);
    }
    appendExact(ts, ap.expandsHistogram()
        ? expandHistogram(h, ap, layout.positiveSpans, layout.negativeSpans) : h);
    return appended;
  }

  private static Histogram expandHistogram(Histogram h, Appendability ap, int[] pos, int[] neg) {
    if (!ap.expandsHistogram() || HistogramLayout.isStale(h.sum)) {
      return h;
    }
    Histogram e = h.copy();
    e.positiveSpans = pos;
    e.negativeSpans = neg;
    if (ap.nPosBackward > 0) {
      e.positiveBuckets = Appendability.insertDeltas(h.positiveBuckets, ap.posBackward,
          ap.nPosBackward, Histogram.bucketsCovered(pos));
    }
    if (ap.nNegBackward > 0) {
      e.negativeBuckets = Appendability.insertDeltas(h.negativeBuckets, ap.negBackward,
          ap.nNegBackward, Histogram.bucketsCovered(neg));
    }
    return e;
  }

  /**
   * Whether a counter histogram fits this chunk (Prometheus's appendable). Not for an empty
   * chunk. The result is reused by the next call.
   */
  public Appendability appendable(Histogram h) {
    Appendability ap = check;
    ap.reset(false);
    if (num == 0) {
      ap.okToAppend = true; // anything starts an empty chunk
      return ap;
    }
    if (counterResetHeader() == CounterResetHeader.GAUGE) {
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
    if (sumBits == HistogramLayout.STALE_NAN_BITS) {
      ap.hint = CounterResetHeader.UNKNOWN;
      return ap;
    }
    if (Long.compareUnsigned(h.count, cnt) < 0) {
      ap.hint = CounterResetHeader.COUNTER_RESET;
      return ap;
    }
    if (h.schema != layout.schema || h.zeroThreshold != layout.zeroThreshold) {
      ap.hint = CounterResetHeader.UNKNOWN;
      return ap;
    }
    if (!layout.sameBounds(h.schema, h.zeroThreshold, h.customValues)) {
      ap.hint = CounterResetHeader.COUNTER_RESET;
      return ap;
    }
    if (Long.compareUnsigned(h.zeroCount, zCnt) < 0) {
      ap.hint = CounterResetHeader.COUNTER_RESET;
      return ap;
    }
    absA = absolute(pBuckets, absA);
    absB = absolute(h.positiveBuckets, absB);
    if (!ap.merge(true, layout.positiveSpans, h.positiveSpans, absA, absB, null, null, true)) {
      ap.hint = CounterResetHeader.COUNTER_RESET;
      return ap;
    }
    absA = absolute(nBuckets, absA);
    absB = absolute(h.negativeBuckets, absB);
    if (!ap.merge(false, layout.negativeSpans, h.negativeSpans, absA, absB, null, null, true)) {
      ap.hint = CounterResetHeader.COUNTER_RESET;
      return ap;
    }
    ap.okToAppend = true;
    return ap;
  }

  /**
   * Whether a gauge histogram fits this chunk (Prometheus's appendableGauge): same schema, zero
   * threshold and custom bounds, and no stale marker last; buckets may come and go both ways.
   */
  public Appendability appendableGauge(Histogram h) {
    return appendableGauge(h.sum, h.schema, h.zeroThreshold, h.customValues, h.positiveSpans,
        h.negativeSpans);
  }


  private static long[] absolute(long[] deltas, long[] into) {
    long[] out = into.length >= deltas.length ? into : new long[deltas.length];
    long cur = 0;
    for (int i = 0; i < deltas.length; i++) {
      cur += deltas[i];
      out[i] = cur;
    }
    return out;
  }

  /**
   * A new appender holding this chunk's samples rewritten with the given (wider) spans, the empty
   * buckets inserted where {@code ap}'s forward inserts say, and the same header.
   */
  public HistogramAppender recode(Appendability ap, int[] positiveSpans, int[] negativeSpans) {
    HistogramAppender out = new HistogramAppender(w.capacity() + 16);
    HistogramIterator it = iterator(null);
    int pLen = Histogram.bucketsCovered(positiveSpans);
    int nLen = Histogram.bucketsCovered(negativeSpans);
    while (it.next() != ValueType.NONE) {
      Histogram old = it.atHistogram(null); // fresh: its arrays are replaced below
      old.positiveSpans = positiveSpans;
      old.negativeSpans = negativeSpans;
      if (ap.nPosForward > 0) {
        old.positiveBuckets =
            Appendability.insertDeltas(old.positiveBuckets, ap.posForward, ap.nPosForward, pLen);
      }
      if (ap.nNegForward > 0) {
        old.negativeBuckets =
            Appendability.insertDeltas(old.negativeBuckets, ap.negForward, ap.nNegForward, nLen);
      }
      out.appendExact(it.t(), old);
    }
    out.setCounterResetHeader(counterResetHeader());
    return out;
  }

  /**
   * Appends without any check: the first sample sets the layout; later ones must have exactly
   * the chunk's buckets (after any recode/expansion), or be stale markers.
   *
   * @throws IllegalArgumentException when the bucket counts do not match the chunk's layout
   */
  public void appendExact(long ts, Histogram h) {
    boolean stale = HistogramLayout.isStale(h.sum);
    long count = stale ? 0 : h.count;
    long zeroCount = stale ? 0 : h.zeroCount;
    long[] pos = stale ? NO_BUCKETS : h.positiveBuckets;
    long[] neg = stale ? NO_BUCKETS : h.negativeBuckets;
    long sum = Double.doubleToRawLongBits(h.sum);
    long newTDelta = 0;
    long newCntDelta = 0;
    long newZCntDelta = 0;
    if (num == 0) {
      layout = stale ? HistogramLayout.EMPTY : new HistogramLayout(h.schema, h.zeroThreshold,
          h.positiveSpans.clone(), h.negativeSpans.clone(), h.customValues.clone());
      checkBuckets(pos.length, neg.length);
      layout.write(w);
      pBuckets = new long[layout.positiveBuckets];
      nBuckets = new long[layout.negativeBuckets];
      pBucketsDelta = new long[layout.positiveBuckets];
      nBucketsDelta = new long[layout.negativeBuckets];
      w.writeVarbitInt(ts);
      w.writeVarbitUint(count);
      w.writeVarbitUint(zeroCount);
      w.writeBits(sum, 64);
      for (long b : pos) {
        w.writeVarbitInt(b);
      }
      for (long b : neg) {
        w.writeVarbitInt(b);
      }
    } else {
      if (!stale) {
        checkBuckets(pos.length, neg.length);
      }
      newTDelta = ts - t;
      newCntDelta = count - cnt;
      newZCntDelta = zeroCount - zCnt;
      w.writeVarbitInt(newTDelta - tDelta);
      // A stale marker keeps the reader's count deltas: zero dods.
      w.writeVarbitInt(stale ? 0 : newCntDelta - cntDelta);
      w.writeVarbitInt(stale ? 0 : newZCntDelta - zCntDelta);
      sumWindow = w.writeXor(sum, sumBits, sumWindow);
      writeBucketDods(pos, pBuckets, pBucketsDelta);
      writeBucketDods(neg, nBuckets, nBucketsDelta);
    }
    countSample();
    t = ts;
    cnt = count;
    zCnt = zeroCount;
    tDelta = newTDelta;
    cntDelta = newCntDelta;
    zCntDelta = newZCntDelta;
    System.arraycopy(pos, 0, pBuckets, 0, pos.length);
    System.arraycopy(neg, 0, nBuckets, 0, neg.length);
    sumBits = sum;
  }

  private void writeBucketDods(long[] buckets, long[] last, long[] lastDelta) {
    for (int i = 0; i < buckets.length; i++) {
      long delta = buckets[i] - last[i];
      w.writeVarbitInt(delta - lastDelta[i]);
      lastDelta[i] = delta;
    }
  }

  public byte encoding() {
    return ChunkEncoding.HISTOGRAM;
  }

  /** An iterator over what has been appended so far. */
  public HistogramIterator iterator(HistogramIterator reuse) {
    HistogramIterator it = reuse != null ? reuse : new HistogramIterator();
    return it.reset(w.buffer(), 0, w.byteLength(), num);
  }
}
