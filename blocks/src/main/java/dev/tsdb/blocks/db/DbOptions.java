package dev.tsdb.blocks.db;

import dev.tsdb.blocks.Block;
import java.util.function.LongSupplier;

/**
 * Tunables of a {@link Database}, named after Prometheus's {@code --storage.tsdb.*} flags.
 * Mutable builder style; the database reads them at open.
 */
public final class DbOptions {
  public static final long HOUR = 3_600_000L;
  public static final long DAY = 24 * HOUR;

  /** {@code --storage.tsdb.min-block-duration}: head block range (Prometheus: 2h). */
  public long minBlockDurationMs = 2 * HOUR;
  /**
   * {@code --storage.tsdb.max-block-duration}; 0 means Prometheus's default: 10% of the
   * retention time, at most 31 days.
   */
  public long maxBlockDurationMs = 0;
  /** {@code --storage.tsdb.retention.time}; 0 disables (Prometheus's default is 15d). */
  public long retentionTimeMs = 15 * DAY;
  /** {@code --storage.tsdb.retention.size} in bytes; 0 disables. */
  public long retentionSizeBytes = 0;
  /**
   * {@code storage.tsdb.retention.percentage}: the size limit as a share (0-100) of the file
   * system holding the data directory; when above 0 it replaces {@link #retentionSizeBytes}.
   */
  public double retentionPercentage = 0;
  /** Total bytes of the file system holding a directory (tests may fix it); 0: unknown. */
  public java.util.function.ToLongFunction<java.nio.file.Path> fileSystemBytes = dir -> {
    try {
      return java.nio.file.Files.getFileStore(dir).getTotalSpace();
    } catch (java.io.IOException e) {
      return 0;
    }
  };
  /** {@code --storage.tsdb.out-of-order-time-window} (Prometheus 2.39+); 0 disables. */
  public long outOfOrderTimeWindowMs = 0;
  /**
   * Chunk snapshot on close, loaded on open (see {@code HeadOptions.chunkSnapshotOnShutdown});
   * off here as in Prometheus's library, on in the server.
   */
  public boolean chunkSnapshotOnShutdown = false;
  /**
   * {@code storage.exemplars.max_exemplars} of the config file: capacity of the head's exemplar
   * buffer (Prometheus's default 100000); 0 stores none. Changed at run time with
   * {@link Database#setMaxExemplars}.
   */
  public int maxExemplars = 100_000;
  /** {@code --storage.tsdb.no-lockfile}. */
  public boolean noLockfile = false;
  /** {@code --storage.tsdb.wal-compression}. */
  public boolean walCompression = false;
  /** {@code --storage.tsdb.wal-segment-size}; 0: the WAL's default (128 MiB). */
  public int walSegmentSizeBytes = 0;
  /** Whether the WAL is fsynced on every commit (Prometheus does not; it syncs on segment cut). */
  public boolean walSyncPerCommit = false;
  /** Whether a write-ahead log is kept at all ({@code --storage.tsdb.wal} off is agent-only). */
  public boolean walEnabled = true;
  /**
   * Opens the files the database writes (WAL segments, blocks); tests inject disk errors
   * through it.
   */
  public dev.tsdb.index.io.FileOps fileOps = dev.tsdb.index.io.FileOps.REAL;
  /** How blocks are verified when opened. */
  public Block.OpenOptions blockOpenOptions = Block.OpenOptions.DEFAULT;
  /** Period of the background compaction/retention run (Prometheus: 1 minute); 0 disables it. */
  public long compactionIntervalMs = 60_000;
  /** Samples further than this ahead of the wall clock are rejected. */
  public long maxFutureMs = 10 * 60 * 1000L;
  /** Wall clock (tests may fix it). */
  public LongSupplier clock = System::currentTimeMillis;
  /**
   * Called at each durable step of head cuts, compactions and deletions with the step's name
   * (see {@link Database} for the names). Tests throw from it to simulate a crash there.
   */
  public StepHook stepHook = StepHook.NONE;

  /** Observes the steps of maintenance work. */
  @FunctionalInterface
  public interface StepHook {
    StepHook NONE = step -> {};

    void reached(String step) throws java.io.IOException;
  }

  /** The ranges the leveled planner compacts into: 2h, 6h, 18h, ... capped as Prometheus. */
  public long[] compactionRanges() {
    return dev.tsdb.blocks.LeveledPlanner.exponentialRanges(minBlockDurationMs, 10,
        effectiveMaxBlockDurationMs());
  }

  public long effectiveMaxBlockDurationMs() {
    if (maxBlockDurationMs > 0) {
      return Math.max(maxBlockDurationMs, minBlockDurationMs);
    }
    long max = 31 * DAY;
    if (retentionTimeMs > 0) {
      max = Math.min(max, retentionTimeMs / 10);
    }
    return Math.max(max, minBlockDurationMs);
  }

  public DbOptions minBlockDurationMs(long v) {
    minBlockDurationMs = v;
    return this;
  }

  public DbOptions maxBlockDurationMs(long v) {
    maxBlockDurationMs = v;
    return this;
  }

  public DbOptions retentionTimeMs(long v) {
    retentionTimeMs = v;
    return this;
  }

  public DbOptions retentionSizeBytes(long v) {
    retentionSizeBytes = v;
    return this;
  }

  public DbOptions retentionPercentage(double v) {
    retentionPercentage = v;
    return this;
  }

  public DbOptions maxExemplars(int v) {
    maxExemplars = v;
    return this;
  }

  public DbOptions outOfOrderTimeWindowMs(long v) {
    outOfOrderTimeWindowMs = v;
    return this;
  }

  public DbOptions chunkSnapshotOnShutdown(boolean v) {
    chunkSnapshotOnShutdown = v;
    return this;
  }

  public DbOptions noLockfile(boolean v) {
    noLockfile = v;
    return this;
  }

  public DbOptions walCompression(boolean v) {
    walCompression = v;
    return this;
  }

  public DbOptions walEnabled(boolean v) {
    walEnabled = v;
    return this;
  }

  public DbOptions compactionIntervalMs(long v) {
    compactionIntervalMs = v;
    return this;
  }

  public DbOptions maxFutureMs(long v) {
    maxFutureMs = v;
    return this;
  }

  public DbOptions clock(LongSupplier v) {
    clock = v;
    return this;
  }

  public DbOptions stepHook(StepHook v) {
    stepHook = v;
    return this;
  }

  public DbOptions blockOpenOptions(Block.OpenOptions v) {
    blockOpenOptions = v;
    return this;
  }
}
