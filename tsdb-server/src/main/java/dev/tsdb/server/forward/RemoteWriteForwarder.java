package dev.tsdb.server.forward;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.rules.config.RemoteWriteConfig;
import dev.tsdb.server.log.Log;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Forwards everything appended to our storage to the {@code remote_write} receivers of the
 * configuration, one {@link QueueManager} per entry, each tailing our WAL in
 * {@code <data>/wal}. A reload keeps unchanged queues running; a changed queue is stopped
 * (its sent position saved) and started again with the new settings from that position, so
 * nothing is lost; a removed queue stops and its position stays on disk for a later return.
 */
public final class RemoteWriteForwarder implements Closeable {
  private static final Logger LOG = Logger.getLogger(RemoteWriteForwarder.class.getName());

  /**
   * Timings: how often the WAL is polled for new records, how often the shard count is
   * reconsidered, and how long a stopping queue may keep sending what it holds; and the most WAL
   * bytes a queue may keep from deletion (0: no limit; {@code
   * --storage.remote.max-retained-wal-bytes}).
   */
  public record Options(long pollMs, long reshardIntervalMs, long flushMs,
      long maxRetainedWalBytes) {
    public static final Options DEFAULT =
        new Options(100, QueueManager.RESHARD_INTERVAL_MS, 60_000, 0);

    public Options(long pollMs, long reshardIntervalMs, long flushMs) {
      this(pollMs, reshardIntervalMs, flushMs, 0);
    }

    public Options withMaxRetainedWalBytes(long bytes) {
      return new Options(pollMs, reshardIntervalMs, flushMs, bytes);
    }
  }

  private final Path walDir;
  private final PositionStore store;
  private final ForwardMetrics metrics;
  private final Options options;
  private final Map<String, QueueManager> queues = new LinkedHashMap<>();
  private final Map<String, Labels> externalByKey = new HashMap<>();
  private boolean closed;

  public RemoteWriteForwarder(Path dataDir, MeterRegistry registry, Options options) {
    this.walDir = dataDir.resolve("wal");
    this.store = new PositionStore(dataDir);
    this.metrics = new ForwardMetrics(registry);
    this.options = options;
  }

  /** The queue's name in metrics and logs: its {@code name}, else a hash of its URL. */
  static String remoteName(RemoteWriteConfig c) {
    return c.name().isEmpty() ? PositionStore.hash(c.url()).substring(0, 6) : c.name();
  }

  /**
   * Starts, restarts and stops queues to match {@code configs}.
   *
   * @throws IOException if a queue could not be set up (e.g. an unreadable TLS file); the
   *     other queues are applied
   */
  public synchronized void apply(List<RemoteWriteConfig> configs, Labels externalLabels)
      throws IOException {
    if (closed) {
      return;
    }
    Map<String, RemoteWriteConfig> wanted = new LinkedHashMap<>();
    for (RemoteWriteConfig c : configs) {
      String identity = c.name().isEmpty() ? "url:" + c.url() : "name:" + c.name();
      String key = PositionStore.key(identity);
      for (int i = 2; wanted.containsKey(key); i++) {
        key = PositionStore.key(identity + "#" + i);
      }
      wanted.put(key, c);
    }
    for (Map.Entry<String, QueueManager> e : new ArrayList<>(queues.entrySet())) {
      RemoteWriteConfig next = wanted.get(e.getKey());
      QueueManager q = e.getValue();
      if (next == null || !sameSettings(next, q.config)
          || !externalLabels.equals(externalByKey.get(e.getKey()))) {
        q.stop(options.flushMs());
        queues.remove(e.getKey());
        if (next == null || !remoteName(next).equals(q.name) || !next.url().equals(q.config.url())) {
          metrics.remove(q.name, q.config.url());
        }
      }
    }
    List<String> failures = new ArrayList<>();
    boolean first = true;
    for (Map.Entry<String, RemoteWriteConfig> e : wanted.entrySet()) {
      boolean countsInput = first;
      first = false;
      if (queues.containsKey(e.getKey())) {
        continue;
      }
      RemoteWriteConfig c = e.getValue();
      try {
        QueueManager q = new QueueManager(remoteName(c), e.getKey(), c, externalLabels, walDir,
            store, metrics, countsInput, options);
        q.start();
        queues.put(e.getKey(), q);
        externalByKey.put(e.getKey(), externalLabels);
      } catch (IOException | GeneralSecurityException | RuntimeException ex) {
        Log.error(LOG, "Cannot start remote-write queue", ex, "remote_name", remoteName(c),
            "url", c.url());
        failures.add(remoteName(c) + ": " + ex.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new IOException("remote_write: " + String.join("; ", failures));
    }
  }

  /**
   * Whether a reload leaves a queue as it is. Relabel rules are compared as written (their
   * compiled regexes have no value equality).
   */
  static boolean sameSettings(RemoteWriteConfig a, RemoteWriteConfig b) {
    return withoutRelabel(a).equals(withoutRelabel(b))
        && relabelText(a).equals(relabelText(b));
  }

  private static RemoteWriteConfig withoutRelabel(RemoteWriteConfig c) {
    return new RemoteWriteConfig(c.url(), c.name(), c.remoteTimeoutMs(), c.headers(), List.of(),
        c.sendExemplars(), c.sendNativeHistograms(), c.protobufMessage(), c.basicAuth(),
        c.authorization(), c.tls(), c.proxyUrl(), c.queue(), c.metadata(), c.oauth2());
  }

  private static List<List<Object>> relabelText(RemoteWriteConfig c) {
    List<List<Object>> out = new ArrayList<>();
    for (var r : c.writeRelabelConfigs()) {
      out.add(List.of(r.sourceLabels(), r.separator(), r.regexText(), r.modulus(),
          r.targetLabel(), r.replacement(), r.action()));
    }
    return out;
  }

  /** The running queues by remote name (tests). */
  synchronized Map<String, QueueManager> queues() {
    Map<String, QueueManager> out = new LinkedHashMap<>();
    queues.values().forEach(q -> out.put(q.name, q));
    return out;
  }

  /** Stops every queue, saving how far each got. */
  @Override
  public synchronized void close() {
    closed = true;
    for (QueueManager q : queues.values()) {
      q.stop(options.flushMs());
    }
    queues.clear();
  }
}
