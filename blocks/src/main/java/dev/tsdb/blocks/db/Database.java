package dev.tsdb.blocks.db;

import dev.tsdb.blocks.AlignedWindows;
import dev.tsdb.blocks.Block;
import dev.tsdb.blocks.BlockMeta;
import dev.tsdb.blocks.Compactor;
import dev.tsdb.blocks.CorruptBlockException;
import dev.tsdb.blocks.LeveledPlanner;
import dev.tsdb.blocks.Retention;
import dev.tsdb.gocompat.GoTimeFormat;
import dev.tsdb.head.HeadStats;
import dev.tsdb.head.ReplayProgress;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkQueryable;
import dev.tsdb.index.storage.CorruptionException;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.ExemplarQueryable;
import dev.tsdb.index.storage.ExemplarSeries;
import dev.tsdb.index.storage.MetadataQueryable;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleRejectedException;
import dev.tsdb.index.storage.Storage;
import dev.tsdb.wal.WalMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The time-series database: the in-memory head (recent data, backed by the WAL) plus persisted
 * blocks, in a Prometheus-compatible data directory.
 *
 * <h2>Reads</h2>
 * A querier over [mint, maxt] merges every block overlapping the range (in time order) and the
 * head (last); series are merged by labels and samples by timestamp, duplicates dropped with the
 * compaction rule (the earlier source wins). The head answers only from the "head floor" on, the
 * end of the newest block cut from it, so data that is both in a fresh block and still in the
 * head is read once.
 *
 * <h2>Maintenance</h2>
 * One background thread (and {@link #compact()} for callers) does, under one lock:
 * <ol>
 *   <li>head cut: while the head spans more than 1.5 block ranges, its oldest range goes into a
 *       level-1 block; the new block and the raised head floor are published together, then
 *       (once queriers of the old view are closed) the head is truncated;
 *   <li>compaction with the leveled planner; a new block is complete (renamed into place) before
 *       its sources are renamed {@code *.tmp-for-deletion} and deleted;
 *   <li>retention by time and size, deleting whole blocks oldest first.
 * </ol>
 * Every durable step calls {@link DbOptions#stepHook}: {@code cut.written},
 * {@code cut.truncated}, {@code compact.written}, {@code delete.renamed}, {@code delete.done}.
 *
 * <h2>Crash safety</h2>
 * At open, unfinished writes and deletions are removed, and blocks that are parents (in meta.json
 * {@code compaction.parents}) of another present block are deleted: their data is in the child.
 * Blocks that fail to open are moved to {@code corrupted/}, never deleted.
 */
public final class Database implements Storage, ChunkQueryable, ExemplarQueryable,
    MetadataQueryable {
  private static final Logger LOG = Logger.getLogger(Database.class.getName());
  /** How long a head truncation waits for queriers of the previous view before going ahead. */
  static final long READER_WAIT_MS = 120_000;

  private final Path dir;
  private final DbOptions opts;
  /** Guards the retention fields of {@link #opts}, which a reload changes. */
  private final Object retentionLock = new Object();
  private final LeveledPlanner planner;
  private final boolean outOfOrder;
  private final ReentrantLock maintenance = new ReentrantLock();
  private final AtomicBoolean maintenanceQueued = new AtomicBoolean();
  private LockFile lockFile;
  private volatile State state = new State(List.of(), Long.MIN_VALUE);
  private volatile DbHead head;
  private final ReplayProgress replay = new ReplayProgress();
  private volatile boolean ready;
  private volatile boolean closed;
  private ScheduledExecutorService background;

  private final AtomicLong corruptedBlocks = new AtomicLong();
  private final AtomicLong headCuts = new AtomicLong();
  private final AtomicLong compactions = new AtomicLong();
  private final AtomicLong compactionFailures = new AtomicLong();
  private final AtomicLong retentionDeletions = new AtomicLong();
  private final AtomicLong sizeRetentionDeletions = new AtomicLong();
  private final AtomicLong timeRetentionDeletions = new AtomicLong();
  private final WalMetrics walMetrics = new WalMetrics();
  private volatile LongConsumer compactionObserver = n -> {};
  /** New block directories that did not open, warned about once each. */
  private final Set<String> unloadableBlocks = new HashSet<>();

  /** The blocks and head floor queries see; replaced whole, never mutated. */
  static final class State {
    final List<Block> blocks; // by minTime, then ULID
    final long headFloor; // the head answers for t >= headFloor
    final AtomicInteger readers = new AtomicInteger();

    State(List<Block> blocks, long headFloor) {
      List<Block> b = new ArrayList<>(blocks);
      b.sort(Comparator.comparingLong(Block::minTime).thenComparing(Block::ulid));
      this.blocks = List.copyOf(b);
      this.headFloor = headFloor;
    }

    void release() {
      if (readers.decrementAndGet() == 0) {
        synchronized (this) {
          notifyAll();
        }
      }
    }
  }

  private Database(Path dir, DbOptions opts) {
    this.dir = dir;
    this.opts = opts;
    this.planner = new LeveledPlanner(opts.compactionRanges());
    this.outOfOrder = opts.outOfOrderTimeWindowMs > 0;
  }

  /**
   * A database on {@code dataDir} that is not loaded yet: serve readiness with {@link #isReady}
   * and call {@link #load()} (e.g. on another thread) to open it.
   */
  public static Database create(Path dataDir, DbOptions opts) {
    return new Database(dataDir, opts);
  }

  /** Creates and loads a database (blocking until the WAL is replayed). */
  public static Database open(Path dataDir, DbOptions opts) throws IOException {
    Database db = create(dataDir, opts);
    db.load();
    return db;
  }

  /**
   * Opens the data directory: lock, leftovers, blocks (corrupt ones moved aside), the head with
   * its WAL; then starts background maintenance and becomes ready.
   */
  public synchronized void load() throws IOException {
    if (ready || closed) {
      throw new IllegalStateException(closed ? "closed" : "already loaded");
    }
    Files.createDirectories(dir);
    if (!opts.noLockfile) {
      lockFile = LockFile.acquire(dir);
    }
    boolean ok = false;
    try {
      for (String name : BlockDirs.removeLeftovers(dir)) {
        LOG.info("Removed leftover directory " + name + " of an interrupted block write/delete");
      }
      List<Block> blocks = openBlocks();
      long floor = Long.MIN_VALUE;
      for (Block b : blocks) {
        floor = Math.max(floor, b.maxTime());
      }
      state = new State(blocks, floor);
      DbHead h = HeadAdapter.open(dir, opts, replay, walMetrics);
      head = h;
      if (floor != Long.MIN_VALUE && !outOfOrder) {
        // Data the blocks hold already. (With out-of-order ingestion the replayed WAL may hold
        // late samples below the floor that no block has yet: kept, the next cut persists them.)
        h.truncateBefore(floor);
      }
      warnAboutPrometheusWbl();
      if (opts.compactionIntervalMs > 0) {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
          Thread t = new Thread(r, "tsdb-maintenance");
          t.setDaemon(true);
          return t;
        });
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        ex.scheduleWithFixedDelay(this::maintainInBackground, opts.compactionIntervalMs,
            opts.compactionIntervalMs, TimeUnit.MILLISECONDS);
        background = ex;
      }
      ready = true;
      ok = true;
      LOG.info("TSDB opened: " + blocks.size() + " blocks, head floor " + floor + ", dir " + dir);
    } finally {
      if (!ok) {
        closeQuietly();
      }
    }
  }

  /**
   * Prometheus's out-of-order WAL is not replayed: say so. ({@code chunks_head/}, Prometheus's
   * or ours, is the head's own: it loads the chunks there and skips their WAL samples.)
   */
  private void warnAboutPrometheusWbl() throws IOException {
    Path wbl = dir.resolve("wbl");
    if (Files.isDirectory(wbl)) {
      try (var s = Files.list(wbl)) {
        if (s.findAny().isPresent()) {
          LOG.warning("Prometheus's out-of-order WAL " + wbl + " is not replayed: out-of-order"
              + " samples not yet compacted into blocks are not served");
        }
      }
    }
  }

  /** Opens every block directory; moves broken ones aside; deletes compacted-away parents. */
  private List<Block> openBlocks() throws IOException {
    Map<String, Block> byUlid = new HashMap<>();
    try {
      openBlocks(byUlid);
    } catch (IOException | RuntimeException e) {
      byUlid.values().forEach(Block::close);
      throw e;
    }
    return withoutCompactedParents(byUlid);
  }

  private void openBlocks(Map<String, Block> byUlid) throws IOException {
    for (Path p : BlockDirs.list(dir)) {
      try {
        Block b = Block.open(p, opts.blockOpenOptions);
        if (!b.ulid().equals(p.getFileName().toString())) {
          b.close();
          throw new CorruptBlockException(p, "meta.json names block " + b.ulid(), null);
        }
        byUlid.put(b.ulid(), b);
      } catch (CorruptionException e) {
        moveAside(p, e);
      } catch (RuntimeException e) {
        moveAside(p, e); // odd content that tripped a check we lack: do not serve it either
      }
    }
  }

  private void moveAside(Path block, RuntimeException cause) throws IOException {
    Path moved = BlockDirs.moveToCorrupted(dir, block);
    corruptedBlocks.incrementAndGet();
    LOG.log(Level.WARNING, "CORRUPTED BLOCK " + block.getFileName() + " moved to " + moved
        + "; its data is NOT served. Cause: " + cause.getMessage(), cause);
  }

  private List<Block> withoutCompactedParents(Map<String, Block> byUlid) throws IOException {
    // A block whose ULID is a parent of another present block was compacted into it; the
    // compaction was interrupted before deleting it.
    Set<String> parents = new HashSet<>();
    for (Block b : byUlid.values()) {
      for (BlockMeta.Parent p : b.meta().compaction().parents()) {
        parents.add(p.ulid());
      }
    }
    List<Block> out = new ArrayList<>();
    for (Block b : byUlid.values()) {
      if (parents.contains(b.ulid())) {
        LOG.info("Deleting block " + b.ulid() + ": already compacted into another block");
        b.close();
        deleteBlockDir(b.dir());
      } else {
        out.add(b);
      }
    }
    return out;
  }

  // ---- status -----------------------------------------------------------------------------

  public Path dir() {
    return dir;
  }

  public DbOptions options() {
    return opts;
  }

  /** Whether the database is loaded and serving (the API's /-/ready). */
  public boolean isReady() {
    return ready && !closed;
  }

  /** Progress of loading (WAL replay), 0..1. */
  public double replayProgress() {
    return ready ? 1 : replay.fraction();
  }

  /**
   * WAL replay segments for /api/v1/status/walreplay: {@code min}/{@code max} are the first and
   * last segment replayed after the checkpoint, {@code current} the last one done (all 0 before
   * the replay starts or when there is nothing to replay).
   */
  public ReplayProgress.Status walReplayStatus() {
    return replay.status();
  }

  /**
   * The head's counters: {@code samplesAppended} (prometheus_tsdb_head_samples_appended_total),
   * {@code outOfOrderSamplesAppended}, {@code chunksCreated}/{@code chunksRemoved}, rejections.
   */
  public HeadStats headStats() {
    return requireReady().stats();
  }

  /** In-order chunks in the head (prometheus_tsdb_head_chunks). */
  public long headChunks() {
    return requireReady().numChunks();
  }

  /** Blocks currently served, oldest first. */
  public List<BlockMeta> blocks() {
    List<BlockMeta> out = new ArrayList<>();
    for (Block b : state.blocks) {
      out.add(b.meta());
    }
    return out;
  }

  /** The time from which the head, not blocks, serves data. */
  public long headFloor() {
    return state.headFloor;
  }

  DbHead head() {
    return head;
  }

  /** The blocks of the current view (tests inspect their read counters). */
  List<Block> servedBlocks() {
    return state.blocks;
  }

  /** The WAL's counters (flushes, fsyncs, truncations, checkpoints, corruptions at replay). */
  public WalMetrics walMetrics() {
    return walMetrics;
  }

  /**
   * Receives the duration (ns) of every block write: head cuts and compactions, as Prometheus's
   * prometheus_tsdb_compaction_duration_seconds observes both. Set before {@link #load()}.
   */
  public void observeCompactions(LongConsumer nanos) {
    compactionObserver = nanos;
  }

  public long corruptedBlocksTotal() {
    return corruptedBlocks.get();
  }

  public long headCutsTotal() {
    return headCuts.get();
  }

  public long compactionsTotal() {
    return compactions.get();
  }

  public long compactionFailuresTotal() {
    return compactionFailures.get();
  }

  /** Blocks deleted by retention (time and size). */
  public long retentionDeletionsTotal() {
    return retentionDeletions.get();
  }

  public long timeRetentionDeletionsTotal() {
    return timeRetentionDeletions.get();
  }

  public long sizeRetentionDeletionsTotal() {
    return sizeRetentionDeletions.get();
  }

  /** Bytes of all blocks plus what the head keeps on disk (as size retention counts). */
  public long sizeBytes() {
    long n = head == null ? 0 : head.diskBytes();
    for (Block b : state.blocks) {
      n += b.sizeBytes();
    }
    return n;
  }

  /** Bytes of the blocks alone (Prometheus's prometheus_tsdb_storage_blocks_bytes). */
  public long blocksSizeBytes() {
    long n = 0;
    for (Block b : state.blocks) {
      n += b.sizeBytes();
    }
    return n;
  }

  /** Oldest head sample served (ms); Long.MAX_VALUE when the head is empty or not loaded. */
  public long headMinTime() {
    DbHead h = head;
    if (h == null || h.maxTime() == Long.MIN_VALUE) {
      return Long.MAX_VALUE;
    }
    return outOfOrder ? h.minTime() : Math.max(h.minTime(), state.headFloor);
  }

  /** Newest head sample (ms); Long.MIN_VALUE when the head is empty or not loaded. */
  public long headMaxTime() {
    DbHead h = head;
    return h == null ? Long.MIN_VALUE : h.maxTime();
  }

  /**
   * Head cardinality statistics for {@code /api/v1/status/tsdb}, top {@code limit} entries per
   * list (Prometheus's default limit is 10). Walks every head series once.
   */
  public TsdbStatus tsdbStatus(int limit) {
    DbHead h = requireReady();
    TsdbStatus.Builder b = new TsdbStatus.Builder();
    h.forEachSeries(b::add);
    long min = h.maxTime() == Long.MIN_VALUE ? Long.MAX_VALUE : Math.max(h.minTime(),
        state.headFloor);
    return b.build(limit, h.numSeries(), h.numChunks(), min, h.maxTime());
  }

  /**
   * Exemplars for /api/v1/query_exemplars: those in [start, end] of series matching any matcher
   * set, series sorted by labels, exemplars oldest first. Exemplars live in the head's circular
   * buffer only (as in Prometheus), so they do not depend on blocks.
   */
  @Override
  public List<ExemplarSeries> selectExemplars(long start, long end,
      List<List<Matcher>> matcherSets) throws IOException {
    return requireReady().selectExemplars(start, end, matcherSets);
  }

  /**
   * Metadata by metric family for /api/v1/metadata, from what appenders recorded with
   * {@link Appender#updateMetadata} for series still in the head (persisted in the WAL).
   */
  @Override
  public Map<String, List<MetricMetadata>> metricMetadata(String metric, int limit,
      int limitPerMetric) {
    return requireReady().metricMetadata(metric, limit, limitPerMetric);
  }

  /**
   * Applies a reloaded retention ({@code storage.tsdb.retention} or the flags); the next
   * compaction run deletes by it. The block ranges chosen at open stay as they are.
   */
  public void setRetention(long timeMs, long sizeBytes, double percentage) {
    synchronized (retentionLock) {
      opts.retentionTimeMs = timeMs;
      opts.retentionSizeBytes = sizeBytes;
      opts.retentionPercentage = percentage;
    }
  }

  /** {time ms, size limit in bytes} in effect now (the percentage turned into bytes). */
  public long[] retentionLimits() {
    synchronized (retentionLock) {
      long bytes = opts.retentionSizeBytes;
      if (opts.retentionPercentage > 0) {
        long fs = opts.fileSystemBytes.applyAsLong(dir);
        if (fs > 0) {
          bytes = (long) (fs * opts.retentionPercentage / 100);
        } else {
          LOG.warning("Unable to retrieve filesystem size of database directory " + dir
              + ", skip percentage limitation and default to fixed size limitation");
        }
      }
      return new long[] {opts.retentionTimeMs, bytes};
    }
  }

  /** Applies a reloaded {@code storage.exemplars.max_exemplars}. */
  public void setMaxExemplars(int max) {
    requireReady().setMaxExemplars(max);
  }

  /**
   * {exemplars in storage, series with exemplars, exemplars appended total, max exemplars} for
   * the prometheus_tsdb_exemplar_* metrics.
   */
  public long[] exemplarStats() {
    return requireReady().exemplarStats();
  }

  /** Number of series in the head. */
  public int headSeries() {
    return requireReady().numSeries();
  }

  private DbHead requireReady() {
    DbHead h = head;
    if (!ready || h == null) {
      throw new IllegalStateException("TSDB not ready");
    }
    if (closed) {
      throw new IllegalStateException("TSDB closed");
    }
    return h;
  }

  // ---- Storage ----------------------------------------------------------------------------

  @Override
  public Appender appender() {
    return new DbAppender(requireReady().appender());
  }

  /** Wakes maintenance when a commit made the head cuttable, as Prometheus does. */
  private final class DbAppender implements Appender {
    private final Appender a;

    DbAppender(Appender a) {
      this.a = a;
    }

    @Override
    public long append(long ref, Labels labels, long t, double v) throws SampleRejectedException {
      return a.append(ref, labels, t, v);
    }

    @Override
    public long appendHistogram(long ref, Labels labels, long t, Histogram h, FloatHistogram fh)
        throws SampleRejectedException {
      return a.appendHistogram(ref, labels, t, h, fh);
    }

    @Override
    public Labels existingLabels(String[] nameValues, int len) {
      return a.existingLabels(nameValues, len);
    }

    @Override
    public void appendExemplar(long ref, Labels labels, Exemplar e)
        throws SampleRejectedException {
      a.appendExemplar(ref, labels, e);
    }

    @Override
    public void updateMetadata(long ref, Labels labels, MetricMetadata m) {
      a.updateMetadata(ref, labels, m);
    }

    @Override
    public void commit() throws IOException {
      a.commit();
      if (background != null && headCuttable() && maintenanceQueued.compareAndSet(false, true)) {
        try {
          background.execute(this::run);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          maintenanceQueued.set(false); // shutting down
        }
      }
    }

    private void run() {
      maintenanceQueued.set(false);
      maintainInBackground();
    }

    @Override
    public void rollback() {
      a.rollback();
    }
  }

  @Override
  public Querier querier(long mint, long maxt) {
    DbHead h = requireReady();
    while (true) {
      State s = acquireState();
      List<Querier> parts = new ArrayList<>();
      boolean disjoint = true;
      long prevEnd = Long.MIN_VALUE; // exclusive end of the previous part's range
      try {
        for (Block b : s.blocks) {
          if (b.overlapsClosedInterval(mint, maxt)) {
            parts.add(b.querier(mint, maxt));
            disjoint &= b.minTime() >= prevEnd;
            prevEnd = Math.max(prevEnd, b.maxTime());
          }
        }
      } catch (IllegalStateException e) {
        // A block of this view is being closed: a newer view exists; take that one.
        parts.forEach(Querier::close);
        s.release();
        continue;
      }
      if (maxt >= s.headFloor || outOfOrder) {
        long start = headStart(mint, s);
        parts.add(h.querier(start, maxt));
        disjoint &= start >= prevEnd;
      }
      return new MergeQuerier(parts, disjoint, s::release);
    }
  }

  @Override
  public ChunkQuerier chunkQuerier(long mint, long maxt) {
    DbHead h = requireReady();
    while (true) {
      State s = acquireState();
      List<ChunkQuerier> parts = new ArrayList<>();
      try {
        for (Block b : s.blocks) {
          if (b.overlapsClosedInterval(mint, maxt)) {
            parts.add(b.chunkQuerier(mint, maxt));
          }
        }
      } catch (IllegalStateException e) {
        parts.forEach(ChunkQuerier::close);
        s.release();
        continue;
      }
      if (maxt >= s.headFloor || outOfOrder) {
        parts.add(h.chunkQuerier(headStart(mint, s), maxt));
      }
      return new MergeChunkQuerier(parts, s::release);
    }
  }

  /**
   * Where a query starts reading the head. Normally at the floor: older head data is in blocks.
   * With out-of-order ingestion the head may also hold late samples below the floor, not yet in
   * any block, so it is read whole (copies of block data merge away as duplicates).
   */
  private long headStart(long mint, State s) {
    return outOfOrder ? mint : Math.max(mint, s.headFloor);
  }

  /**
   * The current view, registered as read. The re-check after registering pairs with
   * {@link #publish}: either the view is still current, or the publisher sees this reader.
   */
  private State acquireState() {
    while (true) {
      State s = state;
      s.readers.incrementAndGet();
      if (state == s) {
        return s;
      }
      s.release();
    }
  }

  /** Replaces the view; returns the old one. Caller holds the maintenance lock. */
  private State publish(List<Block> blocks, long headFloor) {
    State old = state;
    state = new State(blocks, headFloor);
    return old;
  }

  /** Waits until no querier holds the view (bounded; a leaked querier must not stop the DB). */
  private void awaitReaders(State s) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READER_WAIT_MS);
    synchronized (s) {
      while (s.readers.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          LOG.warning(s.readers.get() + " queriers still open after " + READER_WAIT_MS
              + " ms; truncating the head anyway (they may miss the oldest head data)");
          return;
        }
        try {
          s.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public long minTime() {
    State s = state;
    long min = s.blocks.isEmpty() ? Long.MAX_VALUE : s.blocks.get(0).minTime();
    DbHead h = head;
    if (h != null && h.maxTime() != Long.MIN_VALUE) {
      min = Math.min(min, Math.max(h.minTime(), s.headFloor));
    }
    return min;
  }

  @Override
  public long maxTime() {
    State s = state;
    long max = Long.MIN_VALUE;
    for (Block b : s.blocks) {
      max = Math.max(max, b.maxTime() - 1);
    }
    DbHead h = head;
    if (h != null) {
      max = Math.max(max, h.maxTime());
    }
    return max;
  }

  // ---- maintenance ------------------------------------------------------------------------

  private void maintainInBackground() {
    if (closed) {
      return;
    }
    try {
      compact();
    } catch (IOException | RuntimeException e) {
      compactionFailures.incrementAndGet();
      LOG.log(Level.SEVERE, "TSDB maintenance failed; will retry", e);
    }
  }

  /** Whether the head spans more than 1.5 block ranges above the floor. */
  boolean headCuttable() {
    DbHead h = head;
    if (h == null || h.maxTime() == Long.MIN_VALUE) {
      return false;
    }
    long mint = Math.max(h.minTime(), state.headFloor);
    return h.maxTime() - mint > opts.minBlockDurationMs / 2 * 3;
  }

  /**
   * Runs maintenance now: head cuts while the head is cuttable, compactions while the planner
   * finds work, then retention. Serialized with deletion, tombstone cleaning and snapshots.
   */
  public void compact() throws IOException {
    requireReady();
    maintenance.lock();
    try {
      loadNewBlocks();
      while (!closed && headCuttable()) {
        cutHead();
      }
      compactBlocks();
      applyRetention();
    } finally {
      maintenance.unlock();
    }
  }

  /**
   * Picks up block directories that appeared in the data directory while running (blocks built
   * elsewhere, e.g. by {@code promtool tsdb create-blocks-from}, and moved in), as Prometheus's
   * reloadBlocks does on its compaction cycle; {@link #compact()} calls it first. Blocks that
   * overlap others are then merged by the planner's vertical compaction. The head floor stays:
   * the head keeps serving what it holds, and queries merge it with overlapping blocks.
   */
  public void reloadBlocks() throws IOException {
    requireReady();
    maintenance.lock();
    try {
      loadNewBlocks();
    } finally {
      maintenance.unlock();
    }
  }

  /**
   * Under the maintenance lock every block this database writes is published before the lock
   * is released, so a block directory unknown to the current view came from outside. One that
   * does not open (still being copied, or broken) is left where it is and tried again next time.
   */
  private void loadNewBlocks() throws IOException {
    State s = state;
    Set<String> known = new HashSet<>();
    s.blocks.forEach(b -> known.add(b.ulid()));
    List<Block> added = new ArrayList<>();
    for (Path p : BlockDirs.list(dir)) {
      String name = p.getFileName().toString();
      if (known.contains(name)) {
        continue;
      }
      try {
        Block b = Block.open(p, opts.blockOpenOptions);
        if (!b.ulid().equals(name)) {
          b.close();
          throw new CorruptBlockException(p, "meta.json names block " + b.ulid(), null);
        }
        added.add(b);
      } catch (IOException | RuntimeException e) {
        if (unloadableBlocks.add(name)) {
          LOG.log(Level.WARNING, "New block directory " + name + " does not open; it is not"
              + " served and is tried again at the next maintenance run: " + e.getMessage(), e);
        }
      }
    }
    if (added.isEmpty()) {
      return;
    }
    List<Block> blocks = new ArrayList<>(s.blocks);
    blocks.addAll(added);
    publish(blocks, s.headFloor);
    for (Block b : added) {
      unloadableBlocks.remove(b.ulid());
      LOG.info("Loaded new block " + b.ulid() + " [" + b.minTime() + ", " + b.maxTime() + "), "
          + b.meta().stats().numSeries() + " series, " + b.meta().stats().numSamples()
          + " samples");
    }
  }

  /** Persists the head's oldest block range [mint, aligned end) and truncates the head. */
  private void cutHead() throws IOException {
    DbHead h = head;
    State s = state;
    long mint = Math.max(h.minTime(), s.headFloor);
    long range = opts.minBlockDurationMs;
    long maxt = AlignedWindows.end(mint, range);
    // From here on nothing below maxt can be appended in order, and late (out-of-order) samples
    // committed while the block is written stay in the head through the truncation below.
    h.prepareTruncation(maxt);
    BlockMeta meta;
    // The head's chunk view: sealed chunks are written as they are (about 2.7x faster than
    // re-encoding every sample, HeadCutHarness with 50k series x 2h).
    long t0 = System.nanoTime();
    try (ChunkQuerier q = h.chunkQuerier(mint, maxt - 1)) {
      meta = QuerierBlockWriter.writeChunks(dir, q, mint, maxt, opts.fileOps);
    }
    compactionObserver.accept(System.nanoTime() - t0);
    List<Block> blocks = new ArrayList<>(s.blocks);
    if (meta != null) {
      opts.stepHook.reached("cut.written");
      blocks.add(Block.open(dir.resolve(meta.ulid()), opts.blockOpenOptions));
      LOG.info("Head cut into block " + meta.ulid() + " [" + mint + ", " + maxt + "), "
          + meta.stats().numSeries() + " series, " + meta.stats().numSamples() + " samples");
    }
    if (outOfOrder && h.minTime() < s.headFloor) {
      // Out-of-order samples that arrived below the floor after earlier cuts (with copies of
      // data already in blocks): an overlapping block that vertical compaction merges.
      long lo = h.minTime();
      BlockMeta late;
      try (ChunkQuerier q = h.chunkQuerier(lo, s.headFloor - 1)) {
        late = QuerierBlockWriter.writeChunks(dir, q, lo, s.headFloor, opts.fileOps);
      }
      if (late != null) {
        opts.stepHook.reached("cut.written");
        blocks.add(Block.open(dir.resolve(late.ulid()), opts.blockOpenOptions));
        LOG.info("Head data below the floor (out-of-order) persisted as block " + late.ulid()
            + " [" + lo + ", " + s.headFloor + ")");
      }
    }
    State old = publish(blocks, maxt);
    awaitReaders(old);
    h.truncateBefore(maxt);
    headCuts.incrementAndGet();
    opts.stepHook.reached("cut.truncated");
  }

  private void compactBlocks() throws IOException {
    while (!closed) {
      State s = state;
      List<BlockMeta> metas = new ArrayList<>();
      for (Block b : s.blocks) {
        metas.add(b.meta());
      }
      List<BlockMeta> plan = planner.plan(metas);
      if (plan.isEmpty()) {
        return;
      }
      Set<String> ids = new HashSet<>();
      plan.forEach(m -> ids.add(m.ulid()));
      List<Block> sources = new ArrayList<>();
      for (Block b : s.blocks) {
        if (ids.contains(b.ulid())) {
          sources.add(b);
        }
      }
      replace(sources, "compaction");
      compactions.incrementAndGet();
    }
  }

  /** Compacts {@code sources} into one block, publishes it and deletes the sources. */
  private void replace(List<Block> sources, String why) throws IOException {
    BlockMeta meta;
    long t0 = System.nanoTime();
    try {
      meta = Compactor.compact(dir, sources, opts.fileOps);
      compactionObserver.accept(System.nanoTime() - t0);
    } catch (IOException | RuntimeException e) {
      compactionFailures.incrementAndGet();
      if (DiskErrors.isEnvironmental(e)) {
        // A full disk or an I/O error says nothing about the sources: they stay as they are
        // (the partial block was removed) and the next maintenance run tries again.
        LOG.log(Level.SEVERE, why + " of " + sources + " failed on a disk error; the partial"
            + " block was removed, the source blocks are unchanged and it is retried at the next"
            + " maintenance run", e);
        throw e;
      }
      for (Block b : sources) {
        try {
          b.markCompactionFailed();
        } catch (IOException | RuntimeException e2) {
          e.addSuppressed(e2);
        }
      }
      LOG.log(Level.SEVERE, why + " of " + sources + " failed; the blocks are marked so that"
          + " compaction skips them", e);
      throw e;
    }
    Block fresh = null;
    if (meta != null) {
      opts.stepHook.reached("compact.written");
      fresh = Block.open(dir.resolve(meta.ulid()), opts.blockOpenOptions);
    }
    State s = state;
    List<Block> blocks = new ArrayList<>(s.blocks);
    blocks.removeAll(sources);
    if (fresh != null) {
      blocks.add(fresh);
    }
    publish(blocks, s.headFloor);
    List<String> names = new ArrayList<>();
    sources.forEach(b -> names.add(b.ulid()));
    LOG.info(why + ": " + names + " -> " + (meta == null ? "nothing (all deleted)" : meta.ulid()));
    for (Block b : sources) {
      deleteBlock(b);
    }
  }

  /** Closes (waiting for its queriers), renames to *.tmp-for-deletion, deletes. */
  private void deleteBlock(Block b) throws IOException {
    b.close();
    deleteBlockDir(b.dir());
  }

  private void deleteBlockDir(Path blockDir) throws IOException {
    Path marked = BlockDirs.markForDeletion(blockDir, opts.fileOps);
    opts.stepHook.reached("delete.renamed");
    BlockDirs.deleteRecursively(marked);
    opts.stepHook.reached("delete.done");
  }

  private void applyRetention() throws IOException {
    State s = state;
    long[] limits = retentionLimits();
    long timeMs = limits[0];
    long maxBytes = limits[1];
    if (s.blocks.isEmpty() || (timeMs <= 0 && maxBytes <= 0)) {
      return;
    }
    List<Retention.Candidate> cands = new ArrayList<>();
    for (Block b : s.blocks) {
      cands.add(Retention.Candidate.of(b));
    }
    long other = head.diskBytes();
    Set<String> byTime = Retention.beyond(cands, timeMs, 0, 0);
    Set<String> all = Retention.beyond(cands, timeMs, maxBytes, other);
    if (all.isEmpty()) {
      return;
    }
    List<Block> keep = new ArrayList<>();
    List<Block> drop = new ArrayList<>();
    for (Block b : s.blocks) {
      (all.contains(b.ulid()) ? drop : keep).add(b);
    }
    publish(keep, s.headFloor);
    for (Block b : drop) {
      boolean time = byTime.contains(b.ulid());
      LOG.info("Retention (" + (time ? "time" : "size") + ") deletes block " + b.ulid() + " ["
          + b.minTime() + ", " + b.maxTime() + ")");
      deleteBlock(b);
      retentionDeletions.incrementAndGet();
      (time ? timeRetentionDeletions : sizeRetentionDeletions).incrementAndGet();
    }
  }

  // ---- admin ------------------------------------------------------------------------------

  /**
   * Deletes [mint, maxt] of the series matching the matchers from every block (tombstones) and
   * the head. Queries stop returning the data at once; {@link #cleanTombstones} removes it from
   * disk.
   */
  public void delete(long mint, long maxt, Matcher... matchers) throws IOException {
    DbHead h = requireReady();
    maintenance.lock(); // a compaction reading a block must not miss new tombstones
    try {
      for (Block b : state.blocks) {
        if (b.overlapsClosedInterval(mint, maxt)) {
          b.delete(mint, maxt, matchers);
        }
      }
      h.delete(mint, maxt, matchers);
    } finally {
      maintenance.unlock();
    }
  }

  /** Rewrites every block that has tombstones without the deleted data. */
  public void cleanTombstones() throws IOException {
    requireReady();
    maintenance.lock();
    try {
      for (Block b : state.blocks) {
        if (!b.tombstones().isEmpty()) {
          replace(List.of(b), "clean tombstones");
        }
      }
    } finally {
      maintenance.unlock();
    }
  }

  /**
   * Writes a snapshot into {@code target}: every block hard-linked into {@code target/<ulid>/}
   * and, when {@code withHead}, the head's data as one more block.
   */
  public void snapshot(Path target, boolean withHead) throws IOException {
    DbHead h = requireReady();
    maintenance.lock(); // no block may be deleted while being linked
    try {
      Files.createDirectories(target);
      State s = state;
      for (Block b : s.blocks) {
        BlockDirs.hardLinkTree(b.dir(), target.resolve(b.ulid()));
      }
      if (withHead && h.maxTime() != Long.MIN_VALUE) {
        long mint = outOfOrder ? h.minTime() : Math.max(h.minTime(), s.headFloor);
        long maxt = h.maxTime() + 1;
        if (mint < maxt) {
          try (ChunkQuerier q = h.chunkQuerier(mint, maxt - 1)) {
            QuerierBlockWriter.writeChunks(target, q, mint, maxt, opts.fileOps);
          }
        }
      }
    } finally {
      maintenance.unlock();
    }
  }

  /**
   * A snapshot directory name as Prometheus makes them ({@code 20060102T150405Z-<16 hex>}); the
   * admin API creates snapshots in {@code <dataDir>/snapshots/<name>}.
   */
  public static String newSnapshotName(java.time.Instant now) {
    byte[] rnd = new byte[8];
    new java.security.SecureRandom().nextBytes(rnd);
    StringBuilder sb = new StringBuilder(GoTimeFormat.format(
        now.getEpochSecond() * 1_000_000_000L, "20060102T150405Z0700"));
    sb.append('-');
    for (byte b : rnd) {
      sb.append(String.format("%02x", b & 0xff));
    }
    return sb.toString();
  }

  // ---- close ------------------------------------------------------------------------------

  /** Stops maintenance, closes the head (syncing the WAL) and the blocks, releases the lock. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    ScheduledExecutorService bg = background;
    if (bg != null) {
      bg.shutdown();
      try {
        if (!bg.awaitTermination(60, TimeUnit.SECONDS)) {
          LOG.warning("maintenance still running at close");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    maintenance.lock();
    try {
      IOException err = null;
      DbHead h = head;
      if (h != null) {
        try {
          h.close();
        } catch (IOException e) {
          err = e;
        }
      }
      for (Block b : state.blocks) {
        b.close();
      }
      if (lockFile != null) {
        lockFile.close();
        lockFile = null;
      }
      if (err != null) {
        throw err;
      }
    } finally {
      maintenance.unlock();
    }
  }

  private void closeQuietly() {
    try {
      closed = true;
      for (Block b : state.blocks) {
        b.close();
      }
      if (head != null) {
        head.close();
      }
      if (lockFile != null) {
        lockFile.close();
        lockFile = null;
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "closing after a failed open", e);
    }
  }
}
