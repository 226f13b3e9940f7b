package dev.tsdb.server.forward;

import dev.tsdb.server.log.Log;
import dev.tsdb.wal.Checkpoint;
import dev.tsdb.wal.SegmentRange;
import dev.tsdb.wal.SegmentRef;
import dev.tsdb.wal.Segments;
import dev.tsdb.wal.WalCorruptionException;
import dev.tsdb.wal.WalFormat;
import dev.tsdb.wal.WalReader;
import dev.tsdb.wal.record.RecordType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Tails our own WAL for one queue, as Prometheus's WAL watcher does: the newest checkpoint and
 * the segments before the start position are read for their series and metadata only
 * ({@link Target#history}); from the start position on, every record is handed over to be
 * forwarded ({@link Target#live}) and the position after it reported ({@link Target#reached}).
 * The segment being written is polled; a segment is finished once the next one exists.
 *
 * <p>Segments deleted before they were read (a queue capped by
 * {@code --storage.remote.max-retained-wal-bytes} gave them up) are skipped: the newest
 * checkpoint is read for the series they defined, the gap reported to a {@link Skips}, and
 * reading goes on at the oldest segment left.
 */
final class WalWatcher implements Runnable {
  private static final Logger LOG = Logger.getLogger(WalWatcher.class.getName());

  /** Receives the records, on the watcher's thread. */
  interface Target {
    /** A record logged before the start position: only its series and metadata matter. */
    void history(byte[] rec, int len) throws IOException;

    /** A record to forward; may block while the queue is full. */
    void live(byte[] rec, int len) throws IOException, InterruptedException;

    /** Every record before this position has been handed to {@link #live} (or was history). */
    void reached(WalPosition pos);

    /** The records that follow come from this segment (or checkpoint) index. */
    void reading(int segment);

    /**
     * Checkpoint {@code checkpoint} has just been read: series last seen before it are gone
     * from the WAL (Prometheus's SeriesReset).
     */
    void seriesReset(int checkpoint);
  }

  /** Told which segments were gone before they were read. */
  interface Skips {
    void skipped(int firstSegment, int lastSegment);
  }

  private final Path walDir;
  private final WalPosition start;
  private final Skips skips;
  private final ForwardMetrics.Watcher metrics;
  private final Target target;
  private final String queue;
  private final long pollMs;
  private volatile boolean stopped;
  private Thread thread;
  /** The newest checkpoint read; a newer one is read once we are past it. */
  private int checkpointRead = -1;

  WalWatcher(Path walDir, WalPosition start, Target target, String queue, long pollMs,
      Skips skips, ForwardMetrics.Watcher metrics) {
    this.walDir = walDir;
    this.skips = skips;
    this.metrics = metrics;
    this.start = start;
    this.target = target;
    this.queue = queue;
    this.pollMs = pollMs;
  }

  void start() {
    thread = new Thread(this, "remote-write-wal-watcher-" + queue);
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops reading; returns once the thread ended (a blocked hand-over is interrupted). */
  void stop() throws InterruptedException {
    stopped = true;
    if (thread != null) {
      thread.interrupt();
      thread.join();
    }
  }

  @Override
  public void run() {
    try {
      WalPosition from = bootstrap();
      tail(from);
    } catch (InterruptedException e) {
      // stopped
    } catch (IOException | RuntimeException e) {
      if (!stopped) {
        Log.error(LOG, "Remote-write WAL watcher stopped", e, "remote_name", queue);
      }
    }
  }

  /** Reads series and metadata before the start; returns where forwarding begins. */
  private WalPosition bootstrap() throws IOException, InterruptedException {
    while (!stopped) {
      try {
        Optional<Checkpoint.Ref> cp = Checkpoint.last(walDir);
        if (cp.isPresent()) {
          readCheckpoint(cp.get());
        }
        List<SegmentRef> segs = Segments.list(walDir);
        if (segs.isEmpty()) {
          return start;
        }
        int first = segs.get(0).index();
        int last = segs.get(segs.size() - 1).index();
        WalPosition from = start;
        if (from.segment() < first) {
          // Released under the retained-WAL cap, or truncated without our hold.
          skips.skipped(from.segment(), first - 1);
          from = new WalPosition(first, 0);
        } else if (from.segment() > last) {
          from = new WalPosition(last, 0);
        }
        int fromSeg = from.segment();
        readHistory(segs.stream().filter(s -> s.index() < fromSeg).toList(), -1);
        return from;
      } catch (NoSuchFileException e) {
        // A checkpoint or segment was deleted while we listed it: list again.
        Thread.sleep(pollMs);
      }
    }
    throw new InterruptedException();
  }

  private void readCheckpoint(Checkpoint.Ref cp) throws IOException {
    readHistory(Segments.list(cp.dir()), cp.index());
    checkpointRead = Math.max(checkpointRead, cp.index());
  }

  /** Reads series and metadata; {@code asIndex} names a checkpoint's records, -1 segments'. */
  private void readHistory(List<SegmentRef> segs, int asIndex) throws IOException {
    for (SegmentRef s : segs) {
      target.reading(asIndex >= 0 ? asIndex : s.index());
      try (WalReader r = WalReader.open(List.of(s))) {
        while (r.next()) {
          metrics.read(RecordType.of(r.record(), r.recordLength()));
          target.history(r.record(), r.recordLength());
        }
      } catch (WalCorruptionException e) {
        metrics.decodeFailures.increment();
        Log.warn(LOG, "Remote-write WAL watcher skips the rest of a damaged segment",
            "remote_name", queue, "err", e.getMessage());
      }
    }
  }

  private void tail(WalPosition from) throws IOException, InterruptedException {
    int seg = from.segment();
    long historyBefore = from.offset();
    long resume = 0;
    while (!stopped) {
      SegmentRef ref = new SegmentRef(walDir, seg);
      metrics.currentSegment.set(seg);
      target.reading(seg);
      boolean finished = false;
      try (WalReader r = WalReader.tail(ref, resume)) {
        while (!stopped && !finished) {
          if (r.next()) {
            handle(r, seg, historyBefore);
            resume = r.position();
            continue;
          }
          if (Files.exists(WalFormat.segmentPath(walDir, seg + 1)) || deletedBehindUs(seg)) {
            // The writer moved on: what this segment holds is complete (the open file still
            // reads when it was deleted under us).
            while (r.next()) {
              handle(r, seg, historyBefore);
            }
            finished = true;
          } else {
            Thread.sleep(pollMs);
          }
        }
      } catch (WalCorruptionException e) {
        metrics.decodeFailures.increment();
        if (Files.exists(WalFormat.segmentPath(walDir, seg + 1))) {
          Log.error(LOG, "Remote-write WAL watcher skips the rest of a damaged segment", e,
              "remote_name", queue);
          finished = true;
        } else {
          Thread.sleep(Math.max(pollMs, 1000));
          continue;
        }
      } catch (NoSuchFileException e) {
        SegmentRange left = Segments.range(walDir);
        if (!left.isEmpty() && left.first() > seg) {
          seg = skipTo(seg, left.first());
          historyBefore = 0;
          resume = 0;
          continue;
        }
        finished = Files.exists(WalFormat.segmentPath(walDir, seg + 1));
        if (!finished) {
          Thread.sleep(pollMs);
          continue;
        }
      }
      if (finished) {
        seg++;
        historyBefore = 0;
        resume = 0;
        target.reached(new WalPosition(seg, 0));
        collectSeries(seg);
      }
    }
  }

  /**
   * Once we are past a checkpoint not read yet, reads its series (the ones still alive) and
   * forgets those last seen before it, so the cache follows series churn.
   */
  private void collectSeries(int seg) throws IOException {
    Optional<Checkpoint.Ref> cp = Checkpoint.last(walDir);
    if (cp.isEmpty() || cp.get().index() <= checkpointRead || cp.get().index() >= seg) {
      return;
    }
    try {
      readCheckpoint(cp.get());
    } catch (NoSuchFileException e) {
      return; // replaced by a newer one while we read: that one is read at the next segment
    }
    target.seriesReset(cp.get().index());
  }

  /** Our segment is gone and newer ones exist: the WAL was truncated past us. */
  private boolean deletedBehindUs(int seg) throws IOException {
    if (Files.exists(WalFormat.segmentPath(walDir, seg))) {
      return false;
    }
    SegmentRange r = Segments.range(walDir);
    return !r.isEmpty() && r.last() > seg;
  }

  /**
   * Continues at {@code first} after segments {@code seg..first-1} were deleted unread: the
   * newest checkpoint holds the series they defined, which later samples still refer to.
   */
  private int skipTo(int seg, int first) throws IOException {
    skips.skipped(seg, first - 1);
    try {
      Optional<Checkpoint.Ref> cp = Checkpoint.last(walDir);
      if (cp.isPresent()) {
        readCheckpoint(cp.get());
      }
    } catch (NoSuchFileException e) {
      // replaced by a newer checkpoint meanwhile: its series come with the segments after it
    }
    target.reached(new WalPosition(first, 0));
    return first;
  }

  private void handle(WalReader r, int seg, long historyBefore)
      throws IOException, InterruptedException {
    metrics.read(RecordType.of(r.record(), r.recordLength()));
    if (r.offset() < historyBefore) {
      target.history(r.record(), r.recordLength());
    } else {
      target.live(r.record(), r.recordLength());
      target.reached(new WalPosition(seg, r.position()));
    }
  }
}
