package dev.tsdb.head;

import dev.tsdb.head.chunkenc.XorIterator;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.ValueType;

/**
 * Iterates a {@link SeriesSnapshot}: sealed chunks then the open chunk, bounded to the query's
 * [mint, maxt], merged with the sorted out-of-order samples (an in-order sample wins a timestamp
 * tie). Allocation-free per sample and reusable across series.
 */
final class HeadSeriesIterator implements SampleIterator {
  private final XorIterator xit = new XorIterator();
  private SeriesSnapshot s;
  private int chunk; // last opened: sealed index in [from, to), `to` for the open chunk
  private boolean chunkOpen;
  private boolean inValid; // xit is on an unconsumed in-order sample within [mint, maxt]
  private boolean inDone;
  private int oi; // next out-of-order sample (already limited to [mint, maxt])
  private int di; // deleted interval at or after the current time
  private long t;
  private double v;
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
  }

  /** Opens the next chunk that may hold samples at or after lo; false when there is none. */
  private boolean openChunkFor(long lo) {
    chunk++;
    while (chunk < s.to && SealedChunk.maxT(s.sealed[chunk]) < lo) {
      chunk++;
    }
    if (chunk < s.to) {
      byte[] c = s.sealed[chunk];
      if (chunk == s.to - 1 && s.lastSealedLimit >= 0) {
        xit.reset(c, SealedChunk.PREFIX, SealedChunk.dataLength(c), s.lastSealedLimit);
      } else {
        xit.reset(c, SealedChunk.PREFIX, SealedChunk.dataLength(c));
      }
      return chunkOpen = true;
    }
    if (chunk == s.to && s.headCount > 0) {
      xit.reset(s.headBuf, 0, s.headLen, s.headCount);
      return chunkOpen = true;
    }
    chunk = s.to + 1;
    return chunkOpen = false;
  }

  /** Positions the in-order cursor on its first sample at or after max(lo, mint). */
  private void inSeek(long lo) {
    if (inDone || (inValid && xit.t() >= lo)) {
      return;
    }
    inValid = false;
    long from = Math.max(lo, s.mint);
    while (true) {
      if (chunkOpen) {
        if (xit.seek(from) == ValueType.FLOAT) {
          if (xit.t() > s.maxt) {
            inDone = true;
          } else {
            inValid = true;
          }
          return;
        }
        if (xit.error() != null) {
          fail(xit.error());
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
    long prev = xit.t();
    if (xit.next() == ValueType.FLOAT) {
      if (xit.t() > s.maxt) {
        inValid = false;
        inDone = true;
      }
      return;
    }
    if (xit.error() != null) {
      fail(xit.error());
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
    while (vt == ValueType.FLOAT && isDeleted(t)) {
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
      if (inValid && xit.t() == t) {
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
      return ValueType.FLOAT;
    }
    started = true;
    inSeek(target);
    while (oi < s.oooN && s.oooTs[oi] < target) {
      oi++;
    }
    ValueType vt = emit();
    while (vt == ValueType.FLOAT && isDeleted(t)) {
      vt = step();
    }
    return vt;
  }

  private ValueType emit() {
    boolean hasOoo = oi < s.oooN;
    if (inValid && (!hasOoo || xit.t() <= s.oooTs[oi])) {
      t = xit.t();
      v = xit.v();
      return ValueType.FLOAT;
    }
    if (hasOoo) {
      t = s.oooTs[oi];
      v = s.oooVs[oi];
      return ValueType.FLOAT;
    }
    done = true;
    return ValueType.NONE;
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
