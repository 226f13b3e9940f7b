package dev.tsdb.head;

import dev.tsdb.head.mmap.HeadChunkFiles;
import dev.tsdb.index.postings.MemPostings;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkQueryable;
import dev.tsdb.index.storage.ExemplarQueryable;
import dev.tsdb.index.storage.ExemplarSeries;
import dev.tsdb.index.storage.MetadataQueryable;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleRejectedException;
import dev.tsdb.index.storage.SampleRejectedException.Reason;
import dev.tsdb.index.storage.Storage;
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
import java.util.logging.Level;
import java.util.logging.Logger;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * The in-memory head block: recent samples of every active series (floats XOR-compressed, native
 * histograms in histogram chunks), indexed by RoaringBitmap postings.
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
public final class Head implements Storage, ChunkQueryable, ExemplarQueryable,
    MetadataQueryable {
  private static final Logger LOG = Logger.getLogger(Head.class.getName());
  final HeadOptions opts;
  final long chunkRange;
  final long oooWindow;
  volatile HeadWal wal;
  final SeriesTable table = new SeriesTable();
  final SeriesStripes stripes;
  /** Batch arrays reused by appenders (one per remote-write request). */
  final HeadAppender.BufferPool appendBuffers = new HeadAppender.BufferPool(16);
  final MemPostings postings = new MemPostings();
  final Isolation iso = new Isolation();
  final ReentrantLock commitLock = new ReentrantLock();
  final HeadStats stats = new HeadStats();
  final HeadTombstones tombstones = new HeadTombstones();
  final ExemplarStore exemplars;
  final HeadMetadata metadata = new HeadMetadata();
  private final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
  /** Appends older than this are out of bounds (raised by truncation). */
  private volatile long minValidTime = Long.MIN_VALUE;
  /** The cut prepared by {@link #prepareTruncation}, or Long.MIN_VALUE; guarded by commitLock. */
  private long preparedCut = Long.MIN_VALUE;
  private volatile boolean closed;
  private volatile WalLog walLog;
  private HeadReplay.Stats lastReplay;
  private final Object checkpointLock = new Object();
  private final ReplayProgress replayProgress;
  /** The directory {@link #open} was given (wal/, chunks_head/, chunk snapshots); or null. */
  private Path dir;
  /** The chunk snapshot {@link #open} loaded, or null. */
  private ChunkSnapshotLoader.Loaded snapshotLoaded;
  /** Full chunks on disk ({@code chunks_head/}) and their writer; null for an in-memory head. */
  volatile HeadChunkFiles chunkFiles;
  volatile ChunkWriteQueue chunkWriter;

  /** An in-memory head; {@link #open} adds a WAL. */
  public Head(HeadOptions opts) {
    this(opts, false);
  }

  private Head(HeadOptions opts, boolean replaying) {
    this.opts = opts;
    this.chunkRange = opts.chunkRangeMs;
    this.oooWindow = opts.outOfOrderTimeWindowMs;
    this.wal = opts.wal;
    this.stripes = new SeriesStripes(opts.stripeSize);
    this.exemplars = new ExemplarStore(opts.maxExemplars);
    this.replayProgress = opts.replayProgress != null ? opts.replayProgress : new ReplayProgress();
    if (!replaying) {
      replayProgress.finish();
    }
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
    Head h = new Head(opts, true);
    h.wal = HeadWal.NOOP;
    MappedChunkLoader loaded = new MappedChunkLoader();
    h.chunkFiles = HeadChunkFiles.open(dir.resolve(CHUNKS_HEAD_DIR), loaded);
    h.table.reserveUpTo(loaded.maxSeriesRef()); // refs of series gone from the WAL stay unused
    h.chunkWriter = new ChunkWriteQueue(h.chunkFiles);
    h.dir = dir;
    Wal w;
    try {
      java.util.Optional<ChunkSnapshotLoader.Loaded> snap = opts.chunkSnapshotOnShutdown
          ? ChunkSnapshotLoader.load(h, dir, walDir, loaded) : java.util.Optional.empty();
      h.snapshotLoaded = snap.orElse(null);
      int fromSegment = snap.map(l -> l.ref().segment()).orElse(-1);
      long fromOffset = snap.map(l -> l.ref().offset()).orElse(0L);
      h.lastReplay = HeadReplay.replay(h, walDir, opts.replayThreads, h.replayProgress, loaded,
          fromSegment, fromOffset);
      h.replayProgress.finish();
      w = Wal.open(walDir, opts.walOptions);
    } catch (IOException | RuntimeException e) {
      try {
        h.closeChunkFiles();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof ChunkSnapshotLoader.PartlyLoaded) {
        LOG.warning("Opening the head again without the chunk snapshot: " + e.getMessage());
        return open(dir, opts); // the snapshots are deleted: this time the whole WAL is replayed
      }
      throw e;
    }
    h.walLog = new WalLog(w, opts.walSyncPerCommit);
    h.wal = h.walLog;
    return h;
  }

  /** Directory of the memory-mapped head chunks inside the head's directory, as Prometheus's. */
  public static final String CHUNKS_HEAD_DIR = "chunks_head";

  /** Summary of the WAL replay done by {@link #open}, for logs and tests; null otherwise. */
  public String replaySummary() {
    return lastReplay == null ? null : lastReplay.toString();
  }

  /** Whether {@link #open} loaded a chunk snapshot (then it replayed only the WAL after it). */
  public boolean loadedChunkSnapshot() {
    return snapshotLoaded != null;
  }

  /** Whether {@link #open}'s replay found a corrupt or torn WAL tail and cut it off. */
  public boolean walRepaired() {
    return lastReplay != null && lastReplay.result().repaired();
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
    // Segments older than the newest checkpoint may be kept for remote-write queues
    // (WalRetention); a new checkpoint starts right after the last one.
    java.util.Optional<dev.tsdb.wal.Checkpoint.Ref> prev = Checkpoint.last(w.dir());
    if (prev.isPresent()) {
      first = Math.max(first, prev.get().index() + 1);
    }
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

  /**
   * The head as encoded chunks (any encoding) within [mint, maxt], series sorted in Go byte
   * order: sealed chunks inside the range as they are (no copy), the rest re-encoded; see
   * {@link HeadChunkQuerier}. Close it.
   */
  @Override
  public ChunkQuerier chunkQuerier(long mint, long maxt) {
    return new HeadChunkQuerier(this, mint, maxt, iso.openReader());
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

  /** In-order chunks in memory (sealed and open), as prometheus_tsdb_head_chunks. */
  public long numChunks() {
    return stats.chunksCreated.sum() - stats.chunksRemoved.sum();
  }

  /** Progress of the WAL replay done by {@link #open} (finished for a head without WAL). */
  public ReplayProgress replayProgress() {
    return replayProgress;
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

  /**
   * Hands the series' newly sealed chunks to the chunk writer (a no-op for an in-memory head).
   * Caller holds the series' monitor.
   */
  void queueSealed(MemSeries s) {
    ChunkWriteQueue w = chunkWriter;
    if (w != null) {
      w.queueSealed(s);
    }
  }

  /** Waits until every sealed chunk is written to chunks_head/ (tests); no-op in memory. */
  public void flushChunks() throws IOException {
    ChunkWriteQueue w = chunkWriter;
    if (w != null) {
      try {
        w.drain();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted waiting for the head chunk writer", e);
      }
    }
  }

  private MemSeries newSeries(int id, Labels labels) {
    Labels canonical = postings.add(id, labels);
    MemSeries s = new MemSeries(id, canonical);
    if (metadata.hasFamilies()) {
      s.meta = metadata.inherited(HeadMetadata.name(canonical));
    }
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
      if (a.nMd > 0) {
        collectMetadataChanges(a);
      }
      logToWal(a);
      long seq = iso.nextSeq();
      long oldestReader = iso.oldestReader();
      // A truncation prepared since the appender took its bounds raised the floor.
      long minValid = Math.max(a.minValidTime, minValidTime);
      // Batch after batch (see HeadAppender): floats, then integer, then float histograms.
      long[] bounds = {Long.MAX_VALUE, Long.MIN_VALUE};
      // Appended in order and out of order: floats, then histograms (both kinds).
      long[] counts = new long[4];
      int floatsFrom = 0;
      int histogramsFrom = 0;
      int floatHistogramsFrom = 0;
      for (int b = 0, batches = a.batches(); b < batches; b++) {
        int floatsTo = a.floatEnd(b);
        applyFloats(a, floatsFrom, floatsTo, seq, oldestReader, minValid, bounds, counts);
        floatsFrom = floatsTo;
        int histogramsTo = a.histogramEnd(b);
        applyHistograms(a.histograms, histogramsFrom, histogramsTo, a, seq, oldestReader,
            minValid, bounds, counts);
        histogramsFrom = histogramsTo;
        int floatHistogramsTo = a.floatHistogramEnd(b);
        applyHistograms(a.floatHistograms, floatHistogramsFrom, floatHistogramsTo, a, seq,
            oldestReader, minValid, bounds, counts);
        floatHistogramsFrom = floatHistogramsTo;
      }
      if (counts[0] + counts[1] + counts[2] + counts[3] > 0) {
        updateMinMaxTime(bounds[0], bounds[1]);
      }
      // As Prometheus counts them: samples appended include the out-of-order ones.
      stats.samplesAppended.add(counts[0] + counts[1]);
      stats.outOfOrderSamplesAppended.add(counts[1]);
      stats.histogramSamplesAppended.add(counts[2] + counts[3]);
      stats.outOfOrderHistogramsAppended.add(counts[3]);
      for (int k = 0; k < a.nEx; k++) {
        // Validated at append; a concurrent commit may have added a newer one: then dropped.
        exemplars.add(a.exSeries[k].labels, a.exemplars[k]);
      }
      for (int k = 0; k < a.mdTargets.size(); k++) {
        a.mdTargets.get(k).meta = a.mdNew.get(k);
      }
      a.mdTargets.clear();
      a.mdNew.clear();
      stats.commits.increment();
      iso.publish(seq);
    } finally {
      commitLock.unlock();
    }
  }

  /**
   * Applies one kind of the batch's histograms in order, checked again as at append (a concurrent
   * commit may have won): in order into the series' chunks, out of order (within the window)
   * into its out-of-order chunks. Widens {@code bounds} (mint, maxt) by what was appended and
   * adds to {@code counts[2]} (in order) and {@code counts[3]} (out of order). Under the commit
   * lock.
   */
  private <H> void applyHistograms(PendingHistograms<H> p, int from, int to, HeadAppender a,
      long seq, long oldestReader, long minValid, long[] bounds, long[] counts) {
    if (p == null) {
      return;
    }
    long appended = 0;
    long ooo = 0;
    int i = from;
    while (i < to) {
      MemSeries s = p.series[i];
      synchronized (s) {
        s.pendingCommit = false;
        do {
          long t = p.ts[i];
          H h = p.values[i];
          int r = p.appendable(s, t, h, a.headMaxt, minValid, oooWindow);
          if (r == MemSeries.IN_ORDER) {
            s.beginRun(seq, oldestReader);
            if (p.appendTo(s, t, h, chunkRange)) {
              stats.chunksCreated.increment();
              queueSealed(s);
            }
            appended++;
          } else if (r == MemSeries.OUT_OF_ORDER_OK
              && s.insertOoo(t, 0, h, opts.outOfOrderCapMax)) {
            ooo++; // keeps the batch's copy, which the appender only dereferences at reset
          } else {
            if (r != MemSeries.DUP_NOOP) {
              stats.droppedAtCommit.increment();
            }
            continue;
          }
          bounds[0] = Math.min(bounds[0], t);
          bounds[1] = Math.max(bounds[1], t);
        } while (++i < to && p.series[i] == s);
      }
    }
    counts[2] += appended;
    counts[3] += ooo;
  }

  /**
   * Applies the batch's float samples {@code from..to}, checked again as at append (a concurrent
   * commit may have won); widens {@code bounds} (mint, maxt) and adds to {@code counts}
   * (in-order, out-of-order appended). Under the commit lock.
   */
  private void applyFloats(HeadAppender a, int from, int to, long seq, long oldestReader,
      long minValid, long[] bounds, long[] counts) {
    MemSeries[] series = a.series;
    long[] ts = a.ts;
    double[] vs = a.vs;
    long mint = bounds[0];
    long maxt = bounds[1];
    long appended = 0;
    long ooo = 0;
    int i = from;
    while (i < to) {
      MemSeries s = series[i];
      synchronized (s) {
        s.pendingCommit = false;
        // Consecutive samples of the same series are applied under one lock hold.
        do {
          long t = ts[i];
          double v = vs[i];
          int r = s.appendable(t, Double.doubleToRawLongBits(v), a.headMaxt, minValid,
              oooWindow);
          if (r == MemSeries.IN_ORDER) {
            s.beginRun(seq, oldestReader);
            if (s.appendInOrder(t, v, chunkRange, opts.samplesPerChunk)) {
              stats.chunksCreated.increment();
              queueSealed(s);
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
        } while (++i < to && series[i] == s);
      }
    }
    bounds[0] = mint;
    bounds[1] = maxt;
    counts[0] += appended;
    counts[1] += ooo;
  }

  /**
   * Turns the batch's metadata updates into (series, new metadata) pairs for the series whose
   * metadata changes, in {@code a.mdTargets}/{@code a.mdNew}. Under the commit lock.
   */
  private void collectMetadataChanges(HeadAppender a) {
    for (int i = 0; i < a.nMd; i++) {
      MetricMetadata md = a.mdValues[i];
      MemSeries s = a.mdSeries[i];
      if (s != null) {
        String family = HeadMetadata.familyOf(HeadMetadata.name(s.labels), md.type());
        SeriesMeta sm = metadata.intern(family, md);
        if (s.meta != sm) {
          a.mdTargets.add(s);
          a.mdNew.add(sm);
        }
        continue;
      }
      String family = a.mdFamily[i];
      metadata.putFamily(family, md); // series created from now on inherit it
      SeriesMeta sm = metadata.intern(family, md);
      for (String name : HeadMetadata.seriesNames(family, md.type())) {
        IntIterator it = postings.select(Matcher.eq(Labels.METRIC_NAME, name)).getIntIterator();
        while (it.hasNext()) {
          MemSeries t = table.get(it.next());
          if (t != null && t.meta != sm) {
            a.mdTargets.add(t);
            a.mdNew.add(sm);
          }
        }
      }
    }
  }

  private void logToWal(HeadAppender a) throws IOException {
    HeadWal wal = this.wal;
    if (wal == HeadWal.NOOP) {
      return;
    }
    int n = a.n;
    int newSeries = 0;
    List<MemSeries> inherited = null; // new series with their family's metadata: logged too
    PendingHistograms<?> hs = a.histograms;
    PendingHistograms<?> fhs = a.floatHistograms;
    for (int pass = 0; pass < 5; pass++) {
      MemSeries[] arr = switch (pass) {
        case 0 -> a.series;
        case 1 -> hs == null ? null : hs.series;
        case 2 -> fhs == null ? null : fhs.series;
        case 3 -> a.exSeries;
        default -> a.mdSeries;
      };
      int len = switch (pass) {
        case 0 -> n;
        case 1 -> hs == null ? 0 : hs.n;
        case 2 -> fhs == null ? 0 : fhs.n;
        case 3 -> a.nEx;
        default -> a.nMd;
      };
      for (int i = 0; i < len; i++) {
        MemSeries s = arr[i];
        if (s != null && !s.walLogged) {
          a.walSeries = grow(a.walSeries, newSeries + 1);
          a.walSeriesLabels = growLabels(a.walSeriesLabels, newSeries + 1);
          s.walLogged = true; // dedupes within the batch; undone below if logging fails
          a.walSeries[newSeries] = s.id;
          a.walSeriesLabels[newSeries] = s.labels;
          newSeries++;
          if (s.meta != null) {
            if (inherited == null) {
              inherited = new ArrayList<>();
            }
            inherited.add(s);
          }
        }
      }
    }
    a.walRefs = grow(a.walRefs, Math.max(n, a.nEx));
    for (int i = 0; i < n; i++) {
      a.walRefs[i] = a.series[i].id;
    }
    try {
      if (newSeries > 0) {
        wal.logSeries(a.walSeries, a.walSeriesLabels, newSeries);
      }
      if (a.batches() == 1) {
        if (n > 0) {
          wal.logSamples(a.walRefs, a.ts, a.vs, n);
        }
        if (hs != null && hs.n > 0) {
          wal.logHistograms(histogramRefs(a, hs, 0, hs.n), hs.ts, a.histograms.values, hs.n);
        }
        if (fhs != null && fhs.n > 0) {
          wal.logFloatHistograms(histogramRefs(a, fhs, 0, fhs.n), fhs.ts,
              a.floatHistograms.values, fhs.n);
        }
      } else {
        logBatches(wal, a);
      }
      if (a.nEx > 0) {
        long[] ets = new long[a.nEx];
        double[] evs = new double[a.nEx];
        Labels[] els = new Labels[a.nEx];
        for (int i = 0; i < a.nEx; i++) {
          a.walRefs[i] = a.exSeries[i].id;
          ets[i] = a.exemplars[i].timestampMs();
          evs[i] = a.exemplars[i].value();
          els[i] = a.exemplars[i].labels();
        }
        wal.logExemplars(a.walRefs, ets, evs, els, a.nEx);
      }
      int ni = inherited == null ? 0 : inherited.size();
      int nm = ni + a.mdTargets.size();
      if (nm > 0) {
        // Inherited first: a change in this batch is newer and must win on replay.
        long[] refs = new long[nm];
        MetricMetadata[] mds = new MetricMetadata[nm];
        for (int i = 0; i < nm; i++) {
          MemSeries s = i < ni ? inherited.get(i) : a.mdTargets.get(i - ni);
          refs[i] = s.id;
          mds[i] = (i < ni ? s.meta : a.mdNew.get(i - ni)).metadata();
        }
        wal.logMetadata(refs, mds, nm);
      }
      wal.flush();
    } catch (IOException | RuntimeException e) {
      for (int i = 0; i < newSeries; i++) {
        MemSeries s = table.get(a.walSeries[i]);
        if (s != null) {
          s.walLogged = false;
        }
      }
      a.mdTargets.clear();
      a.mdNew.clear();
      throw e;
    } finally {
      java.util.Arrays.fill(a.walSeriesLabels, 0, newSeries, null);
    }
  }

  /**
   * The samples of an appender with several type-clean batches, logged batch after batch as
   * commit applies them, so replay applies them in the same order. Rare: copies are fine.
   */
  private static void logBatches(HeadWal wal, HeadAppender a) throws IOException {
    PendingHistograms.Integers hs = a.histograms;
    PendingHistograms.Floats fhs = a.floatHistograms;
    int floatsFrom = 0;
    int histogramsFrom = 0;
    int floatHistogramsFrom = 0;
    for (int b = 0, batches = a.batches(); b < batches; b++) {
      int floatsTo = a.floatEnd(b);
      if (floatsTo > floatsFrom) {
        int len = floatsTo - floatsFrom;
        long[] refs = new long[len];
        for (int i = 0; i < len; i++) {
          refs[i] = a.series[floatsFrom + i].id;
        }
        wal.logSamples(refs,
            java.util.Arrays.copyOfRange(a.ts, floatsFrom, floatsTo),
            java.util.Arrays.copyOfRange(a.vs, floatsFrom, floatsTo), len);
      }
      floatsFrom = floatsTo;
      int histogramsTo = a.histogramEnd(b);
      if (histogramsTo > histogramsFrom) {
        wal.logHistograms(histogramRefs(a, hs, histogramsFrom, histogramsTo),
            java.util.Arrays.copyOfRange(hs.ts, histogramsFrom, histogramsTo),
            java.util.Arrays.copyOfRange(hs.values, histogramsFrom, histogramsTo),
            histogramsTo - histogramsFrom);
      }
      histogramsFrom = histogramsTo;
      int floatHistogramsTo = a.floatHistogramEnd(b);
      if (floatHistogramsTo > floatHistogramsFrom) {
        wal.logFloatHistograms(histogramRefs(a, fhs, floatHistogramsFrom, floatHistogramsTo),
            java.util.Arrays.copyOfRange(fhs.ts, floatHistogramsFrom, floatHistogramsTo),
            java.util.Arrays.copyOfRange(fhs.values, floatHistogramsFrom, floatHistogramsTo),
            floatHistogramsTo - floatHistogramsFrom);
      }
      floatHistogramsFrom = floatHistogramsTo;
    }
  }

  /**
   * The series refs of samples {@code from..to} of one kind of the batch's histograms, from index
   * 0 of a fresh array when {@code from > 0}, else of the appender's WAL scratch.
   */
  private static long[] histogramRefs(HeadAppender a, PendingHistograms<?> p, int from, int to) {
    long[] refs;
    if (from == 0) {
      a.walRefs = grow(a.walRefs, to);
      refs = a.walRefs;
    } else {
      refs = new long[to - from];
    }
    for (int i = from; i < to; i++) {
      refs[i - from] = p.series[i].id;
    }
    return refs;
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
   * First step of a head cut at {@code mint}: appends older than mint become out of bounds (also
   * for appenders that took their bounds earlier, checked again at commit) and the out-of-order
   * data held now is marked as what the cut persists. Call before reading the data to persist;
   * {@link #truncateBefore} with the same mint then drops only that data, so out-of-order
   * samples committed meanwhile (even older than mint) stay in the head for the next cut.
   * Waits for the commit in flight, if any.
   */
  public void prepareTruncation(long mint) {
    commitLock.lock();
    try {
      freezeForCut(mint);
    } finally {
      commitLock.unlock();
    }
  }

  private void freezeForCut(long mint) {
    if (mint > minValidTime) {
      minValidTime = mint;
    }
    table.forEach(s -> {
      synchronized (s) {
        if (s.ooo != null) {
          s.ooo.freeze();
        }
      }
    });
    preparedCut = mint;
  }

  /**
   * Drops all data older than mint (whole chunks) and the series left empty, and makes appends
   * older than mint out of bounds. Used when the oldest part of the head has been written to a
   * block. After {@link #prepareTruncation}(mint), out-of-order data committed since is kept;
   * otherwise all out-of-order data older than mint is dropped too (whole chunks).
   *
   * @return the number of series removed
   */
  public int truncateBefore(long mint) {
    commitLock.lock();
    try {
      if (preparedCut != mint) {
        freezeForCut(mint);
      }
      preparedCut = Long.MIN_VALUE;
      List<MemSeries> empty = new ArrayList<>();
      long[] newMin = {Long.MAX_VALUE};
      long[] removedChunks = {0};
      table.forEach(s -> {
        synchronized (s) {
          int chunksBefore = s.numChunks();
          boolean noData = s.truncateBefore(mint);
          removedChunks[0] += chunksBefore - s.numChunks();
          if (noData && !s.pendingCommit) {
            s.deleted = true;
            empty.add(s);
          } else {
            newMin[0] = Math.min(newMin[0], s.unpersistedMinTime(mint));
          }
        }
      });
      int[] ids = new int[empty.size()];
      Labels[] ls = new Labels[empty.size()];
      for (int i = 0; i < ids.length; i++) {
        MemSeries s = empty.get(i);
        stripes.remove(s.labels.hash64(), s);
        table.remove(s);
        tombstones.remove(s.id);
        ids[i] = s.id;
        ls[i] = s.labels;
      }
      postings.delete(ids, ls, ids.length);
      tombstones.truncateBefore(mint);
      stats.seriesRemoved.add(ids.length);
      stats.chunksRemoved.add(removedChunks[0]);
      if (table.size() == 0 || newMin[0] == Long.MAX_VALUE) {
        minTime.set(Long.MAX_VALUE);
        maxTime.set(Long.MIN_VALUE);
      } else {
        minTime.set(newMin[0]);
      }
      truncateChunkFiles(mint);
      return ids.length;
    } finally {
      commitLock.unlock();
    }
  }

  /**
   * Deletes [mint, maxt] (inclusive) of the series matching the matchers, as Prometheus's
   * Head.Delete: each series' interval is clamped to the data it holds now (samples appended
   * later are not deleted), logged to the WAL as a tombstone and honoured by every query from
   * then on. Ordered with commits by the commit lock.
   *
   * @return the number of series that got a tombstone
   */
  public int delete(long mint, long maxt, Matcher... matchers) throws IOException {
    if (mint > maxt) {
      return 0;
    }
    commitLock.lock();
    try {
      if (closed) {
        throw new IOException("head is closed");
      }
      RoaringBitmap ids = postings.select(matchers);
      int n = 0;
      long[] refs = new long[Math.min(ids.getCardinality(), 1024)];
      long[] mints = new long[refs.length];
      long[] maxts = new long[refs.length];
      IntIterator it = ids.getIntIterator();
      while (it.hasNext()) {
        MemSeries s = table.get(it.next());
        if (s == null) {
          continue;
        }
        long lo;
        long hi;
        synchronized (s) {
          lo = s.minTime();
          hi = s.maxTimeAll();
        }
        if (lo == Long.MAX_VALUE || hi == Long.MIN_VALUE || lo > maxt || hi < mint) {
          continue;
        }
        if (n == refs.length) {
          refs = java.util.Arrays.copyOf(refs, n * 2);
          mints = java.util.Arrays.copyOf(mints, n * 2);
          maxts = java.util.Arrays.copyOf(maxts, n * 2);
        }
        refs[n] = s.id;
        mints[n] = Math.max(mint, lo);
        maxts[n] = Math.min(maxt, hi);
        n++;
      }
      if (n == 0) {
        return 0;
      }
      HeadWal w = this.wal;
      w.logTombstones(refs, mints, maxts, n);
      w.flush();
      for (int i = 0; i < n; i++) {
        tombstones.add((int) refs[i], mints[i], maxts[i]);
      }
      return n;
    } finally {
      commitLock.unlock();
    }
  }

  @Override
  public List<ExemplarSeries> selectExemplars(long start, long end,
      List<List<Matcher>> matcherSets) {
    return exemplars.select(start, end, matcherSets);
  }

  /** Exemplars held in the circular buffer (prometheus_tsdb_exemplar_exemplars_in_storage). */
  public int numExemplars() {
    return exemplars.size();
  }

  /** Series with exemplars (prometheus_tsdb_exemplar_series_with_exemplars_in_storage). */
  public int seriesWithExemplars() {
    return exemplars.seriesWithExemplars();
  }

  /** Exemplars added (prometheus_tsdb_exemplar_exemplars_appended_total). */
  public long exemplarsAppended() {
    return exemplars.appended();
  }

  /** Capacity of the exemplar buffer (prometheus_tsdb_exemplar_max_exemplars). */
  public int maxExemplars() {
    return exemplars.maxExemplars();
  }

  /**
   * Changes the exemplar buffer's capacity ({@code storage.exemplars.max_exemplars} on config
   * reload), keeping the newest exemplars that fit; 0 stops storing exemplars.
   */
  public void resizeExemplars(int max) {
    exemplars.resize(max);
  }

  @Override
  public java.util.Map<String, List<MetricMetadata>> metricMetadata(String metric, int limit,
      int limitPerMetric) {
    List<SeriesMeta> metas = new ArrayList<>();
    table.forEach(s -> {
      SeriesMeta m = s.meta;
      if (m != null) {
        metas.add(m);
      }
    });
    return metadata.list(metas, metric, limit, limitPerMetric);
  }

  /** The metadata recorded for a series, or null (tests). */
  MetricMetadata seriesMetadata(Labels labels) {
    MemSeries s = stripes.get(labels.hash64(), labels);
    SeriesMeta m = s == null ? null : s.meta;
    return m == null ? null : m.metadata();
  }

  /** Series with deleted intervals (tests and status). */
  public int tombstonedSeries() {
    return tombstones.size();
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
        b[1] += s.openBytes();
        if (s.head != null) {
          b[2] += s.head.capacity();
        } else if (s.hist != null) {
          b[2] += s.hist.capacity();
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

  /** Deletes the head chunk files holding only chunks older than mint (all dropped by now). */
  private void truncateChunkFiles(long mint) {
    HeadChunkFiles f = chunkFiles;
    if (f != null) {
      try {
        f.truncateBefore(mint);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "Deleting old head chunk files failed; retried at the next cut", e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    commitLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      boolean clean = false;
      try {
        wal.sync();
        clean = true;
      } finally {
        try {
          wal.close(); // also after a failed sync (a full disk): release the segment and thread
        } catch (IOException | RuntimeException e) {
          clean = false;
          throw e;
        } finally {
          if (opts.chunkSnapshotOnShutdown && walLog != null) {
            queueAllSealed(); // the snapshot holds head chunks only: the rest into chunks_head/
          }
          closeChunkFiles();
        }
      }
      if (clean && opts.chunkSnapshotOnShutdown && walLog != null) {
        writeChunkSnapshot();
      }
    } finally {
      commitLock.unlock();
    }
  }

  /**
   * Queues every sealed chunk for chunks_head/ but the newest of a series without an open chunk
   * when it is still on the heap (a head chunk restored from a snapshot, no sample since): the
   * snapshot keeps that one as the series' head chunk, as the previous one did.
   */
  private void queueAllSealed() {
    ChunkWriteQueue w = chunkWriter;
    if (w == null) {
      return;
    }
    table.forEach(s -> {
      synchronized (s) {
        w.queueSealed(s, ChunkSnapshotWriter.heldHeadChunk(s) ? s.nSealed - 1 : s.nSealed);
      }
    });
  }

  /**
   * Writes the chunk snapshot after a clean close. A failure loses nothing (the WAL is complete;
   * the next open replays it), so it is logged, not thrown.
   */
  private void writeChunkSnapshot() {
    java.util.Optional<String> unsupported = ChunkSnapshotWriter.unsupported(this);
    if (unsupported.isPresent()) {
      LOG.warning("No chunk snapshot written (" + unsupported.get()
          + "); the next start replays the WAL");
      return;
    }
    long start = System.nanoTime();
    try {
      java.util.Optional<Path> written = ChunkSnapshotWriter.write(this, dir, dir.resolve("wal"),
          opts.walOptions);
      LOG.info(written.map(p -> "Chunk snapshot " + p.getFileName() + " written in "
          + (System.nanoTime() - start) / 1_000_000 + " ms: " + table.size() + " series")
          .orElse("Chunk snapshot is up to date: nothing was logged since it was taken"));
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "Writing the chunk snapshot failed; the next start replays the WAL",
          e);
    }
  }

  /** Writes the queued chunks and finishes the segment being written. */
  private void closeChunkFiles() throws IOException {
    ChunkWriteQueue w = chunkWriter;
    if (w != null) {
      try {
        w.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    HeadChunkFiles f = chunkFiles;
    if (f != null) {
      f.close();
    }
  }
}
