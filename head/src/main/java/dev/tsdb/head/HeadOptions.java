package dev.tsdb.head;

import java.util.function.LongSupplier;

/** Tunables of the in-memory head. Mutable builder-style; the head copies what it needs. */
public final class HeadOptions {
  /** Block range the head spans before it is compacted (Prometheus: 2h). */
  public long chunkRangeMs = 2 * 60 * 60 * 1000L;
  /** Target samples per chunk (Prometheus: 120); chunks are cut at 2x this at the latest. */
  public int samplesPerChunk = 120;
  /** Late samples newer than head maxt minus this go to the out-of-order head; 0 disables. */
  public long outOfOrderTimeWindowMs = 0;
  /** Samples per out-of-order head chunk before it is encoded (Prometheus's OOOCapMax: 32). */
  public int outOfOrderCapMax = 32;
  /** Samples further than this ahead of the wall clock are rejected. */
  public long maxFutureMs = 10 * 60 * 1000L;
  /** Wall clock in milliseconds (tests may fix it). */
  public LongSupplier clock = System::currentTimeMillis;
  /** Where commits are logged before they become visible. */
  public HeadWal wal = HeadWal.NOOP;
  /** Number of lock stripes of the label-hash series map (a power of two). */
  public int stripeSize = 1024;
  /** With {@link Head#open}: fsync the WAL on every commit (default: write to the OS only). */
  public boolean walSyncPerCommit = false;
  /** With {@link Head#open}: segment size and compression of the WAL written. */
  public dev.tsdb.wal.WalOptions walOptions = dev.tsdb.wal.WalOptions.DEFAULT;
  /**
   * With {@link Head#open}: write a chunk snapshot ({@code chunk_snapshot.N.M/}) on close and
   * load it on open, so a clean restart replays only the WAL written after it (Prometheus's
   * {@code memory-snapshot-on-shutdown}). Off by default here, as in Prometheus's library.
   */
  public boolean chunkSnapshotOnShutdown = false;

  public HeadOptions chunkSnapshotOnShutdown(boolean v) {
    chunkSnapshotOnShutdown = v;
    return this;
  }

  /** Threads replaying the WAL on open; 0 picks from the CPU count. */
  public int replayThreads = 0;

  /**
   * Capacity of the exemplar buffer shared by all series ({@code storage.exemplars.max_exemplars};
   * Prometheus's default 100000); 0 stores none.
   */
  public int maxExemplars = 100_000;

  public HeadOptions maxExemplars(int v) {
    maxExemplars = v;
    return this;
  }

  /** With {@link Head#open}: where replay progress is reported (readable while open runs). */
  public ReplayProgress replayProgress;

  public HeadOptions replayProgress(ReplayProgress v) {
    replayProgress = v;
    return this;
  }

  public HeadOptions walSyncPerCommit(boolean v) {
    walSyncPerCommit = v;
    return this;
  }

  public HeadOptions walOptions(dev.tsdb.wal.WalOptions v) {
    walOptions = v;
    return this;
  }

  public HeadOptions replayThreads(int v) {
    replayThreads = v;
    return this;
  }

  public HeadOptions chunkRangeMs(long v) {
    chunkRangeMs = v;
    return this;
  }

  public HeadOptions outOfOrderTimeWindowMs(long v) {
    outOfOrderTimeWindowMs = v;
    return this;
  }

  public HeadOptions clock(LongSupplier v) {
    clock = v;
    return this;
  }

  public HeadOptions wal(HeadWal v) {
    wal = v;
    return this;
  }

  public HeadOptions maxFutureMs(long v) {
    maxFutureMs = v;
    return this;
  }
}
