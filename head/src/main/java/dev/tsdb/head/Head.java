package dev.tsdb.head;

import dev.tsdb.index.postings.MemPostings;
import dev.tsdb.labels.Labels;
import dev.tsdb.storage.Appender;
import dev.tsdb.storage.Querier;
import dev.tsdb.storage.SampleRejectedException;
import dev.tsdb.storage.SampleRejectedException.Reason;
import dev.tsdb.storage.Storage;
import dev.tsdb.wal.Checkpoint;
import dev.tsdb.wal.SegmentRange;
import dev.tsdb.wal.Wal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory head block: recent samples of every active series, XOR-compressed, indexed by
 * RoaringBitmap postings.
 *
 * <p>Writes: an {@link Appender} validates samples as they arrive (Prometheus's rules) and
 * buffers them in primitive arrays; commit takes the head's commit lock, logs new series and the
 * samples to the {@link HeadWal}, applies them to the series and publishes the commit. Because
 * commits apply one at a time and readers see only published commits, a commit is
 * all-or-nothing for every query, across all series it touches.
 *
 * <p>Series are found by id (the reference {@link Appender#append} returns) without locks, or by
 * label set through lock-striped hash tables. Label strings are interned through the postings.
 */
public final class Head implements Storage {
  final HeadOptions opts;
  final long chunkRange;
  final long oooWindow;
  volatile HeadWal wal;
  final SeriesTable table = new SeriesTable();
  final SeriesStripes stripes;
  final MemPostings postings = new MemPostings();
  final Isolation iso = new Isolation();
  final ReentrantLock commitLock = new ReentrantLock();
  final HeadStats stats = new HeadStats();
  private final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
  /** Appends older than this are out of bounds (raised by truncation). */
  private volatile long minValidTime = Long.MIN_VALUE;
  private volatile boolean closed;
  private volatile WalLog walLog;
  private HeadReplay.Stats lastReplay;
  private final Object checkpointLock = new Object();

  public Head(HeadOptions opts) {
    this.opts = opts;
    this.chunkRange = opts.chunkRangeMs;
    this.oooWindow = opts.outOfOrderTimeWindowMs;
    this.wal = opts.wal;
    this.stripes = new SeriesStripes(opts.stripeSize);
  }

  public Head() {
    this(new HeadOptions());
  }

  /**
   * Opens a head persisted in {@code dir}: replays {@code dir/wal} (checkpoint, then segments;
   * a torn or corrupt tail is cut off and logged), then logs every commit to it. The options'
   * {@code wal} hook is replaced by the WAL.
   */
  public static Head open(Path dir, HeadOptions opts) throws IOException {
    Path walDir = dir.resolve("wal");
    Files.createDirectories(walDir);
    Head h = new Head(opts);
    h.wal = HeadWal.NOOP;
    h.lastReplay = HeadReplay.replay(h, walDir, opts.replayThreads);
    Wal w = Wal.open(walDir, opts.walOptions);
    h.walLog = new WalLog(w, opts.walSyncPerCommit);
    h.wal = h.walLog;
    return h;
  }

  /** Summary of the WAL replay done by {@link #open}, for logs and tests; null otherwise. */
  public String replaySummary() {
    return lastReplay == null ? null : lastReplay.toString();
  }

  /** Whether a series with this ref is in the head (the checkpoint's keep predicate). */
  public boolean hasSeries(long ref) {
    MemSeries s = table.get(ref);
    return s != null && s.id == ref;
  }

  /**
   * Checkpoints the older part of the WAL as Prometheus's truncateWAL does: the first two thirds
   * of the closed segments are folded into {@code checkpoint.N} keeping only series still in the
   * head and samples at or after mint, then those segments and older checkpoints are deleted.
   * Call after {@link #truncateBefore}. No-op without a WAL or with fewer than three segments.
   *
   * @return the checkpoint's last segment, or -1 when nothing was done
   */
  public int truncateWal(long mint) throws IOException {
    WalLog wl = walLog;
    if (wl == null) {
      return -1;
    }
    Wal w = wl.wal();
    SegmentRange range = w.segments();
    if (range.isEmpty()) {
      return -1;
    }
    int first = range.first();
    int last = w.currentSegment() - 1; // never the segment being written
    if (last < first) {
      return -1;
    }
    last = first + (last - first) * 2 / 3;
    if (last <= first) {
      return -1;
    }
    synchronized (checkpointLock) {
      Checkpoint.create(w, first, last, this::hasSeries, mint);
      w.truncate(last + 1);
      Checkpoint.deleteOlder(w.dir(), last);
    }
    return last;
  }

  public HeadStats stats() {
    return stats;
  }

  public HeadOptions options() {
    return opts;
  }

  @Override
  public Appender appender() {
    return new HeadAppender(this);
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return new HeadQuerier(this, mint, maxt, iso.openReader());
  }

  @Override
  public long minTime() {
    return minTime.get();
  }

  @Override
  public long maxTime() {
    return maxTime.get();
  }

  public int numSeries() {
    return table.size();
  }

  /** The oldest timestamp an in-order append may have, given the head's current max time. */
  long appendableMinValidTime() {
    long mt = maxTime.get();
    long byMax = mt == Long.MIN_VALUE ? Long.MIN_VALUE : mt - chunkRange / 2;
    return Math.max(minValidTime, byMax);
  }

  /** Sets the head's time range from the first sample appended to an empty head. */
  void initTime(long t) {
    minTime.compareAndSet(Long.MAX_VALUE, t);
    maxTime.compareAndSet(Long.MIN_VALUE, t);
  }

  void updateMinMaxTime(long mint, long maxt) {
    long cur;
    while (mint < (cur = minTime.get())) {
      if (minTime.compareAndSet(cur, mint)) {
        break;
      }
    }
    while (maxt > (cur = maxTime.get())) {
      if (maxTime.compareAndSet(cur, maxt)) {
        break;
      }
    }
  }

  /** The series with these labels, created (and indexed) when new. */
  MemSeries getOrCreate(Labels labels) throws SampleRejectedException {
    if (labels == null || labels.isEmpty()) {
      throw SampleRejectedException.withMessage(Reason.INVALID_LABELS,
          labels == null ? "unknown series ref and no labels" : "empty labelset");
    }
    long hash = labels.hash64();
    MemSeries s = stripes.get(hash, labels);
    if (s != null) {
      return s;
    }
    boolean[] created = new boolean[1];
    s = stripes.getOrCreate(hash, labels, () -> newSeries(table.nextId(), labels), created);
    if (created[0]) {
      stats.seriesCreated.increment();
    }
    return s;
  }

  private MemSeries newSeries(int id, Labels labels) {
    Labels canonical = postings.add(id, labels);
    MemSeries s = new MemSeries(id, canonical);
    table.put(s);
    return s;
  }

  /**
   * Creates a series with a given id (WAL replay). If a series with these labels exists already,
   * returns it instead (the caller maps the replayed id onto it).
   */
  MemSeries createWithId(int id, Labels labels) {
    long hash = labels.hash64();
    boolean[] created = new boolean[1];
    MemSeries s = stripes.getOrCreate(hash, labels, () -> {
      table.reserveUpTo(id);
      return newSeries(id, labels);
    }, created);
    if (created[0]) {
      stats.seriesCreated.increment();
    }
    return s;
  }

  /** Looks a series up by the reference an earlier append returned. */
  MemSeries byRef(long ref) {
    return table.get(ref);
  }

  /** Applies one appender's batch; see the class comment. */
  void commit(HeadAppender a) throws IOException {
    commitLock.lock();
    try {
      if (closed) {
        throw new IOException("head is closed");
      }
      a.resolveDeleted(); // series truncated away since append: re-create before logging
      logToWal(a);
      long seq = iso.nextSeq();
      long oldestReader = iso.oldestReader();
      long mint = Long.MAX_VALUE;
      long maxt = Long.MIN_VALUE;
      long appended = 0;
      long ooo = 0;
      MemSeries[] series = a.series;
      long[] ts = a.ts;
      double[] vs = a.vs;
      int n = a.n;
      int i = 0;
      while (i < n) {
        MemSeries s = series[i];
        synchronized (s) {
          s.pendingCommit = false;
          // Consecutive samples of the same series are applied under one lock hold.
          do {
            long t = ts[i];
            double v = vs[i];
            int r = s.appendable(t, Double.doubleToRawLongBits(v), a.headMaxt, a.minValidTime,
                oooWindow);
            if (r == MemSeries.IN_ORDER) {
              s.beginRun(seq, oldestReader);
              int chunksBefore = s.nSealed;
              s.appendInOrder(t, v, chunkRange, opts.samplesPerChunk);
              if (s.nSealed != chunksBefore) {
                stats.chunksCreated.increment();
              }
              appended++;
            } else if (r == MemSeries.OUT_OF_ORDER_OK) {
              if (s.insertOoo(t, v, opts.outOfOrderCapMax)) {
                ooo++;
              } else {
                stats.droppedAtCommit.increment();
                continue;
              }
            } else {
              if (r != MemSeries.DUP_NOOP) {
                stats.droppedAtCommit.increment();
              }
              continue;
            }
            if (t < mint) {
              mint = t;
            }
            if (t > maxt) {
              maxt = t;
            }
          } while (++i < n && series[i] == s);
        }
      }
      if (appended + ooo > 0) {
        updateMinMaxTime(mint, maxt);
      }
      stats.samplesAppended.add(appended);
      stats.outOfOrderSamplesAppended.add(ooo);
      stats.commits.increment();
      iso.publish(seq);
    } finally {
      commitLock.unlock();
    }
  }

  private void logToWal(HeadAppender a) throws IOException {
    HeadWal wal = this.wal;
    if (wal == HeadWal.NOOP) {
      return;
    }
    int n = a.n;
    int newSeries = 0;
    for (int i = 0; i < n; i++) {
      MemSeries s = a.series[i];
      if (!s.walLogged) {
        a.walSeries = grow(a.walSeries, newSeries + 1);
        a.walSeriesLabels = growLabels(a.walSeriesLabels, newSeries + 1);
        s.walLogged = true; // dedupes within the batch; undone below if logging fails
        a.walSeries[newSeries] = s.id;
        a.walSeriesLabels[newSeries] = s.labels;
        newSeries++;
      }
    }
    a.walRefs = grow(a.walRefs, n);
    for (int i = 0; i < n; i++) {
      a.walRefs[i] = a.series[i].id;
    }
    try {
      if (newSeries > 0) {
        wal.logSeries(a.walSeries, a.walSeriesLabels, newSeries);
      }
      if (n > 0) {
        wal.logSamples(a.walRefs, a.ts, a.vs, n);
      }
      wal.flush();
    } catch (IOException | RuntimeException e) {
      for (int i = 0; i < newSeries; i++) {
        MemSeries s = table.get(a.walSeries[i]);
        if (s != null) {
          s.walLogged = false;
        }
      }
      throw e;
    } finally {
      java.util.Arrays.fill(a.walSeriesLabels, 0, newSeries, null);
    }
  }

  private static long[] grow(long[] a, int n) {
    if (a.length >= n) {
      return a;
    }
    return java.util.Arrays.copyOf(a, Math.max(n, a.length * 2));
  }

  private static Labels[] growLabels(Labels[] a, int n) {
    if (a.length >= n) {
      return a;
    }
    return java.util.Arrays.copyOf(a, Math.max(n, a.length * 2));
  }

  /**
   * Drops all data older than mint (whole chunks) and the series left empty, and makes appends
   * older than mint out of bounds. Used when the oldest part of the head has been written to a
   * block.
   *
   * @return the number of series removed
   */
  public int truncateBefore(long mint) {
    commitLock.lock();
    try {
      if (mint > minValidTime) {
        minValidTime = mint;
      }
      List<MemSeries> empty = new ArrayList<>();
      long[] newMin = {Long.MAX_VALUE};
      table.forEach(s -> {
        synchronized (s) {
          if (s.truncateBefore(mint) && !s.pendingCommit) {
            s.deleted = true;
            empty.add(s);
          } else {
            newMin[0] = Math.min(newMin[0], s.minTime());
          }
        }
      });
      int[] ids = new int[empty.size()];
      Labels[] ls = new Labels[empty.size()];
      for (int i = 0; i < ids.length; i++) {
        MemSeries s = empty.get(i);
        stripes.remove(s.labels.hash64(), s);
        table.remove(s);
        ids[i] = s.id;
        ls[i] = s.labels;
      }
      postings.delete(ids, ls, ids.length);
      stats.seriesRemoved.add(ids.length);
      if (table.size() == 0 || newMin[0] == Long.MAX_VALUE) {
        minTime.set(Long.MAX_VALUE);
        maxTime.set(Long.MIN_VALUE);
      } else {
        minTime.set(Math.max(newMin[0], mint));
      }
      return ids.length;
    } finally {
      commitLock.unlock();
    }
  }

  /** Rough heap bytes of series data (chunks, bookkeeping, postings; not label strings). */
  public long estimateBytes() {
    long[] b = {0};
    table.forEach(s -> {
      synchronized (s) {
        b[0] += s.bytes();
      }
    });
    return b[0] + postings.bitmapBytes();
  }

  /**
   * A breakdown of chunk memory: sealed chunk bytes, open chunk bytes used and allocated, chunk
   * and series counts (for the memory harness and debugging).
   */
  public String memoryBreakdown() {
    long[] b = new long[5];
    table.forEach(s -> {
      synchronized (s) {
        b[4]++;
        for (int i = 0; i < s.nSealed; i++) {
          b[0] += s.sealed[i].length;
          b[3]++;
        }
        if (s.head != null) {
          b[1] += s.head.byteLength();
          b[2] += s.head.capacity();
        }
      }
    });
    return "series=" + b[4] + " sealedChunks=" + b[3] + " sealedBytes=" + b[0]
        + " openUsed=" + b[1] + " openAllocated=" + b[2] + " postingsBytes="
        + postings.bitmapBytes();
  }

  /** Calls the action with every series' labels and id (a weakly consistent walk). */
  public void forEachSeries(java.util.function.ObjIntConsumer<Labels> action) {
    table.forEach(s -> action.accept(s.labels, s.id));
  }

  @Override
  public void close() throws IOException {
    commitLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      wal.sync();
      wal.close();
    } finally {
      commitLock.unlock();
    }
  }
}
