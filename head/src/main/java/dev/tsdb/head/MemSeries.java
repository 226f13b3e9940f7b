package dev.tsdb.head;

import dev.tsdb.head.chunkenc.AppendOutcome;
import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.chunkenc.ChunkTimes;
import dev.tsdb.head.chunkenc.FloatHistogramAppender;
import dev.tsdb.head.chunkenc.HistogramAppender;
import dev.tsdb.head.chunkenc.HistogramChunkCuts;
import dev.tsdb.head.chunkenc.HistogramChunkWriter;
import dev.tsdb.head.chunkenc.XorAppender;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * One head series: its labels, in-order chunks (sealed byte arrays of any encoding plus one open
 * chunk: an XOR appender for floats, or a histogram or float histogram appender), out-of-order
 * chunks (floats only), and the commit runs readers need for isolation. Switching between float,
 * histogram and float histogram samples cuts a new chunk, as Prometheus does.
 *
 * <p>All mutable state is guarded by the series' monitor. Arrays handed to readers are
 * copy-on-write or append-only beyond what a reader snapshotted, so readers decode without the
 * lock.
 *
 * <p>Isolation: every commit that touches the series starts a "run" at the series' cumulative
 * sample count. A reader opened when commit R was the last published one sees the samples before
 * the first run with a sequence number above R. Boundaries of runs newer than the oldest open
 * reader are kept in {@link #runs}; older ones are forgotten.
 */
final class MemSeries {
  static final byte[][] NO_CHUNKS = new byte[0][];

  // appendable() outcomes
  static final int IN_ORDER = 0;
  static final int DUP_NOOP = 1;
  static final int OUT_OF_ORDER_OK = 2;
  static final int ERR_DUPLICATE = -1;
  static final int ERR_OUT_OF_ORDER = -2;
  static final int ERR_OUT_OF_BOUNDS = -3;
  static final int ERR_TOO_OLD = -4;

  final int id;
  final Labels labels;
  MemSeries hashNext; // collision chain of the stripe map, guarded by the stripe

  XorAppender head; // open XOR chunk; null when the open chunk holds histograms or there is none
  HistogramChunkWriter hist; // open histogram chunk of either kind; null unless head is null
  private HistogramChunkCuts histCuts; // where histogram chunks end; made at the first histogram
  // The newest in-order sample when it is a histogram (the appender's copy; never mutated), for
  // the duplicate check at its timestamp; both null when it is a float.
  Histogram lastHistogram;
  FloatHistogram lastFloatHistogram;
  long headMinT;
  long nextAt = Long.MIN_VALUE; // time at which to cut the next chunk
  long maxT = Long.MIN_VALUE; // newest in-order timestamp
  long lastVBits; // value bits of the newest in-order sample
  byte[][] sealed = NO_CHUNKS; // SealedChunk layout, time ordered; append-only / copy-on-write
  int nSealed;
  int nQueued; // leading sealed chunks handed to the head chunk write queue
  // Replay only, on its reading thread: newest time of the chunks loaded from chunks_head/ (WAL
  // samples up to it are in them; reset once a newer sample is read), and the newest in-order
  // time seen in the WAL so far.
  long mmMaxT = Long.MIN_VALUE;
  long walMaxT = Long.MIN_VALUE;
  int total; // in-order samples ever appended (cumulative index of the next one)

  long lastRunSeq;
  int lastRunStart;
  long[] runs; // (seq, start) pairs of older runs some open reader may not see
  int nRuns;

  OooChunks ooo;
  SeriesMeta meta; // shared; replaced whole (latest wins), read without the lock
  boolean pendingCommit; // an appender holds samples for this series
  boolean deleted;
  boolean walLogged; // guarded by the head's commit lock

  MemSeries(int id, Labels labels) {
    this.id = id;
    this.labels = labels;
  }

  /**
   * Whether (t, v) can be appended (Prometheus's memSeries.appendable).
   *
   * @param headMaxt newest timestamp in the head
   * @param minValidTime oldest timestamp the in-order head accepts
   * @param oooWindow out-of-order window (0: disabled)
   */
  int appendable(long t, long vBits, long headMaxt, long minValidTime, long oooWindow) {
    if (t >= minValidTime) {
      if (!hasInOrder()) {
        return IN_ORDER;
      }
      if (t > maxT) {
        return IN_ORDER;
      }
      if (t == maxT) {
        // A float at a histogram's timestamp is a conflicting duplicate, as in Prometheus.
        return vBits == lastVBits && lastHistogram == null && lastFloatHistogram == null
            ? DUP_NOOP : ERR_DUPLICATE;
      }
    }
    if (oooWindow > 0) {
      return t >= headMaxt - oooWindow ? OUT_OF_ORDER_OK : ERR_TOO_OLD;
    }
    return t < minValidTime ? ERR_OUT_OF_BOUNDS : ERR_OUT_OF_ORDER;
  }

  /**
   * Appends an in-order sample (t > maxT) and tells whether a new chunk was started, cutting chunks as Prometheus's appendPreprocessor
   * does: at the chunk-range boundary, at an end time predicted once a quarter of
   * samplesPerChunk is reached, at twice samplesPerChunk, or when the chunk exceeds ~1 KiB.
   */
  boolean appendInOrder(long t, double v, long chunkRange, int samplesPerChunk) {
    XorAppender c = head;
    boolean created = false;
    if (c == null) {
      // No chunk yet, or the open one holds histograms: floats start an XOR chunk.
      c = cut(t, chunkRange);
      created = true;
      lastHistogram = null;
      lastFloatHistogram = null;
    } else {
      if (c.byteLength() > MAX_BYTES_BEFORE_APPEND) {
        c = cut(t, chunkRange);
        created = true;
      }
      int num = c.numSamples();
      if (num == 0) {
        headMinT = t;
        nextAt = rangeForTimestamp(t, chunkRange);
      }
      if (num == samplesPerChunk / 4) {
        nextAt = computeChunkEndTime(headMinT, maxT, nextAt, 4);
      }
      if (t >= nextAt || num >= samplesPerChunk * 2) {
        c = cut(t, chunkRange);
        created = true;
      }
    }
    c.append(t, v);
    maxT = t;
    lastVBits = Double.doubleToRawLongBits(v);
    total++;
    return created;
  }

  /**
   * Whether a histogram sample at t can be appended (Prometheus's appendableHistogram): as for
   * floats, except that only an identical histogram (counter reset hint aside) at the newest
   * timestamp is a no-op. Out-of-order histograms within the window go to the out-of-order chunks
   * as floats do (Prometheus 3.x accepts them whenever the window is set).
   */
  int appendableHistogram(long t, Histogram h, long headMaxt, long minValidTime,
      long oooWindow) {
    return appendableHistogram(t, headMaxt, minValidTime, oooWindow,
        HistogramValues.sameValue(h, lastHistogram));
  }

  /** {@link #appendableHistogram(long, Histogram, long, long, long)} for float histograms. */
  int appendableHistogram(long t, FloatHistogram h, long headMaxt, long minValidTime,
      long oooWindow) {
    return appendableHistogram(t, headMaxt, minValidTime, oooWindow,
        HistogramValues.sameValue(h, lastFloatHistogram));
  }

  private int appendableHistogram(long t, long headMaxt, long minValidTime, long oooWindow,
      boolean sameAsNewest) {
    if (t >= minValidTime) {
      if (!hasInOrder() || t > maxT) {
        return IN_ORDER;
      }
      if (t == maxT) {
        return sameAsNewest ? DUP_NOOP : ERR_DUPLICATE;
      }
    }
    if (oooWindow > 0) {
      return t >= headMaxt - oooWindow ? OUT_OF_ORDER_OK : ERR_TOO_OLD;
    }
    return t < minValidTime ? ERR_OUT_OF_BOUNDS : ERR_OUT_OF_ORDER;
  }

  /**
   * Appends an in-order histogram (t > maxT; {@code h} is kept, not copied) and tells whether a
   * new chunk was started. Histogram chunks are cut by size and time ({@link HistogramChunkCuts}),
   * by the appender (counter reset, schema change: a new chunk) and when the open chunk holds
   * another encoding; a recode replaces the open chunk.
   */
  boolean appendHistogram(long t, Histogram h, long chunkRange) {
    HistogramAppender open = hist instanceof HistogramAppender a ? a : null;
    boolean created = appendHistogramSample(t, open, HistogramAppender::new,
        (app, prev) -> app.append(t, h, prev), chunkRange);
    lastHistogram = h;
    lastFloatHistogram = null;
    return created;
  }

  /** {@link #appendHistogram(long, Histogram, long)} for float histograms. */
  boolean appendHistogram(long t, FloatHistogram h, long chunkRange) {
    FloatHistogramAppender open = hist instanceof FloatHistogramAppender a ? a : null;
    boolean created = appendHistogramSample(t, open, FloatHistogramAppender::new,
        (app, prev) -> app.append(t, h, prev), chunkRange);
    lastHistogram = null;
    lastFloatHistogram = h;
    return created;
  }

  /** One histogram append with the appender kind abstracted away. */
  @FunctionalInterface
  private interface HistogramAppend<A> {
    AppendOutcome<A> apply(A app, A prev);
  }

  private <A extends HistogramChunkWriter> boolean appendHistogramSample(long t, A open,
      Supplier<A> fresh, HistogramAppend<A> append, long chunkRange) {
    if (histCuts == null) {
      histCuts = new HistogramChunkCuts(chunkRange);
    }
    boolean created = false;
    A app = open;
    // The previous chunk's appender, passed when a new chunk is cut for size so its header can
    // say whether a counter reset happened in between (not across encodings, as Prometheus).
    A prev = null;
    if (app == null) {
      app = fresh.get();
      openHistogramChunk(app, t);
      histCuts.start(t);
      created = true;
    } else if (histCuts.cutBefore(t, app.numSamples(), app.byteLength())) {
      prev = app;
      app = fresh.get();
      openHistogramChunk(app, t);
      created = true;
    }
    AppendOutcome<A> o = append.apply(app, prev);
    switch (o.kind()) {
      case NEW_CHUNK -> {
        openHistogramChunk(o.appender(), t);
        histCuts.startedByAppender(t);
        created = true;
      }
      case RECODED -> hist = o.appender(); // same samples and more: replaces the open chunk
      default -> { }
    }
    histCuts.appended(t);
    maxT = t;
    total++;
    return created;
  }

  /** Seals the open chunk (if it has samples) and opens {@code app} starting at t. */
  private void openHistogramChunk(HistogramChunkWriter app, long t) {
    sealOpen();
    head = null;
    hist = app;
    headMinT = t;
  }

  /** In-order chunks held (sealed plus the open one). Caller holds the monitor. */
  int numChunks() {
    return nSealed + (hasOpenChunk() ? 1 : 0);
  }

  /** Whether the series has an open in-order chunk (then it has in-order samples). */
  boolean hasOpenChunk() {
    return head != null || hist != null;
  }

  /**
   * Whether the series has in-order samples: an open chunk, or sealed chunks only (chunks loaded
   * from chunks_head/ whose WAL samples after them were lost).
   */
  boolean hasInOrder() {
    return head != null || hist != null || nSealed > 0;
  }

  /**
   * Replaces the sealed chunk {@code chunk} (by identity), if still held, with its stub at
   * {@code chunkRef} in the head chunk files, dropping its bytes from the heap. Readers that
   * snapshotted the array read either form. Caller holds the monitor.
   */
  void markMapped(byte[] chunk, long chunkRef) {
    for (int i = nSealed - 1; i >= 0; i--) {
      if (sealed[i] == chunk) {
        sealed[i] = SealedChunk.mapped(chunk, chunkRef);
        return;
      }
    }
  }

  /**
   * Gives a series new from the WAL its chunks loaded from chunks_head/ (stubs, time ordered):
   * they count as written, and WAL samples up to the last one's maxt are skipped by the replay.
   * Caller holds the monitor.
   */
  void attachMapped(byte[][] stubs, int n) {
    sealed = stubs;
    nSealed = n;
    nQueued = n;
    for (int i = 0; i < n; i++) {
      total += SealedChunk.numSamples(stubs[i]);
    }
    maxT = SealedChunk.maxT(stubs[n - 1]);
    mmMaxT = maxT;
  }

  /**
   * Gives a series loaded from a chunk snapshot the head chunk the snapshot held (after its
   * chunks from chunks_head/, if any), as a sealed chunk with the newest sample's value for the
   * duplicate check: the next append starts a new chunk, as Prometheus's next append after a
   * snapshot does, and queues this one for chunks_head/ with it (until then a snapshot keeps it
   * as the head chunk). The WAL after the snapshot holds nothing of it, so no WAL sample is
   * skipped as being in loaded chunks. Caller holds the monitor.
   */
  void restoreSnapshotChunk(byte[] chunk, double lastValue, Histogram lastH,
      FloatHistogram lastFh) {
    if (nSealed == sealed.length) {
      sealed = Arrays.copyOf(sealed, Math.max(2, nSealed * 2));
    }
    sealed[nSealed++] = chunk;
    total += SealedChunk.numSamples(chunk);
    maxT = SealedChunk.maxT(chunk);
    lastVBits = Double.doubleToRawLongBits(lastValue);
    lastHistogram = lastH;
    lastFloatHistogram = lastFh;
    mmMaxT = Long.MIN_VALUE;
  }

  /** Samples in the open chunk (0 without one). */
  int openSamples() {
    return head != null ? head.numSamples() : hist != null ? hist.numSamples() : 0;
  }

  /** Bytes used by the open chunk (0 without one). */
  int openBytes() {
    return head != null ? head.byteLength() : hist != null ? hist.byteLength() : 0;
  }

  /** Encoding of the open chunk. */
  byte openEncoding() {
    return head != null ? ChunkEncoding.XOR : hist != null ? hist.encoding() : ChunkEncoding.NONE;
  }

  /** Appends the open chunk, when it holds samples, to the sealed ones. */
  private void sealOpen() {
    byte[] c = null;
    if (head != null && head.numSamples() > 0) {
      c = SealedChunk.of(headMinT, maxT, ChunkEncoding.XOR, head.buffer(), head.byteLength());
    } else if (hist != null && hist.numSamples() > 0) {
      c = SealedChunk.of(headMinT, maxT, hist.encoding(), hist.buffer(), hist.byteLength());
    }
    if (c != null) {
      if (nSealed == sealed.length) {
        sealed = Arrays.copyOf(sealed, Math.max(2, nSealed * 2));
      }
      sealed[nSealed++] = c;
    }
  }

  /** Prometheus cuts XOR chunks before they pass 1024 bytes, assuming a 19-byte next sample. */
  static final int MAX_BYTES_BEFORE_APPEND = 1024 - 19;

  private XorAppender cut(long t, long chunkRange) {
    XorAppender old = head;
    sealOpen();
    hist = null;
    // Open chunks are most of the head's slack memory, and their regrowths were most of the
    // ingest path's garbage: start at three quarters of the previous chunk's size, so a steady
    // series grows its chunk once (by a quarter, to about the previous size) instead of 4-5 times.
    // Without an open chunk before (after a restart: the newest one is from chunks_head/ or the
    // chunk snapshot), the newest sealed XOR chunk's size stands in for it.
    int prev = old != null ? old.byteLength() : lastSealedXorBytes();
    int cap = prev == 0 ? 32 : Math.max(32, Math.min(1024, prev * 3 / 4));
    XorAppender c = new XorAppender(cap);
    head = c;
    headMinT = t;
    nextAt = rangeForTimestamp(t, chunkRange);
    return c;
  }

  /** Bytes of the newest sealed chunk when it is an XOR chunk, else 0. */
  private int lastSealedXorBytes() {
    if (nSealed == 0) {
      return 0;
    }
    byte[] c = sealed[nSealed - 1];
    if (SealedChunk.encoding(c) != ChunkEncoding.XOR) {
      return 0;
    }
    return SealedChunk.isMapped(c) ? SealedChunk.mappedLength(c) : SealedChunk.dataLength(c);
  }

  static long rangeForTimestamp(long t, long width) {
    return ChunkTimes.rangeEnd(t, width);
  }

  /** See {@link ChunkTimes#computeChunkEndTime}. */
  static long computeChunkEndTime(long start, long cur, long max, double ratioToFull) {
    return ChunkTimes.computeChunkEndTime(start, cur, max, ratioToFull);
  }

  /** Inserts an out-of-order float; false for a duplicate timestamp. */
  boolean insertOoo(long t, double v, int cap) {
    return insertOoo(t, v, null, cap);
  }

  /**
   * Inserts an out-of-order sample: the float v when {@code h} is null, else the (kept, not
   * copied) {@link Histogram} or {@link FloatHistogram}; false for a duplicate timestamp.
   */
  boolean insertOoo(long t, double v, Object h, int cap) {
    if (ooo == null) {
      ooo = new OooChunks(cap);
    }
    return ooo.insert(t, v, h, cap);
  }

  // ---- isolation ----

  /** Called before the first sample of commit {@code seq} touches this series. */
  void beginRun(long seq, long minReaderSeq) {
    if (lastRunSeq == seq) {
      return;
    }
    if (lastRunSeq > minReaderSeq) {
      if (runs == null) {
        runs = new long[4];
      } else if (nRuns * 2 == runs.length) {
        runs = Arrays.copyOf(runs, runs.length * 2);
      }
      runs[nRuns * 2] = lastRunSeq;
      runs[nRuns * 2 + 1] = lastRunStart;
      nRuns++;
    }
    if (nRuns > 0) {
      int drop = 0;
      while (drop < nRuns && runs[drop * 2] <= minReaderSeq) {
        drop++;
      }
      if (drop > 0) {
        System.arraycopy(runs, drop * 2, runs, 0, (nRuns - drop) * 2);
        nRuns -= drop;
      }
      if (nRuns == 0) {
        runs = null;
      }
    }
    lastRunSeq = seq;
    lastRunStart = total;
  }

  /** Number of leading in-order samples (cumulative) a reader at {@code readerSeq} may see. */
  int visibleCount(long readerSeq) {
    if (lastRunSeq <= readerSeq) {
      return total;
    }
    for (int i = 0; i < nRuns; i++) {
      if (runs[i * 2] > readerSeq) {
        return (int) runs[i * 2 + 1];
      }
    }
    return lastRunStart;
  }

  // ---- reads ----

  /**
   * A snapshot of the samples a reader at {@code readerSeq} sees within [mint, maxt], or null
   * when there are none. Caller holds the monitor.
   */
  SeriesSnapshot snapshot(long readerSeq, long mint, long maxt) {
    int limit = visibleCount(readerSeq);
    byte[] headBuf = null;
    int headLen = 0;
    int headCount = 0;
    byte headEncoding = ChunkEncoding.NONE;
    int sealedTo = nSealed;
    int lastSealedLimit = -1;
    if (hasOpenChunk()) {
      int openSamples = openSamples();
      int headStart = total - openSamples;
      if (limit > headStart && headMinT <= maxt && maxT >= mint) {
        headCount = Math.min(openSamples, limit - headStart);
        headBuf = head != null ? head.buffer() : hist.buffer();
        headLen = openBytes();
        headEncoding = openEncoding();
      }
      // Drop sealed chunks holding only invisible samples, and limit the last visible one.
      int start = headStart;
      while (sealedTo > 0) {
        int n = SealedChunk.numSamples(sealed[sealedTo - 1]);
        start -= n;
        if (limit > start) {
          if (limit < start + n) {
            lastSealedLimit = limit - start;
          }
          break;
        }
        sealedTo--;
      }
    }
    // Time range: chunks are ordered, so skip from both ends.
    int from = 0;
    while (from < sealedTo && SealedChunk.maxT(sealed[from]) < mint) {
      from++;
    }
    int to = sealedTo;
    while (to > from && SealedChunk.minT(sealed[to - 1]) > maxt) {
      to--;
    }
    if (to < sealedTo) {
      lastSealedLimit = -1; // the partially visible chunk is out of range anyway
    }
    OooSamples oooSamples = ooo != null && !ooo.isEmpty()
        ? ooo.collect(mint, maxt) : OooSamples.EMPTY;
    if (from == to && headCount == 0 && oooSamples.n == 0) {
      return null;
    }
    return new SeriesSnapshot(labels, sealed, from, to, lastSealedLimit, headBuf, headLen,
        headCount, headEncoding, oooSamples, mint, maxt);
  }

  /** Oldest timestamp held, or Long.MAX_VALUE. Caller holds the monitor. */
  long minTime() {
    long m = Long.MAX_VALUE;
    if (nSealed > 0) {
      m = SealedChunk.minT(sealed[0]);
    } else if (openSamples() > 0) {
      m = headMinT;
    }
    if (ooo != null && !ooo.isEmpty()) {
      m = Math.min(m, ooo.minTime());
    }
    return m;
  }

  /** Newest timestamp held, in-order or out-of-order, or Long.MIN_VALUE. Caller holds the monitor. */
  long maxTimeAll() {
    long m = hasInOrder() ? maxT : Long.MIN_VALUE;
    if (ooo != null && !ooo.isEmpty()) {
      m = Math.max(m, ooo.maxTime());
    }
    return m;
  }

  /**
   * Removes in-order chunks entirely older than mint and the frozen out-of-order chunks older
   * than it (see {@link OooChunks#freeze}). Returns true when the series holds no data any more.
   * Caller holds the monitor.
   */
  boolean truncateBefore(long mint) {
    int k = 0;
    while (k < nSealed && SealedChunk.maxT(sealed[k]) < mint) {
      k++;
    }
    if (k > 0) {
      sealed = Arrays.copyOfRange(sealed, k, nSealed);
      nSealed -= k;
      nQueued = Math.max(0, nQueued - k);
      if (nSealed == 0) {
        sealed = NO_CHUNKS;
      }
    }
    if (nSealed == 0 && maxT != Long.MIN_VALUE && maxT < mint) {
      head = null;
      hist = null;
      lastHistogram = null;
      lastFloatHistogram = null;
      maxT = Long.MIN_VALUE;
      nextAt = Long.MIN_VALUE;
    }
    if (ooo != null) {
      ooo.truncateFrozenBefore(mint);
      if (ooo.isEmpty()) {
        ooo = null;
      }
    }
    return !hasInOrder() && ooo == null;
  }

  /**
   * Oldest time of data not persisted by a head cut at mint: in-order data and frozen
   * out-of-order chunks count from mint on, later out-of-order data with its real time.
   * Long.MAX_VALUE when empty. Caller holds the monitor.
   */
  long unpersistedMinTime(long mint) {
    long m = Long.MAX_VALUE;
    if (nSealed > 0) {
      m = Math.max(SealedChunk.minT(sealed[0]), mint);
    } else if (openSamples() > 0) {
      m = Math.max(headMinT, mint);
    }
    if (ooo != null && !ooo.isEmpty()) {
      m = Math.min(m, ooo.unpersistedMinTime(mint));
    }
    return m;
  }

  /** Approximate heap bytes of this series' sample data and bookkeeping (not labels). */
  long bytes() {
    long b = 96; // object header and fields
    if (head != null) {
      b += 56 + 16 + head.capacity();
    } else if (hist != null) {
      b += 96 + 16 + hist.capacity();
    }
    b += 16 + 4L * sealed.length;
    for (int i = 0; i < nSealed; i++) {
      b += 16 + sealed[i].length;
    }
    if (runs != null) {
      b += 16 + 8L * runs.length;
    }
    if (ooo != null) {
      b += ooo.bytes();
    }
    return b;
  }
}
