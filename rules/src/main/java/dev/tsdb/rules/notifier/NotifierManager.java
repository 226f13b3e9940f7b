package dev.tsdb.rules.notifier;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import dev.tsdb.rules.config.AlertingConfig;
import dev.tsdb.rules.config.AlertmanagerConfig;
import dev.tsdb.rules.config.ConfigException;
import dev.tsdb.rules.config.StaticConfig;
import dev.tsdb.rules.relabel.RelabelConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.tsdb.rules.relabel.Relabeler;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends alerts to Alertmanagers (Prometheus's notifier.Manager with per-Alertmanager send
 * loops). {@link #send} adds missing external labels to each alert, applies the global
 * {@code alert_relabel_configs} (dropping alerts they drop), then each Alertmanager set's own
 * {@code alert_relabel_configs}, and queues the result on every Alertmanager of the set. Each
 * Alertmanager has its own bounded queue and sender thread, so a slow one does not hold up
 * the others.
 *
 * <p>{@link #applyConfig} can be called again on reload: sets whose configuration is unchanged
 * keep their queues and threads.
 */
public final class NotifierManager implements AlertSender, AutoCloseable {
  /**
   * Notifier settings.
   *
   * @param queueCapacity alerts queued per Alertmanager before the oldest are dropped
   *     ({@code --alertmanager.notification-queue-capacity}, 10000)
   * @param maxBatchSize alerts per request (256)
   * @param maxRetries extra attempts for a failed batch before it is dropped
   * @param retryBackoffMs wait before the first retry, doubled for each further one
   * @param drainOnShutdown send what is queued when stopping
   *     ({@code --alertmanager.drain-notification-queue-on-shutdown}, true)
   */
  public record Options(int queueCapacity, int maxBatchSize, int maxRetries, long retryBackoffMs,
      boolean drainOnShutdown, MeterRegistry metrics) {
    public static final Options DEFAULT = new Options(10_000, 256, 2, 500, true, null);

    /** The registry the notifier's metrics go to (default: a private one nobody reads). */
    public Options withMetrics(MeterRegistry m) {
      return new Options(queueCapacity, maxBatchSize, maxRetries, retryBackoffMs,
          drainOnShutdown, m);
    }

    public Options withQueueCapacity(int c) {
      return new Options(c, maxBatchSize, maxRetries, retryBackoffMs, drainOnShutdown, metrics);
    }

    public Options withRetries(int retries, long backoffMs) {
      return new Options(queueCapacity, maxBatchSize, retries, backoffMs, drainOnShutdown,
          metrics);
    }
  }

  private static final class AlertmanagerSet {
    final AlertmanagerConfig cfg;
    final List<SendLoop> loops = new ArrayList<>();
    final List<String> dropped = new ArrayList<>();

    AlertmanagerSet(AlertmanagerConfig cfg) {
      this.cfg = cfg;
    }

    void send(List<NotifierAlert> alerts) {
      List<NotifierAlert> out = alerts;
      if (!cfg.alertRelabelConfigs().isEmpty()) {
        out = relabel(cfg.alertRelabelConfigs(), Labels.EMPTY, alerts);
      }
      if (out.isEmpty()) {
        return;
      }
      for (SendLoop l : loops) {
        l.add(out);
      }
    }
  }

  private final Options opts;
  private final NotifierMetrics metrics;
  private final Object mtx = new Object();
  private Labels externalLabels = Labels.EMPTY;
  private List<RelabelConfig> relabelConfigs = List.of();
  private List<AlertmanagerSet> sets = List.of();
  private boolean stopped;

  public NotifierManager(Options opts) {
    this.opts = opts;
    this.metrics = new NotifierMetrics(
        opts.metrics() != null ? opts.metrics() : new SimpleMeterRegistry(), opts.queueCapacity(),
        () -> alertmanagersSnapshot().activeAlertmanagers().size());
  }

  /**
   * Applies {@code global.external_labels} and the {@code alerting} section.
   *
   * @throws ConfigException when a TLS setup (CA, client certificate) cannot be loaded or a
   *     target address is invalid; the previous configuration stays in effect
   */
  public void applyConfig(Labels externalLabels, AlertingConfig alerting)
      throws ConfigException {
    synchronized (mtx) {
      if (stopped) {
        return;
      }
      Map<AlertmanagerConfig, AlertmanagerSet> old = new HashMap<>();
      for (AlertmanagerSet s : sets) {
        old.put(s.cfg, s);
      }
      List<AlertmanagerSet> created = new ArrayList<>();
      List<AlertmanagerSet> next = new ArrayList<>();
      try {
        for (AlertmanagerConfig cfg : alerting.alertmanagers()) {
          AlertmanagerSet reuse = old.remove(cfg);
          if (reuse != null) {
            next.add(reuse);
            continue;
          }
          AlertmanagerSet s = newSet(cfg);
          created.add(s);
          next.add(s);
        }
      } catch (ConfigException e) {
        throw e; // created loops were never started; nothing to stop
      }
      java.util.Set<String> keepMetrics = new java.util.HashSet<>();
      for (AlertmanagerSet s : next) {
        s.loops.forEach(l -> keepMetrics.add(l.url()));
      }
      for (AlertmanagerSet s : old.values()) {
        for (SendLoop l : s.loops) {
          l.stop(false);
          if (!keepMetrics.contains(l.url())) {
            metrics.remove(l.url());
          }
        }
      }
      for (AlertmanagerSet s : created) {
        s.loops.forEach(SendLoop::start);
      }
      this.externalLabels = externalLabels;
      this.relabelConfigs = alerting.alertRelabelConfigs();
      this.sets = next;
    }
  }

  /** {@link #applyConfig(Labels, AlertingConfig)} from a loaded prometheus.yml. */
  public void applyConfig(dev.tsdb.rules.config.PrometheusConfig cfg) throws ConfigException {
    applyConfig(cfg.global().externalLabels(), cfg.alerting());
  }

  private AlertmanagerSet newSet(AlertmanagerConfig cfg) throws ConfigException {
    HttpClient client;
    try {
      client = HttpClients.build(cfg);
    } catch (Exception e) {
      throw new ConfigException("unable to set up the Alertmanager client: " + e.getMessage(),
          e);
    }
    AlertmanagerSet s = new AlertmanagerSet(cfg);
    Map<String, Boolean> seen = new LinkedHashMap<>();
    String path = postPath(cfg.pathPrefix());
    for (StaticConfig sc : cfg.staticConfigs()) {
      for (String target : sc.targets()) {
        LabelsBuilder b = new LabelsBuilder();
        sc.labels().forEach(b::set);
        b.set("__address__", target);
        b.set("__scheme__", cfg.scheme());
        b.set("__alerts_path__", path);
        Labels before = b.build();
        Labels after = Relabeler.process(before, cfg.relabelConfigs());
        if (after == null) {
          s.dropped.add(url(before));
          continue;
        }
        String addr = after.get("__address__");
        if (addr.isEmpty() || addr.contains("/")) {
          throw new ConfigException("invalid alertmanager target address \"" + addr + "\"");
        }
        String u = url(after);
        if (seen.putIfAbsent(u, true) == null) {
          s.loops.add(new SendLoop(u, client, cfg, opts, metrics.forAlertmanager(u)));
        }
      }
    }
    return s;
  }

  /** path.Join("/", prefix, "/api/v2/alerts"). */
  static String postPath(String prefix) {
    String joined = "/" + (prefix == null ? "" : prefix) + "/api/v2/alerts";
    String p = joined.replaceAll("/+", "/");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private static String url(Labels l) {
    return l.get("__scheme__") + "://" + l.get("__address__") + l.get("__alerts_path__");
  }

  private void stopSet(AlertmanagerSet s, boolean drain) {
    for (SendLoop l : s.loops) {
      l.stop(drain);
      metrics.remove(l.url());
    }
  }

  /**
   * Queues alerts for every configured Alertmanager (after external labels and relabelling).
   */
  @Override
  public void send(List<NotifierAlert> alerts) {
    Labels ext;
    List<RelabelConfig> relabel;
    List<AlertmanagerSet> current;
    synchronized (mtx) {
      if (stopped) {
        return;
      }
      ext = externalLabels;
      relabel = relabelConfigs;
      current = sets;
    }
    List<NotifierAlert> out = relabel(relabel, ext, alerts);
    if (out.isEmpty()) {
      return;
    }
    for (AlertmanagerSet s : current) {
      s.send(out);
    }
  }

  /** External labels the alert lacks are added, then the relabel configs applied. */
  static List<NotifierAlert> relabel(List<RelabelConfig> configs, Labels ext,
      List<NotifierAlert> alerts) {
    List<NotifierAlert> out = new ArrayList<>(alerts.size());
    for (NotifierAlert a : alerts) {
      Labels l = a.labels();
      if (!ext.isEmpty()) {
        LabelsBuilder b = l.toBuilder();
        for (int i = 0; i < ext.size(); i++) {
          if (l.get(ext.name(i)).isEmpty()) {
            b.set(ext.name(i), ext.value(i));
          }
        }
        l = b.build();
      }
      Labels r = Relabeler.process(l, configs);
      if (r != null) {
        out.add(r == a.labels() ? a : a.withLabels(r));
      }
    }
    return out;
  }

  /** The data of /api/v1/alertmanagers. */
  public AlertmanagersSnapshot alertmanagersSnapshot() {
    List<AlertmanagersSnapshot.AlertmanagerUrl> active = new ArrayList<>();
    List<AlertmanagersSnapshot.AlertmanagerUrl> dropped = new ArrayList<>();
    List<AlertmanagerSet> current;
    synchronized (mtx) {
      current = sets;
    }
    for (AlertmanagerSet s : current) {
      for (SendLoop l : s.loops) {
        active.add(new AlertmanagersSnapshot.AlertmanagerUrl(l.url()));
      }
      for (String d : s.dropped) {
        dropped.add(new AlertmanagersSnapshot.AlertmanagerUrl(d));
      }
    }
    return new AlertmanagersSnapshot(active, dropped);
  }

  /** Total alerts queued across Alertmanagers. */
  public int queueLength() {
    List<AlertmanagerSet> current;
    synchronized (mtx) {
      current = sets;
    }
    int n = 0;
    for (AlertmanagerSet s : current) {
      for (SendLoop l : s.loops) {
        n += l.queueLength();
      }
    }
    return n;
  }

  /** Stops all send loops, sending what is queued first if drainOnShutdown. */
  public void stop() {
    List<AlertmanagerSet> current;
    synchronized (mtx) {
      if (stopped) {
        return;
      }
      stopped = true;
      current = sets;
      sets = List.of();
    }
    for (AlertmanagerSet s : current) {
      stopSet(s, opts.drainOnShutdown());
    }
  }

  @Override
  public void close() {
    stop();
  }
}
