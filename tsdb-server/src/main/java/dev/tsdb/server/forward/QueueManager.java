package dev.tsdb.server.forward;

import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.rules.config.RemoteWriteConfig;
import dev.tsdb.server.log.Log;
import dev.tsdb.wal.SegmentRange;
import dev.tsdb.wal.Segments;
import dev.tsdb.wal.WalFormat;
import dev.tsdb.wal.WalRetention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Logger;

/**
 * One {@code remote_write} queue: a {@link WalWatcher} feeding {@link Shard}s that send to the
 * receiver. Every item carries a sequence number in WAL order; once all items before a WAL
 * position have been sent (or dropped for good), that position is committed: saved by the
 * {@link PositionStore} (so a restart resumes there) and held in the WAL ({@link WalRetention})
 * so the segments from it on are not deleted. Resharding moves the unsent items of the old
 * shards to the new ones in order, so it neither loses nor repeats anything.
 */
final class QueueManager implements QueueFeeder.Queue, Shard.Owner {
  private static final Logger LOG = Logger.getLogger(QueueManager.class.getName());
  /** How often the shard count is reconsidered (Prometheus: 10s). */
  static final long RESHARD_INTERVAL_MS = 10_000;

  final String name;
  final String key;
  final RemoteWriteConfig config;
  private final Path walDir;
  private final PositionStore store;
  private final ForwardMetrics.Queue metrics;
  private final QueueSettings settings;
  private final RemoteWriteClient client;
  private final SeriesCache cache;
  private final QueueFeeder feeder;
  private final ShardCalculator calc = new ShardCalculator();
  private final long pollMs;
  private final long reshardIntervalMs;
  private final long maxRetainedWalBytes;

  /** Guards the shard list: enqueues share it, resharding and commits own it. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  /** Held while a reshard moves items between shards, and while a commit looks at them. */
  private final Object moving = new Object();
  private volatile List<Shard> shards = List.of();
  /** Items with a lower seq are in a shard (or done). */
  private volatile long putUpTo;
  /** Positions reached by the watcher, with the seq of the first item after them. */
  private final ArrayDeque<Mark> marks = new ArrayDeque<>();
  private volatile WalPosition committed;
  private WalPosition saved;
  private WalWatcher watcher;
  private WalRetention.Hold hold;
  private ScheduledExecutorService timers;
  private volatile long lastSendOkNanos = System.nanoTime();
  private volatile boolean lastSendFailed;
  private long lastReshardCheck = System.nanoTime();
  private long lastMetadataSend = System.nanoTime();

  private record Mark(long seq, WalPosition pos) {}

  QueueManager(String name, String key, RemoteWriteConfig config, Labels externalLabels,
      Path walDir, PositionStore store, ForwardMetrics metrics, boolean countsInput,
      RemoteWriteForwarder.Options options) throws IOException, GeneralSecurityException {
    this.name = name;
    this.key = key;
    this.config = config;
    this.walDir = walDir;
    this.store = store;
    this.metrics = metrics.queue(name, config.url());
    this.settings = QueueSettings.of(config);
    this.client = new RemoteWriteClient(config);
    this.cache = new SeriesCache(externalLabels, config.writeRelabelConfigs());
    this.feeder = new QueueFeeder(cache, this, metrics, this.metrics, calc,
        config.sendExemplars(), config.sendNativeHistograms(), countsInput);
    this.pollMs = options.pollMs();
    this.reshardIntervalMs = options.reshardIntervalMs();
    this.maxRetainedWalBytes = options.maxRetainedWalBytes();
  }

  /** Starts from the saved position, or from the WAL's current end for a new queue. */
  void start() throws IOException {
    Optional<WalPosition> pos = store.load(key);
    WalPosition from = pos.isPresent() ? pos.get() : walEnd();
    committed = from;
    saved = from;
    store.save(key, from);
    hold = WalRetention.hold(walDir, this::firstNeededSegment);
    RemoteWriteConfig.QueueConfig q = config.queue();
    metrics.shardsMin.set(q.minShards());
    metrics.shardsMax.set(q.maxShards());
    metrics.shardCapacity.set(settings.capacity());
    metrics.maxSamplesPerSend.set(settings.maxSamplesPerSend());
    startShards(Math.max(1, Math.min(q.minShards(), q.maxShards())), List.of());
    watcher = new WalWatcher(walDir, from, feeder, name, pollMs, this::skipped,
        metrics.watcher);
    watcher.start();
    timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "remote-write-queue-" + name);
      t.setDaemon(true);
      return t;
    });
    timers.scheduleWithFixedDelay(this::tick, 200, 200, TimeUnit.MILLISECONDS);
    Log.info(LOG, "Starting remote-write queue", "remote_name", name, "url", config.url(),
        "from_segment", String.valueOf(from.segment()), "offset",
        String.valueOf(from.offset()), "resumed", String.valueOf(pos.isPresent()));
  }

  /**
   * The oldest segment this queue keeps from deletion: its committed position's, unless the
   * segments from there on exceed {@code --storage.remote.max-retained-wal-bytes}; then the
   * older ones are given up, as Prometheus (which keeps none for remote write) would have lost
   * them. Asked at each WAL truncation.
   */
  private int firstNeededSegment() {
    int need = committed.segment();
    if (maxRetainedWalBytes > 0) {
      try {
        need = Math.max(need, WalRetention.firstWithin(walDir, maxRetainedWalBytes));
      } catch (IOException e) {
        Log.warn(LOG, "Cannot size the WAL a remote-write queue holds", "remote_name", name,
            "err", e.getMessage());
      }
    }
    return need;
  }

  /** The watcher found segments {@code first..last} gone before it read them. */
  private void skipped(int first, int last) {
    metrics.walSegmentsSkipped.increment(last - first + 1);
    Log.warn(LOG, "Remote-write queue skips WAL segments deleted before it sent them (given up"
        + " under --storage.remote.max-retained-wal-bytes, or truncated without our hold); their"
        + " samples are lost for this queue",
        "remote_name", name, "url", config.url(), "first_segment", String.valueOf(first),
        "last_segment", String.valueOf(last));
  }

  /** Where a new queue starts: after everything logged so far. */
  private WalPosition walEnd() throws IOException {
    SegmentRange r = Segments.range(walDir);
    if (r.isEmpty()) {
      return WalPosition.START;
    }
    Path last = WalFormat.segmentPath(walDir, r.last());
    return new WalPosition(r.last(), Files.exists(last) ? Files.size(last) : 0);
  }

  /**
   * Stops: shards send what they hold for up to {@code flushMs} while sending works, then
   * everything ends; the position of what was sent is saved, the rest is read again from the
   * WAL by the next queue with this key.
   */
  void stop(long flushMs) {
    try {
      if (watcher != null) {
        watcher.stop();
      }
      if (timers != null) {
        timers.shutdownNow();
        timers.awaitTermination(10, TimeUnit.SECONDS);
      }
      List<Shard> current;
      lock.readLock().lock();
      try {
        current = shards;
      } finally {
        lock.readLock().unlock();
      }
      for (Shard s : current) {
        s.drain();
      }
      long deadline = System.nanoTime() + flushMs * 1_000_000L;
      for (Shard s : current) {
        s.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
      }
      for (Shard s : current) {
        s.halt(true);
      }
      for (Shard s : current) {
        s.join(config.remoteTimeoutMs() + 1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      commit();
      if (hold != null) {
        hold.close();
      }
      updatePending();
    }
  }

  // ---- feeding (watcher thread) --------------------------------------------------------------

  /**
   * Puts the item into its series' shard. Holding the read lock while a full shard makes us
   * wait is safe: a reshard halts the old shards first (which ends the wait), then takes the
   * write lock, so the item is harvested along with the rest.
   */
  @Override
  public void enqueue(ForwardItem it) throws InterruptedException {
    lock.readLock().lockInterruptibly();
    try {
      List<Shard> sh = shards;
      sh.get((int) Math.floorMod(it.ref, (long) sh.size())).put(it);
      putUpTo = it.seq + 1;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void reached(WalPosition pos, long nextSeq) {
    synchronized (marks) {
      Mark last = marks.peekLast();
      if (last != null && last.seq == nextSeq) {
        marks.pollLast(); // same items before it: keep only the later position
      }
      marks.addLast(new Mark(nextSeq, pos));
    }
  }

  // ---- shards --------------------------------------------------------------------------------

  @Override
  public RemoteWriteClient client() {
    return client;
  }

  @Override
  public SeriesCache.Meta meta(long ref) {
    return cache.meta(ref);
  }

  @Override
  public void done(List<ForwardItem> batch) {
    updatePending();
  }

  @Override
  public void attempted(boolean ok, int items, long nanos, int bytes) {
    if (ok) {
      calc.sent(items, nanos);
      lastSendOkNanos = System.nanoTime();
      lastSendFailed = false;
    } else {
      lastSendFailed = true;
    }
  }

  private void startShards(int n, List<ForwardItem> carried) {
    List<Shard> next = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      next.add(new Shard(this, settings, metrics, name));
    }
    if (!carried.isEmpty()) {
      List<List<ForwardItem>> per = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        per.add(new ArrayList<>());
      }
      for (ForwardItem it : carried) {
        per.get((int) Math.floorMod(it.ref, (long) n)).add(it);
      }
      for (int i = 0; i < n; i++) {
        next.get(i).putAll(per.get(i));
      }
    }
    shards = List.copyOf(next);
    for (int i = 0; i < n; i++) {
      next.get(i).start(i);
    }
    metrics.shards.set(n);
  }

  /** Replaces the shards by {@code n} new ones carrying the unsent items along, in order. */
  void reshard(int n) throws InterruptedException {
    List<Shard> old = shards;
    for (Shard s : old) {
      s.halt(false);
    }
    lock.writeLock().lock();
    try {
      synchronized (moving) {
        List<ForwardItem> carried = new ArrayList<>();
        for (Shard s : old) {
          s.join(0);
          carried.addAll(s.harvest());
        }
        carried.sort(Comparator.comparingLong(it -> it.seq));
        Log.info(LOG, "Remote storage resharding", "remote_name", name, "from",
            String.valueOf(old.size()), "to", String.valueOf(n));
        startShards(n, carried);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  int shardCount() {
    return shards.size();
  }

  // ---- periodic work -------------------------------------------------------------------------

  private void tick() {
    try {
      commit();
      updatePending();
      long now = System.nanoTime();
      if (now - lastReshardCheck >= reshardIntervalMs * 1_000_000L) {
        double secs = (now - lastReshardCheck) / 1e9;
        lastReshardCheck = now;
        maybeReshard(secs);
      }
      RemoteWriteConfig.MetadataConfig md = config.metadata();
      if (!config.isV2() && md.send()
          && now - lastMetadataSend >= md.sendIntervalMs() * 1_000_000L) {
        lastMetadataSend = now;
        sendMetadata();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      Log.error(LOG, "Remote-write queue maintenance failed", e, "remote_name", name);
    }
  }

  private void maybeReshard(double secs) throws InterruptedException {
    RemoteWriteConfig.QueueConfig q = config.queue();
    double lag = (feeder.highestRead.get() - metrics.highestSent.get()) / 1000.0;
    int current = shards.size();
    int desired = calc.desired(current, q.minShards(), q.maxShards(), secs, lag);
    metrics.shardsDesired.set(desired);
    // As Prometheus: no resharding while sends fail or have not succeeded lately.
    boolean healthy = !lastSendFailed
        && System.nanoTime() - lastSendOkNanos
            < 2 * (settings.batchSendDeadlineMs() + reshardIntervalMs) * 1_000_000L;
    if (desired != current && healthy) {
      reshard(desired);
    }
  }

  /** Saves the position all items before which have left the shards. */
  void commit() {
    long safe;
    synchronized (moving) { // not while a reshard carries items from old shards to new ones
      safe = putUpTo;
      for (Shard s : shards) {
        safe = Math.min(safe, s.oldestPending());
      }
    }
    WalPosition pos = null;
    synchronized (marks) {
      while (!marks.isEmpty() && marks.peekFirst().seq <= safe) {
        pos = marks.pollFirst().pos;
      }
    }
    if (pos != null && pos.compareTo(committed) > 0) {
      committed = pos;
    }
    WalPosition c = committed;
    if (!c.equals(saved)) {
      try {
        store.save(key, c);
        saved = c;
      } catch (IOException e) {
        Log.error(LOG, "Cannot save the remote-write position", e, "remote_name", name);
      }
    }
  }

  WalPosition committed() {
    return committed;
  }

  /** How many series refs the queue remembers (tests). */
  int cachedSeries() {
    return cache.refs().size();
  }

  /** The pending gauges per kind, as Prometheus's (exemplars are not samples). */
  private void updatePending() {
    long[] byKind = new long[ForwardItem.Kind.values().length];
    for (Shard s : shards) {
      s.pendingByKind(byKind);
    }
    metrics.samplesPending.set(byKind[ForwardItem.Kind.SAMPLE.ordinal()]);
    metrics.histogramsPending.set(byKind[ForwardItem.Kind.HISTOGRAM.ordinal()]);
    metrics.exemplarsPending.set(byKind[ForwardItem.Kind.EXEMPLAR.ordinal()]);
  }

  /** 1.0 messages: the metadata of every metric read so far, in chunks. */
  private void sendMetadata() throws InterruptedException {
    List<PromPb.Metadata> all = new ArrayList<>();
    for (Map.Entry<String, SeriesCache.Meta> e : cache.families().entrySet()) {
      SeriesCache.Meta m = e.getValue();
      all.add(new PromPb.Metadata(m.type(), e.getKey(), m.help(), m.unit()));
    }
    int per = Math.max(1, config.metadata().maxSamplesPerSend());
    for (int i = 0; i < all.size(); i += per) {
      List<PromPb.Metadata> chunk = all.subList(i, Math.min(all.size(), i + per));
      byte[] body = WriteRequests.snappy(WriteRequests.metadata(chunk));
      try {
        RemoteWriteClient.Outcome out = client.send(body);
        switch (out.kind()) {
          case SENT -> {
            metrics.metadataSent.increment(chunk.size());
            metrics.metadataBytes.increment(body.length);
          }
          case RETRY -> metrics.metadataRetried.increment(chunk.size());
          default -> metrics.metadataFailed.increment(chunk.size());
        }
      } catch (IOException e) {
        metrics.metadataRetried.increment(chunk.size());
        return; // sent again at the next interval
      }
    }
  }
}
