package dev.tsdb.wal;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Counters of one {@link Wal}, for Prometheus's {@code prometheus_tsdb_wal_*} and
 * {@code prometheus_tsdb_checkpoint_*} metrics. Updated under the WAL's lock or on its segment
 * sync thread, read at scrape time; counting costs an add, never an allocation.
 */
public final class WalMetrics {
  /** Writes of the page buffer to the segment file (full or partial pages). */
  public final LongAdder pageFlushes = new LongAdder();
  /** Pages completed (filled or padded) and written. */
  public final LongAdder completedPages = new LongAdder();
  /** fsyncs of segments, and their total duration. */
  public final LongAdder fsyncs = new LongAdder();
  public final LongAdder fsyncNanos = new LongAdder();
  /** Writes that failed (the WAL refuses writes after the first). */
  public final LongAdder writesFailed = new LongAdder();
  /** Recoveries from a failed write: the WAL cut back and writable again without a restart. */
  public final LongAdder recoveries = new LongAdder();
  /** {@link Wal#truncate} calls, and those that failed. */
  public final LongAdder truncations = new LongAdder();
  public final LongAdder truncationsFailed = new LongAdder();
  /** Checkpoints attempted, and those that failed. */
  public final LongAdder checkpointCreations = new LongAdder();
  public final LongAdder checkpointCreationsFailed = new LongAdder();
  /** Corrupt or torn WAL tails found (and repaired) while replaying. */
  public final LongAdder corruptions = new LongAdder();
  private volatile int currentSegment = -1;
  private volatile LongConsumer fsyncObserver;

  /** Index of the segment being written (-1 before the WAL opened). */
  public int currentSegment() {
    return currentSegment;
  }

  void segmentStarted(int index) {
    currentSegment = index;
  }

  /** Also hands every fsync's duration (ns) to {@code observer}, e.g. a summary's quantiles. */
  public void observeFsyncs(LongConsumer observer) {
    this.fsyncObserver = observer;
  }

  void fsynced(long nanos) {
    fsyncs.increment();
    fsyncNanos.add(nanos);
    LongConsumer o = fsyncObserver;
    if (o != null) {
      o.accept(nanos);
    }
  }
}
