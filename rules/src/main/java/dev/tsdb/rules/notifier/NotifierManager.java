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
import dev.tsdb.rules.notifier.discovery.DnsResolver;
import dev.tsdb.rules.notifier.discovery.DnsTargets;
import dev.tsdb.rules.notifier.discovery.FileTargets;
import dev.tsdb.rules.notifier.discovery.JdkDnsResolver;
import dev.tsdb.rules.notifier.discovery.TargetSource;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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

  /** One alerting.alertmanagers entry: its client, target sources and send loops. */
  private static final class AlertmanagerSet {
    final AlertmanagerConfig cfg;
    final HttpClient client;
    /** Shared by the set's send loops, so an oauth2 token serves them all. */
    final ClientAuth auth;
    final List<TargetSource> sources;
    /** Replaced as a whole when discovery changes the targets; read without the lock. */
    volatile List<SendLoop> loops = List.of();
    volatile List<String> dropped = List.of();
    /** When each source is due for its periodic refresh (wall clock ms). */
    final long[] due;

    AlertmanagerSet(AlertmanagerConfig cfg, HttpClient client, ClientAuth auth,
        List<TargetSource> sources) {
      this.cfg = cfg;
      this.client = client;
      this.auth = auth;
      this.sources = sources;
      this.due = new long[sources.size()];
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
  private final DnsResolver dnsResolver;
  /** How often discovered sets check their sources for changes. */
  private final long discoveryCheckMs;
  /** Runs discovery refreshes; started with the first set that discovers targets. */
  private ScheduledExecutorService discovery;

  public NotifierManager(Options opts) {
    this(opts, new JdkDnsResolver(), 1000);
  }

  /**
   * @param dnsResolver answers dns_sd_configs look-ups
   * @param discoveryCheckMs period of the check for changed discovery files and due refreshes
   */
  public NotifierManager(Options opts, DnsResolver dnsResolver, long discoveryCheckMs) {
    this.opts = opts;
    this.dnsResolver = dnsResolver;
    this.discoveryCheckMs = discoveryCheckMs;
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
      if (discovery == null && next.stream().anyMatch(x -> !x.sources.isEmpty())) {
        discovery = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "alertmanager-discovery");
          t.setDaemon(true);
          return t;
        });
        discovery.scheduleWithFixedDelay(this::refreshDiscovered, discoveryCheckMs,
            discoveryCheckMs, TimeUnit.MILLISECONDS);
      }
    }
  }

  /**
   * Re-reads the target sources that are due or report a change, and replaces the send loops
   * of sets whose targets changed (loops for unchanged URLs keep their queues).
   */
  private void refreshDiscovered() {
    List<AlertmanagerSet> current;
    synchronized (mtx) {
      current = stopped ? List.of() : sets;
    }
    long now = System.currentTimeMillis();
    for (AlertmanagerSet s : current) {
      boolean any = false;
      for (int i = 0; i < s.sources.size(); i++) {
        TargetSource src = s.sources.get(i);
        any |= now >= s.due[i] || src.changed();
      }
      if (!any) {
        continue;
      }
      List<Map<String, String>> found = discover(s, now);
      synchronized (mtx) {
        if (stopped || !sets.contains(s)) {
          continue; // replaced by a reload meanwhile
        }
        List<SendLoop> before = s.loops;
        assignTargets(s, found);
        java.util.Set<SendLoop> kept = new java.util.HashSet<>(s.loops);
        for (SendLoop l : before) {
          if (!kept.contains(l)) {
            l.stop(false);
            metrics.remove(l.url());
          }
        }
        java.util.Set<SendLoop> old = new java.util.HashSet<>(before);
        for (SendLoop l : s.loops) {
          if (!old.contains(l)) {
            l.start();
          }
        }
      }
    }
  }

  /** Refreshes every source of the set; they are due again one interval later. */
  private static List<Map<String, String>> discover(AlertmanagerSet s, long now) {
    List<Map<String, String>> found = new ArrayList<>();
    for (int i = 0; i < s.sources.size(); i++) {
      TargetSource src = s.sources.get(i);
      found.addAll(src.refresh());
      s.due[i] = now + Math.max(1, src.refreshIntervalMs());
    }
    return found;
  }

  /** {@link #applyConfig(Labels, AlertingConfig)} from a loaded prometheus.yml. */
  public void applyConfig(dev.tsdb.rules.config.PrometheusConfig cfg) throws ConfigException {
    applyConfig(cfg.global().externalLabels(), cfg.alerting());
  }

  private AlertmanagerSet newSet(AlertmanagerConfig cfg) throws ConfigException {
    HttpClient client;
    ClientAuth auth;
    try {
      client = HttpClients.build(cfg);
      auth = new ClientAuth(cfg.basicAuth(), cfg.authorization(), cfg.oauth2(), cfg.timeoutMs());
    } catch (Exception e) {
      throw new ConfigException("unable to set up the Alertmanager client: " + e.getMessage(),
          e);
    }
    List<TargetSource> sources = new ArrayList<>();
    cfg.fileSdConfigs().forEach(f -> sources.add(new FileTargets(f)));
    cfg.dnsSdConfigs().forEach(d -> sources.add(new DnsTargets(d, dnsResolver)));
    AlertmanagerSet s = new AlertmanagerSet(cfg, client, auth, sources);
    // Static targets are checked at load time, as Prometheus checks them in the config.
    for (StaticConfig sc : cfg.staticConfigs()) {
      for (String target : sc.targets()) {
        Labels after = Relabeler.process(targetLabels(cfg, Map.of("__address__", target),
            sc.labels()), cfg.relabelConfigs());
        if (after != null && (after.get("__address__").isEmpty()
            || after.get("__address__").contains("/"))) {
          throw new ConfigException("invalid alertmanager target address \""
              + after.get("__address__") + "\"");
        }
      }
    }
    assignTargets(s, discover(s, System.currentTimeMillis()));
    return s;
  }

  /**
   * Sets the send loops of {@code s} for its static targets and {@code discovered}: relabelled,
   * deduplicated by URL; loops already running for a URL are kept, others created (not started).
   */
  private void assignTargets(AlertmanagerSet s, List<Map<String, String>> discovered) {
    AlertmanagerConfig cfg = s.cfg;
    List<Labels> candidates = new ArrayList<>();
    for (StaticConfig sc : cfg.staticConfigs()) {
      for (String target : sc.targets()) {
        candidates.add(targetLabels(cfg, Map.of("__address__", target), sc.labels()));
      }
    }
    for (Map<String, String> t : discovered) {
      candidates.add(targetLabels(cfg, t, Map.of()));
    }
    Map<String, SendLoop> running = new HashMap<>();
    s.loops.forEach(l -> running.put(l.url(), l));
    Map<String, SendLoop> loops = new LinkedHashMap<>();
    List<String> dropped = new ArrayList<>();
    for (Labels before : candidates) {
      Labels after = Relabeler.process(before, cfg.relabelConfigs());
      if (after == null) {
        dropped.add(url(before));
        continue;
      }
      String addr = after.get("__address__");
      if (addr.isEmpty() || addr.contains("/")) {
        continue; // a discovered bad address: skipped, as Prometheus skips it
      }
      String u = url(after);
      if (!loops.containsKey(u)) {
        SendLoop l = running.get(u);
        loops.put(u, l != null ? l : new SendLoop(u, s.client, s.auth, cfg, opts,
            metrics.forAlertmanager(u)));
      }
    }
    s.loops = List.copyOf(loops.values());
    s.dropped = List.copyOf(dropped);
  }

  private static Labels targetLabels(AlertmanagerConfig cfg, Map<String, String> target,
      Map<String, String> groupLabels) {
    LabelsBuilder b = new LabelsBuilder();
    groupLabels.forEach(b::set);
    target.forEach(b::set);
    b.set("__scheme__", cfg.scheme());
    b.set("__alerts_path__", postPath(cfg.pathPrefix()));
    return b.build();
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
      if (discovery != null) {
        discovery.shutdownNow();
      }
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
