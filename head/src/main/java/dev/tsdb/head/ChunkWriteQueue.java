package dev.tsdb.head;

import dev.tsdb.head.mmap.HeadChunkFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes sealed head chunks to {@code chunks_head/} on a thread of its own, as Prometheus's chunk
 * write queue does, so appends never wait for the disk. Once a chunk is written, its series
 * swaps the heap copy for a stub ({@link MemSeries#markMapped}) and reads go to the mapping.
 *
 * <p>Chunks are written in the order they were sealed, which keeps each series' chunks in time
 * order in the files. A chunk the writer could not write (disk full, I/O error) simply stays on
 * the heap: the WAL still holds its samples.
 */
final class ChunkWriteQueue implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ChunkWriteQueue.class.getName());

  private record Job(MemSeries series, byte[] chunk) {}

  private final HeadChunkFiles files;
  private final Thread writer;
  private List<Job> pending = new ArrayList<>(); // guarded by this
  private boolean closing; // guarded by this
  private long written; // guarded by this
  private long failed; // guarded by this
  private boolean idle = true; // guarded by this: the writer holds no taken batch

  ChunkWriteQueue(HeadChunkFiles files) {
    this.files = files;
    this.writer = new Thread(this::run, "head-chunk-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Queues the series' sealed chunks not queued yet. Caller holds the series' monitor, so each
   * series' chunks are queued in order.
   */
  void queueSealed(MemSeries s) {
    queueSealed(s, s.nSealed);
  }

  /** Queues the series' sealed chunks not queued yet before index {@code upTo}. */
  void queueSealed(MemSeries s, int upTo) {
    if (s.nQueued >= upTo) {
      return;
    }
    synchronized (this) {
      while (s.nQueued < upTo) {
        pending.add(new Job(s, s.sealed[s.nQueued++]));
      }
      notifyAll();
    }
  }

  private void run() {
    while (true) {
      List<Job> batch;
      synchronized (this) {
        while (pending.isEmpty() && !closing) {
          idle = true;
          notifyAll();
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (pending.isEmpty()) {
          idle = true;
          notifyAll();
          return;
        }
        idle = false;
        batch = pending;
        pending = new ArrayList<>();
      }
      write(batch);
    }
  }

  private void write(List<Job> batch) {
    long ok = 0;
    long bad = 0;
    for (Job j : batch) {
      MemSeries s = j.series();
      byte[] c = j.chunk();
      long ref;
      try {
        ref = files.write(s.id, SealedChunk.minT(c), SealedChunk.maxT(c),
            SealedChunk.encoding(c), c, SealedChunk.PREFIX, SealedChunk.dataLength(c));
      } catch (IOException | RuntimeException e) {
        if (bad++ == 0) {
          LOG.log(Level.WARNING, "Writing a head chunk failed; it stays in memory", e);
        }
        continue;
      }
      synchronized (s) {
        s.markMapped(c, ref);
      }
      ok++;
    }
    synchronized (this) {
      written += ok;
      failed += bad;
    }
  }

  /** Waits until every chunk queued so far is written (tests, shutdown, head cuts). */
  synchronized void drain() throws InterruptedException {
    while (!pending.isEmpty() || !idle) {
      wait();
    }
  }

  synchronized long written() {
    return written;
  }

  /** Chunks queued but not written yet. */
  synchronized int queued() {
    return pending.size();
  }

  /** Writes what is queued and stops the writer. */
  @Override
  public void close() throws InterruptedException {
    synchronized (this) {
      closing = true;
      notifyAll();
    }
    writer.join();
  }
}
