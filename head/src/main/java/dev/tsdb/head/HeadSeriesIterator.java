package dev.tsdb.head;

import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.chunkenc.FloatHistogramIterator;
import dev.tsdb.head.chunkenc.HistogramIterator;
import dev.tsdb.head.chunkenc.XorIterator;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.ValueType;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Iterates a {@link SeriesSnapshot}: sealed chunks then the open chunk, each decoded by its
 * encoding's iterator (floats, histograms, float histograms), bounded to the query's
 * [mint, maxt], merged with the sorted out-of-order samples, floats and histograms (an in-order
 * sample wins a timestamp tie). Out-of-order histograms, and in-order ones right after an
 * out-of-order sample, read with an unknown counter reset hint (gauges stay gauges): the chunks'
 * hints describe each source alone, not the merge, which is what Prometheus's chained merge
 * does too. Allocation-free per sample and reusable across series; a histogram is refilled
 * into the caller's instance by {@link #atHistogram}/{@link #atFloatHistogram}.
 *
 * <p>Float chunks are read through {@link #xit} directly so the float path stays monomorphic;
 * histogram chunks through {@link #hit}, one of the two histogram iterators.
 */
final class HeadSeriesIterator implements SampleIterator {
  private final XorIterator xit = new XorIterator();
  private final HistogramIterator histIt = new HistogramIterator();
  private final FloatHistogramIterator floatHistIt = new FloatHistogramIterator();
  private boolean xor = true; // the open chunk is read by xit, else by hit
  private SampleIterator hit = histIt;
  private ValueType type = ValueType.NONE; // of the current sample
  private SeriesSnapshot s;
  private int chunk; // last opened: sealed index in [from, to), `to` for the open chunk
  private boolean chunkOpen;
  private boolean inValid; // xit is on an unconsumed in-order sample within [mint, maxt]
  private boolean inDone;
  private int oi; // next out-of-order sample (already limited to [mint, maxt])
  private int di; // deleted interval at or after the current time
  private long t;
  private double v;
  private ValueType inType = ValueType.NONE; // of the in-order cursor's sample
  private boolean fromOoo; // the current sample is the out-of-order one at oi
  private boolean afterOoo; // the current in-order sample follows an out-of-order one
  private boolean started;
  private boolean done;
  private Exception err;

  void reset(SeriesSnapshot snap) {
    s = snap;
    chunk = snap.from - 1;
    chunkOpen = false;
    inValid = false;
    inDone = false;
    oi = 0;
    di = 0;
    started = false;
    done = false;
    err = null;
    t = Long.MIN_VALUE;
    v = 0;
    type = ValueType.NONE;
    fromOoo = false;
    afterOoo = false;
  }

  /** Opens the next chunk that may hold samples at or after lo; false when there is none. */
  private boolean openChunkFor(long lo) {
    chunk++;
    while (chunk < s.to && SealedChunk.maxT(s.sealed[chunk]) < lo) {
      chunk++;
    }
    if (chunk < s.to) {
      byte[] c = s.sealed[chunk];
      int limit = chunk == s.to - 1 && s.lastSealedLimit >= 0
          ? s.lastSealedLimit : SealedChunk.numSamples(c);
      if (SealedChunk.isMapped(c)) {
        try {
          positionMapped(c, limit);
        } catch (IOException e) {
          fail(e);
          chunk = s.to + 1;
          return chunkOpen = false;
        }
      } else {
        position(SealedChunk.encoding(c), c, SealedChunk.PREFIX, SealedChunk.dataLength(c), limit);
      }
      return chunkOpen = true;
    }
    if (chunk == s.to && s.headCount > 0) {
      position(s.headEncoding, s.headBuf, 0, s.headLen, s.headCount);
      return chunkOpen = true;
    }
    chunk = s.to + 1;
    return chunkOpen = false;
  }

  /**
   * Points the in-order cursor at a chunk in a head chunk file: read in place through the
   * mapping, or from a copy when only a prefix of it is visible (the mapped readers take the
   * count from the chunk's header).
   */
  private void positionMapped(byte[] stub, int numSamples) throws IOException {
    byte encoding = SealedChunk.encoding(stub);
    if (numSamples != SealedChunk.numSamples(stub)) {
      byte[] data = MappedChunk.copy(s.files, stub);
      position(encoding, data, 0, data.length, numSamples);
      return;
    }
    ByteBuffer b = MappedChunk.buffer(s.files, stub);
    int off = MappedChunk.dataOffset(stub);
    int len = SealedChunk.mappedLength(stub);
    switch (encoding) {
      case ChunkEncoding.HISTOGRAM -> {
        xor = false;
        hit = histIt.reset(b, off, len);
      }
      case ChunkEncoding.FLOAT_HISTOGRAM -> {
        xor = false;
        hit = floatHistIt.reset(b, off, len);
      }
      default -> {
        xor = true;
        xit.reset(b, off, len);
      }
    }
  }

  /** Points the in-order cursor at a chunk's first {@code numSamples} samples. */
  private void position(byte encoding, byte[] b, int off, int len, int numSamples) {
    switch (encoding) {
      case ChunkEncoding.HISTOGRAM -> {
        xor = false;
        hit = histIt.reset(b, off, len, numSamples);
      }
      case ChunkEncoding.FLOAT_HISTOGRAM -> {
        xor = false;
        hit = floatHistIt.reset(b, off, len, numSamples);
      }
      default -> {
        xor = true;
        xit.reset(b, off, len, numSamples);
      }
    }
  }

  private ValueType inSeekRaw(long target) {
    return xor ? xit.seek(target) : hit.seek(target);
  }

  private ValueType inNextRaw() {
    return xor ? xit.next() : hit.next();
  }

  /** Time of the in-order cursor's sample. */
  private long inT() {
    return xor ? xit.t() : hit.t();
  }

  private Exception inError() {
    return xor ? xit.error() : hit.error();
  }

  /** Positions the in-order cursor on its first sample at or after max(lo, mint). */
  private void inSeek(long lo) {
    if (inDone || (inValid && inT() >= lo)) {
      return;
    }
    inValid = false;
    long from = Math.max(lo, s.mint);
    while (true) {
      if (chunkOpen) {
        ValueType vt = inSeekRaw(from);
        if (vt != ValueType.NONE) {
          if (inT() > s.maxt) {
            inDone = true;
          } else {
            inType = vt;
            inValid = true;
          }
          return;
        }
        if (inError() != null) {
          fail(inError());
          return;
        }
        chunkOpen = false;
      }
      if (!openChunkFor(from)) {
        inDone = true;
        return;
      }
    }
  }

  /** Moves the in-order cursor past its current sample. */
  private void inNext() {
    long prev = inT();
    ValueType vt = inNextRaw();
    if (vt != ValueType.NONE) {
      inType = vt;
      if (inT() > s.maxt) {
        inValid = false;
        inDone = true;
      }
      return;
    }
    if (inError() != null) {
      fail(inError());
      return;
    }
    chunkOpen = false;
    inValid = false;
    inSeek(prev + 1);
  }

  private void fail(Exception e) {
    err = e;
    inValid = false;
    inDone = true;
  }

  @Override
  public ValueType next() {
    ValueType vt = step();
    while (vt != ValueType.NONE && isDeleted(t)) {
      vt = step();
    }
    return vt;
  }

  /** Whether t is in a deleted interval; t only grows, so the cursor only moves forward. */
  private boolean isDeleted(long t) {
    long[] del = s.deleted;
    if (del == null) {
      return false;
    }
    while (di < del.length && del[di + 1] < t) {
      di += 2;
    }
    return di < del.length && del[di] <= t;
  }

  private ValueType step() {
    if (done) {
      return ValueType.NONE;
    }
    if (!started) {
      started = true;
      inSeek(Long.MIN_VALUE);
    } else {
      if (inValid && inT() == t) {
        inNext();
      }
      while (oi < s.oooN && s.oooTs[oi] <= t) {
        oi++;
      }
    }
    return emit();
  }

  @Override
  public ValueType seek(long target) {
    if (done) {
      return ValueType.NONE;
    }
    if (started && t >= target) {
      return type;
    }
    started = true;
    inSeek(target);
    while (oi < s.oooN && s.oooTs[oi] < target) {
      oi++;
    }
    ValueType vt = emit();
    while (vt != ValueType.NONE && isDeleted(t)) {
      vt = step();
    }
    return vt;
  }

  private ValueType emit() {
    boolean hasOoo = oi < s.oooN;
    boolean previousOoo = fromOoo;
    if (inValid && xor && (!hasOoo || xit.t() <= s.oooTs[oi])) {
      fromOoo = false;
      t = xit.t();
      v = xit.v();
      return type = ValueType.FLOAT;
    }
    if (inValid && !xor && (!hasOoo || hit.t() <= s.oooTs[oi])) {
      fromOoo = false;
      afterOoo = previousOoo;
      t = hit.t(); // the histogram itself is read from hit on demand
      v = 0;
      return type = inType;
    }
    if (hasOoo) {
      fromOoo = true;
      t = s.oooTs[oi];
      type = s.ooo.type(oi);
      v = type == ValueType.FLOAT ? s.ooo.vs[oi] : 0;
      return type;
    }
    done = true;
    return type = ValueType.NONE;
  }

  @Override
  public Histogram atHistogram(Histogram reuse) {
    if (type != ValueType.HISTOGRAM) {
      throw new IllegalStateException("not on a histogram sample: " + type);
    }
    if (fromOoo) {
      return unknownHint(s.ooo.histogram(oi));
    }
    Histogram h = hit.atHistogram(reuse);
    return afterOoo ? unknownHint(h) : h;
  }

  @Override
  public FloatHistogram atFloatHistogram(FloatHistogram reuse) {
    if (type != ValueType.HISTOGRAM && type != ValueType.FLOAT_HISTOGRAM) {
      throw new IllegalStateException("not on a histogram sample: " + type);
    }
    if (fromOoo) {
      return unknownHint(s.ooo.floatHistogram(oi));
    }
    FloatHistogram h = hit.atFloatHistogram(reuse);
    return afterOoo ? unknownHint(h) : h;
  }

  private static Histogram unknownHint(Histogram h) {
    if (h.counterResetHint != CounterResetHint.GAUGE) {
      h.counterResetHint = CounterResetHint.UNKNOWN;
    }
    return h;
  }

  private static FloatHistogram unknownHint(FloatHistogram h) {
    if (h.counterResetHint != CounterResetHint.GAUGE) {
      h.counterResetHint = CounterResetHint.UNKNOWN;
    }
    return h;
  }

  @Override
  public long t() {
    return t;
  }

  @Override
  public double v() {
    return v;
  }

  @Override
  public Exception error() {
    return err;
  }
}
