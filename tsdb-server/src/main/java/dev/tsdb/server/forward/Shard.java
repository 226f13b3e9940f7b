package dev.tsdb.server.forward;

import dev.tsdb.server.log.Log;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * One sending lane of a queue: a bounded FIFO of items (all of a series go to the same shard,
 * so a series' samples stay in order) and a thread that sends them in batches of at most
 * max_samples_per_send, or whatever is there once batch_send_deadline passed. Recoverable
 * failures (5xx, 429 when enabled, transport errors) are retried with exponential backoff
 * between min_backoff and max_backoff, or the receiver's Retry-After; other failures drop the
 * batch. Items are only forgotten once sent or dropped, so the queue's committed WAL position
 * never passes an item still to be sent.
 */
final class Shard implements Runnable {
  private static final Logger LOG = Logger.getLogger(Shard.class.getName());

  /** What a shard needs from its queue. */
  interface Owner {
    RemoteWriteClient client();

    /** A series' metadata as logged so far, or null. */
    SeriesCache.Meta meta(long ref);

    /** Called with each batch that left the shard for good (sent, dropped or too old). */
    void done(List<ForwardItem> batch);

    /** Called after each attempt, to learn whether sending works (for resharding). */
    void attempted(boolean ok, int items, long nanos, int bytes);
  }

  private final Owner owner;
  private final QueueSettings s;
  private final ForwardMetrics.Queue metrics;
  private final String queueName;
  private final ArrayDeque<ForwardItem> queue = new ArrayDeque<>();
  private List<ForwardItem> inflight = List.of();
  private Thread thread;
  /** Send what is queued, then end; a failing attempt ends at once. */
  private boolean draining;
  /** End after the current attempt. */
  private volatile boolean halted;
  /** In a backoff wait (which a halt interrupts). */
  private volatile boolean sleeping;

  Shard(Owner owner, QueueSettings s, ForwardMetrics.Queue metrics, String queueName) {
    this.owner = owner;
    this.s = s;
    this.metrics = metrics;
    this.queueName = queueName;
  }

  void start(int index) {
    thread = new Thread(this, "remote-write-shard-" + queueName + "-" + index);
    thread.setDaemon(true);
    thread.start();
  }

  /** Adds an item, waiting while the shard holds its capacity. */
  synchronized void put(ForwardItem it) throws InterruptedException {
    while (queue.size() >= s.capacity() && !halted) {
      metrics.enqueueRetries.increment(); // Prometheus counts each attempt on a full queue
      wait(100);
    }
    queue.addLast(it);
    if (queue.size() >= s.maxSamplesPerSend()) {
      notifyAll();
    }
  }

  /** Adds items harvested from an old shard, beyond capacity (they were accepted already). */
  synchronized void putAll(List<ForwardItem> items) {
    queue.addAll(items);
    notifyAll();
  }

  /** The lowest seq not yet sent or dropped, MAX_VALUE when nothing is pending. */
  synchronized long oldestPending() {
    if (!inflight.isEmpty()) {
      return inflight.get(0).seq;
    }
    ForwardItem first = queue.peekFirst();
    return first == null ? Long.MAX_VALUE : first.seq;
  }

  synchronized int pending() {
    return queue.size() + inflight.size();
  }

  /** Adds the items not yet sent to {@code byKind}, indexed by {@link ForwardItem.Kind}. */
  synchronized void pendingByKind(long[] byKind) {
    for (ForwardItem it : queue) {
      byKind[it.kind.ordinal()]++;
    }
    for (ForwardItem it : inflight) {
      byKind[it.kind.ordinal()]++;
    }
  }

  /** Asks the thread to send what is queued and end. */
  synchronized void drain() {
    draining = true;
    notifyAll();
  }

  /**
   * Asks the thread to end after the current attempt; a backoff wait ends at once, and with
   * {@code interruptSend} a request in flight is abandoned too (its batch is harvested unsent).
   */
  void halt(boolean interruptSend) {
    halted = true;
    synchronized (this) {
      notifyAll();
    }
    if (thread != null && (interruptSend || sleeping)) {
      thread.interrupt();
    }
  }

  void join(long millis) throws InterruptedException {
    if (thread != null) {
      thread.join(millis);
    }
  }

  boolean alive() {
    return thread != null && thread.isAlive();
  }

  /** After the thread ended: what it did not send, in order (unsent batch first). */
  synchronized List<ForwardItem> harvest() {
    List<ForwardItem> out = new ArrayList<>(inflight.size() + queue.size());
    out.addAll(inflight);
    out.addAll(queue);
    inflight = List.of();
    queue.clear();
    return out;
  }

  @Override
  public void run() {
    try {
      while (!halted) {
        List<ForwardItem> batch = nextBatch();
        if (batch == null) {
          return;
        }
        if (!send(batch)) {
          return; // stopping with the batch unsent: it stays for harvest
        }
      }
    } catch (InterruptedException e) {
      // halted
    }
  }

  /** Waits for a full batch or the deadline; null when the shard should end. */
  private synchronized List<ForwardItem> nextBatch() throws InterruptedException {
    long deadline = System.nanoTime() + s.batchSendDeadlineMs() * 1_000_000L;
    while (!halted) {
      if (queue.size() >= s.maxSamplesPerSend()
          || (!queue.isEmpty() && (draining || System.nanoTime() >= deadline))) {
        int n = Math.min(queue.size(), s.maxSamplesPerSend());
        List<ForwardItem> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          batch.add(queue.pollFirst());
        }
        inflight = batch;
        notifyAll(); // room for a waiting put
        return batch;
      }
      if (draining && queue.isEmpty()) {
        return null;
      }
      long waitMs = queue.isEmpty() ? 100
          : Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
      wait(Math.min(waitMs, 100));
      if (queue.isEmpty()) {
        deadline = System.nanoTime() + s.batchSendDeadlineMs() * 1_000_000L;
      }
    }
    return null;
  }

  /** Sends one batch until it is sent or dropped; false when stopping left it unsent. */
  private boolean send(List<ForwardItem> batch) throws InterruptedException {
    long backoff = Math.max(1, s.minBackoffMs());
    List<ForwardItem> items = batch;
    while (true) {
      items = dropTooOld(items);
      if (items.isEmpty()) {
        finish(batch);
        return true;
      }
      byte[] body = WriteRequests.snappy(WriteRequests.encode(items, s.v2(), owner::meta));
      long t0 = System.nanoTime();
      RemoteWriteClient.Outcome out;
      try {
        out = owner.client().send(body);
      } catch (IOException e) {
        out = new RemoteWriteClient.Outcome(RemoteWriteClient.Outcome.Kind.RETRY, 0, 0,
            e.toString());
      }
      long nanos = System.nanoTime() - t0;
      metrics.sentBatchDuration.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
      switch (out.kind()) {
        case SENT -> {
          owner.attempted(true, items.size(), nanos, body.length);
          count(items, metrics.sent);
          metrics.bytes.increment(body.length);
          for (ForwardItem it : items) {
            if (it.kind != ForwardItem.Kind.EXEMPLAR) {
              metrics.highestSent.update(it.t);
            }
          }
          finish(batch);
          return true;
        }
        case DROP -> {
          owner.attempted(true, items.size(), nanos, 0);
          Log.error(LOG, "non-recoverable error", null, "remote_name", queueName,
              "url", s.url(), "failedSampleCount", String.valueOf(items.size()),
              "err", out.message());
          count(items, metrics.failed);
          finish(batch);
          return true;
        }
        default -> {
          owner.attempted(false, items.size(), nanos, 0);
          count(items, metrics.retried);
          if (halted || isDraining()) {
            return false;
          }
          long sleep = out.retryAfterMs() > 0 ? out.retryAfterMs() : backoff;
          Log.warn(LOG, "Failed to send batch, retrying", "remote_name", queueName,
              "url", s.url(), "err", out.message(), "retry_in_ms", String.valueOf(sleep));
          sleeping = true;
          try {
            if (halted) {
              return false;
            }
            Thread.sleep(sleep);
          } finally {
            sleeping = false;
          }
          backoff = Math.min(backoff * 2, Math.max(s.maxBackoffMs(), s.minBackoffMs()));
        }
      }
    }
  }

  private synchronized boolean isDraining() {
    return draining;
  }

  private void finish(List<ForwardItem> batch) {
    synchronized (this) {
      inflight = List.of();
    }
    owner.done(batch); // outside the lock: the owner reads every shard under its own lock
  }

  /** sample_age_limit: items older than it are dropped, counted as too_old. */
  private List<ForwardItem> dropTooOld(List<ForwardItem> items) {
    if (s.sampleAgeLimitMs() <= 0) {
      return items;
    }
    long min = System.currentTimeMillis() - s.sampleAgeLimitMs();
    List<ForwardItem> keep = new ArrayList<>(items.size());
    for (ForwardItem it : items) {
      if (it.t < min) {
        metrics.dropped(it.kind, "too_old").increment();
      } else {
        keep.add(it);
      }
    }
    return keep;
  }

  private static void count(List<ForwardItem> items, ForwardMetrics.PerKind c) {
    int samples = 0;
    int histograms = 0;
    int exemplars = 0;
    for (ForwardItem it : items) {
      switch (it.kind) {
        case SAMPLE -> samples++;
        case HISTOGRAM -> histograms++;
        case EXEMPLAR -> exemplars++;
      }
    }
    c.samples().increment(samples);
    c.histograms().increment(histograms);
    c.exemplars().increment(exemplars);
  }
}
