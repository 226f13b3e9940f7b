package dev.tsdb.head;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.wal.RecordDispatcher;
import dev.tsdb.wal.WalReplay;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.wal.record.ExemplarBatch;
import dev.tsdb.wal.record.FloatHistogramBatch;
import dev.tsdb.wal.record.HistogramBatch;
import dev.tsdb.wal.record.HistogramSampleBatch;
import dev.tsdb.wal.record.MetadataBatch;
import dev.tsdb.wal.record.SampleBatch;
import dev.tsdb.wal.record.SeriesBatch;
import dev.tsdb.wal.record.TombstoneBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Rebuilds a head from its WAL directory (checkpoint, then segments). Series records are applied
 * on the reading thread; samples (floats and native histograms alike) are routed to worker
 * threads by series id, so each series' samples keep their log order while series are filled in
 * parallel. Damage at the tail of the
 * log is cut off by {@link WalReplay} (and logged with segment and offset).
 */
final class HeadReplay {
  private static final Logger LOG = Logger.getLogger(HeadReplay.class.getName());
  private static final int CHUNK = 4096;

  /** What a replay did. */
  record Stats(long series, long samples, long outOfOrderSamples, long droppedSamples,
      long unknownRefSamples, long tombstones, long exemplars, long metadata,
      long skippedHistogramSamples,
      WalReplay.Result result, long millis, long mmappedChunks, long samplesInMmappedChunks) {}

  /** Samples for one worker, reused through a pool. */
  private static final class Chunk {
    final MemSeries[] series = new MemSeries[CHUNK];
    final long[] ts = new long[CHUNK];
    final double[] vs = new double[CHUNK];
    /** A histogram sample's {@link Histogram} or {@link FloatHistogram} (a copy); null: float. */
    final Object[] hs = new Object[CHUNK];
    int n;
  }

  private static final Chunk POISON = new Chunk();

  private final Head head;
  private final MappedChunkLoader mapped;
  private final int nWorkers;
  private final BlockingQueue<Chunk> free;
  private final BlockingQueue<Chunk>[] queues;
  private final Chunk[] filling;
  private final Thread[] workers;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Map<Long, MemSeries> remapped = new HashMap<>();
  private long series;
  private long samples;
  private long unknownRefs;
  private long tombstones;
  private long exemplars;
  private long metadata;
  // Series by WAL ref and what loaded chunks hold of them (reader thread).
  private final ReplayRefs refs = new ReplayRefs();
  private final long[] appliedPerWorker;
  private final long[] oooPerWorker;
  // Histogram samples applied in order and out of order (counted apart, by type, as at commit).
  private final long[] histogramsPerWorker;
  private final long[] oooHistogramsPerWorker;
  private final long[] droppedPerWorker;

  @SuppressWarnings("unchecked")
  private HeadReplay(Head head, int nWorkers, MappedChunkLoader mapped) {
    this.head = head;
    this.mapped = mapped;
    this.nWorkers = nWorkers;
    this.free = new ArrayBlockingQueue<>(nWorkers * 8);
    this.queues = new BlockingQueue[nWorkers];
    this.filling = new Chunk[nWorkers];
    this.workers = new Thread[nWorkers];
    this.appliedPerWorker = new long[nWorkers];
    this.oooPerWorker = new long[nWorkers];
    this.histogramsPerWorker = new long[nWorkers];
    this.oooHistogramsPerWorker = new long[nWorkers];
    this.droppedPerWorker = new long[nWorkers];
    for (int i = 0; i < nWorkers * 8; i++) {
      free.add(new Chunk());
    }
    for (int w = 0; w < nWorkers; w++) {
      queues[w] = new ArrayBlockingQueue<>(8);
      int id = w;
      workers[w] = new Thread(() -> work(id), "wal-replay-" + w);
      workers[w].setDaemon(true);
    }
  }

  /**
   * Replays {@code walDir} into {@code head}; the series it creates first get their chunks from
   * {@code mapped} (loaded from chunks_head/), and WAL samples those hold are skipped.
   */
  static Stats replay(Head head, Path walDir, int threads, ReplayProgress progress,
      MappedChunkLoader mapped) throws IOException {
    return replay(head, walDir, threads, progress, mapped, -1, 0);
  }

  /**
   * {@link #replay(Head, Path, int, ReplayProgress, MappedChunkLoader)} of only the WAL after
   * byte {@code fromOffset} of segment {@code fromSegment} (a loaded chunk snapshot holds the
   * rest); a negative fromSegment replays the whole WAL.
   */
  static Stats replay(Head head, Path walDir, int threads, ReplayProgress progress,
      MappedChunkLoader mapped, int fromSegment, long fromOffset) throws IOException {
    int n = threads > 0 ? threads : Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    HeadReplay r = new HeadReplay(head, n, mapped);
    r.fromSegment = fromSegment;
    r.fromOffset = fromOffset;
    return r.run(walDir, progress);
  }

  private int fromSegment = -1;
  private long fromOffset;

  static Stats replay(Head head, Path walDir, int threads, ReplayProgress progress)
      throws IOException {
    return replay(head, walDir, threads, progress, new MappedChunkLoader());
  }

  private Stats run(Path walDir, ReplayProgress progress) throws IOException {
    long start = System.nanoTime();
    LOG.info("Replaying WAL " + walDir + " with " + nWorkers + " worker(s)");
    for (Thread t : workers) {
      t.start();
    }
    RecordDispatcher dispatcher = new RecordDispatcher(new RecordDispatcher.Sink() {
      @Override
      public void series(SeriesBatch b) {
        onSeries(b);
      }

      @Override
      public void samples(SampleBatch b) throws IOException {
        onSamples(b);
      }

      @Override
      public boolean ingestsHistograms() {
        return true;
      }

      @Override
      public void histograms(HistogramBatch b) throws IOException {
        onHistograms(b);
      }

      @Override
      public void floatHistograms(FloatHistogramBatch b) throws IOException {
        onHistograms(b);
      }

      @Override
      public void tombstones(TombstoneBatch b) {
        onTombstones(b);
      }

      @Override
      public void exemplars(ExemplarBatch b) {
        for (int i = 0; i < b.size; i++) {
          MemSeries s = resolve(b.refs[i]);
          if (s != null) {
            // Out-of-order or duplicate ones were refused when appended too; ignore as Prometheus.
            head.exemplars.add(s.labels, new Exemplar(b.labels[i], b.vs[i], b.ts[i]));
            exemplars++;
          }
        }
      }

      @Override
      public void metadata(MetadataBatch b) {
        for (int i = 0; i < b.size; i++) {
          MemSeries s = resolve(b.refs[i]);
          if (s != null) {
            String type = MetadataBatch.typeName(b.types[i]);
            MetricMetadata md = new MetricMetadata(type, b.helps[i], b.units[i]);
            s.meta = head.metadata.intern(
                HeadMetadata.familyOf(HeadMetadata.name(s.labels), type), md);
            metadata++;
          }
        }
      }
    });
    long[] records = {0};
    long[] lastLog = {System.nanoTime()};
    WalReplay.Result result;
    try {
      result = WalReplay.replay(walDir, (rec, len) -> {
        dispatcher.accept(rec, len);
        if ((++records[0] & 1023) == 0 && System.nanoTime() - lastLog[0] > 5_000_000_000L) {
          lastLog[0] = System.nanoTime();
          LOG.info("WAL replay progress: " + records[0] + " records, " + series + " series, "
              + samples + " samples");
        }
        checkFailure();
      }, new WalReplay.ProgressListener() {
        @Override
        public void start(int firstSegment, int lastSegment) {
          progress.start(firstSegment, lastSegment);
        }

        @Override
        public void segmentsDone(int upTo) {
          progress.segmentsDone(upTo);
        }
      }, fromSegment, fromOffset);
      for (int w = 0; w < nWorkers; w++) {
        if (filling[w] != null && filling[w].n > 0) {
          put(queues[w], filling[w]);
          filling[w] = null;
        }
      }
    } finally {
      for (int w = 0; w < nWorkers; w++) {
        try {
          queues[w].put(POISON);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      for (Thread t : workers) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted during WAL replay", e);
        }
      }
    }
    checkFailure();
    head.postings.optimize();
    long applied = 0;
    long ooo = 0;
    long histograms = 0;
    long oooHistograms = 0;
    long dropped = 0;
    for (int w = 0; w < nWorkers; w++) {
      applied += appliedPerWorker[w];
      ooo += oooPerWorker[w];
      histograms += histogramsPerWorker[w];
      oooHistograms += oooHistogramsPerWorker[w];
      dropped += droppedPerWorker[w];
    }
    head.stats.samplesAppended.add(applied + ooo); // out-of-order ones included, as at commit
    head.stats.outOfOrderSamplesAppended.add(ooo);
    head.stats.histogramSamplesAppended.add(histograms + oooHistograms);
    head.stats.outOfOrderHistogramsAppended.add(oooHistograms);
    ooo += oooHistograms;
    long ms = (System.nanoTime() - start) / 1_000_000;
    Stats st = new Stats(series, samples, ooo, dropped, unknownRefs, tombstones, exemplars, metadata,
        dispatcher.skippedHistogramSamples(), result, ms, mapped.attached(), refs.inMapped());
    LOG.info("WAL replay done in " + ms + " ms: " + result.checkpointRecords()
        + " checkpoint records" + result.checkpoint().map(c -> " from " + c.dir()).orElse("")
        + ", " + result.walRecords() + " segment records, " + series + " series, " + samples
        + " samples (" + ooo + " out-of-order, " + dropped + " dropped, " + unknownRefs
        + " for unknown series), " + tombstones + " tombstones, " + exemplars + " exemplars, "
        + metadata + " metadata, "
        + dispatcher.skippedHistogramSamples() + " histogram samples skipped, "
        + mapped.attached() + " of " + mapped.chunks() + " memory-mapped chunks attached ("
        + refs.inMapped() + " WAL samples in them skipped, " + mapped.skippedOutOfOrder()
        + " out-of-order chunks not loaded)"
        + (result.repaired() ? "; repaired: " + result.corruption().getMessage() : ""));
    return st;
  }

  private void checkFailure() throws IOException {
    Throwable t = failure.get();
    if (t != null) {
      throw new IOException("WAL replay worker failed", t);
    }
  }

  private void onSeries(SeriesBatch b) {
    for (int i = 0; i < b.size; i++) {
      long ref = b.refs[i];
      Labels ls = b.labels[i];
      if (ls.isEmpty()) {
        continue;
      }
      MemSeries s;
      if (ref > 0 && ref < Integer.MAX_VALUE) {
        s = head.createWithId((int) ref, ls);
      } else {
        try {
          s = head.getOrCreate(ls);
        } catch (dev.tsdb.index.storage.SampleRejectedException e) {
          continue;
        }
      }
      if (s.id != ref) {
        remapped.put(ref, s); // a second record for the same labels, or a ref beyond int
      }
      refs.remember(ref, s);
      if (mapped.attach(ref, s, head)) {
        refs.attached(s);
      }
      s.walLogged = true;
      series++;
    }
  }

  private void onTombstones(TombstoneBatch b) {
    for (int i = 0; i < b.size; i++) {
      MemSeries s = resolve(b.refs[i]);
      if (s != null && b.mints[i] <= b.maxts[i]) { // a series gone before the deletion: nothing to hide
        head.tombstones.add(s.id, b.mints[i], b.maxts[i]);
        tombstones++;
      }
    }
  }

  private MemSeries resolve(long ref) {
    if (!remapped.isEmpty()) {
      MemSeries s = remapped.get(ref);
      if (s != null) {
        return s;
      }
    }
    MemSeries s = head.table.get(ref);
    return s != null && s.id == ref ? s : null;
  }

  private void onSamples(SampleBatch b) throws IOException {
    long[] rs = b.refs;
    long[] ts = b.ts;
    for (int i = 0, n = b.size; i < n; i++) {
      MemSeries s = target(rs[i], ts[i]);
      if (s != null) {
        route(s, ts[i], b.vs[i], null);
      }
    }
    samples += b.size;
  }

  /**
   * The series a logged sample at t goes to; null when its ref is unknown (counted) or the chunks
   * loaded from chunks_head/ hold the sample (most of a restart's samples are: they are dropped
   * here on the reading thread, before they are queued).
   */
  private MemSeries target(long ref, long t) {
    int id = refs.id(ref);
    if (id > 0) {
      return refs.inMappedChunks(id, t) ? null : refs.series(id);
    }
    MemSeries s = resolve(ref);
    if (s == null) {
      unknownRefs++;
      return null;
    }
    id = refs.remember(ref, s);
    if (id > 0) {
      return refs.inMappedChunks(id, t) ? null : s;
    }
    return refs.inMappedChunks(s, t) ? null : s;
  }

  /** Routes histogram samples like floats; the batch's histograms are reused, so copied. */
  private void onHistograms(HistogramSampleBatch<?> b) throws IOException {
    for (int i = 0; i < b.size; i++) {
      MemSeries s = target(b.refs[i], b.ts[i]);
      if (s == null) {
        continue;
      }
      Object h = b.histograms[i];
      route(s, b.ts[i], 0, h instanceof Histogram ih ? ih.copy() : ((FloatHistogram) h).copy());
    }
    samples += b.size;
  }

  /** Queues one sample for the worker owning the series. */
  private void route(MemSeries s, long t, double v, Object histogram) throws IOException {
    int w = s.id % nWorkers;
    Chunk c = filling[w];
    if (c == null) {
      c = take(free);
      c.n = 0;
      filling[w] = c;
    }
    c.series[c.n] = s;
    c.ts[c.n] = t;
    c.vs[c.n] = v;
    c.hs[c.n] = histogram;
    if (++c.n == CHUNK) {
      put(queues[w], c);
      filling[w] = null;
    }
  }

  private Chunk take(BlockingQueue<Chunk> q) throws IOException {
    try {
      while (true) {
        Chunk c = q.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (c != null) {
          return c;
        }
        checkFailure();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during WAL replay", e);
    }
  }

  private void put(BlockingQueue<Chunk> q, Chunk c) throws IOException {
    try {
      while (!q.offer(c, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        checkFailure();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during WAL replay", e);
    }
  }

  /**
   * Applies a logged histogram like a float: in order it is appended; one at the newest timestamp
   * was a duplicate when logged too; older ones go to the out-of-order chunks when the window is
   * set (the window was checked at append), else they are dropped. Caller holds the series'
   * monitor.
   */
  private boolean replayHistogram(MemSeries s, long t, Object h, long chunkRange, int w) {
    if (s.hasInOrder() && t <= s.maxT) {
      if (t < s.maxT && head.oooWindow > 0
          && s.insertOoo(t, 0, h, head.opts.outOfOrderCapMax)) {
        oooHistogramsPerWorker[w]++;
        return true;
      }
      if (t != s.maxT) {
        droppedPerWorker[w]++;
      }
      return false;
    }
    boolean created = h instanceof Histogram ih
        ? s.appendHistogram(t, ih, chunkRange)
        : s.appendHistogram(t, (FloatHistogram) h, chunkRange);
    if (created) {
      head.stats.chunksCreated.increment();
      head.queueSealed(s);
    }
    histogramsPerWorker[w]++;
    return true;
  }

  private void work(int w) {
    long oooWindow = head.oooWindow;
    long chunkRange = head.chunkRange;
    int spc = head.opts.samplesPerChunk;
    int oooCap = head.opts.outOfOrderCapMax;
    try {
      while (true) {
        Chunk c = queues[w].take();
        if (c == POISON) {
          return;
        }
        if (failure.get() != null) {
          continue; // drain until poisoned
        }
        long mint = Long.MAX_VALUE;
        long maxt = Long.MIN_VALUE;
        for (int i = 0; i < c.n; i++) {
          MemSeries s = c.series[i];
          long t = c.ts[i];
          double v = c.vs[i];
          Object h = c.hs[i];
          boolean ok;
          synchronized (s) {
            if (h != null) {
              ok = replayHistogram(s, t, h, chunkRange, w);
            } else if (!s.hasInOrder() || t > s.maxT) {
              if (s.appendInOrder(t, v, chunkRange, spc)) {
                head.stats.chunksCreated.increment();
                head.queueSealed(s);
              }
              appliedPerWorker[w]++;
              ok = true;
            } else if (t < s.maxT && oooWindow > 0 && s.insertOoo(t, v, oooCap)) {
              // Logged samples passed the window check when appended; the head's max time at
              // that moment is not in the log, so the window is not re-checked here.
              oooPerWorker[w]++;
              ok = true;
            } else {
              if (t != s.maxT) {
                droppedPerWorker[w]++;
              }
              ok = false;
            }
          }
          if (ok) {
            mint = Math.min(mint, t);
            maxt = Math.max(maxt, t);
          }
          c.series[i] = null;
          c.hs[i] = null;
        }
        if (maxt != Long.MIN_VALUE) {
          head.updateMinMaxTime(mint, maxt);
        }
        c.n = 0;
        free.offer(c);
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
      // keep draining so the reader never blocks on a full queue
      try {
        while (queues[w].take() != POISON) {
          // discard
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
