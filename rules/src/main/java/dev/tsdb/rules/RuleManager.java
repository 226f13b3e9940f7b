package dev.tsdb.rules;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.rules.api.AlertSnapshot;
import dev.tsdb.rules.api.AlertingRuleSnapshot;
import dev.tsdb.rules.api.RecordingRuleSnapshot;
import dev.tsdb.rules.api.RuleGroupSnapshot;
import dev.tsdb.rules.api.RuleSnapshot;
import dev.tsdb.rules.metrics.RuleMetrics;
import dev.tsdb.rules.rulefmt.GroupDef;
import dev.tsdb.rules.rulefmt.RuleDef;
import dev.tsdb.rules.rulefmt.RuleFileError;
import dev.tsdb.rules.rulefmt.RuleFileException;
import dev.tsdb.rules.rulefmt.RuleFileParser;
import dev.tsdb.rules.rulefmt.RuleGroupsFile;
import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.rules.template.TemplateException;
import dev.tsdb.gocompat.GoTimeFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs recording and alerting rules from rule files (Prometheus's rules.Manager).
 *
 * <p>Lifecycle: {@link #update} loads (and on later calls reloads) rule files; groups loaded
 * before {@link #start} wait, so no query hits storage that is still replaying; {@link #stop}
 * stops all groups. A reload that fails keeps the previous rules running and throws. On reload a
 * group whose definition did not change keeps running untouched; a changed group is replaced and
 * inherits the alert state and series bookkeeping of rules with the same name and labels; a
 * removed group's series are marked stale two intervals later.
 *
 * <p>Threads: groups are evaluated on a small shared scheduler; snapshots may be taken from any
 * thread.
 */
public final class RuleManager implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RuleManager.class.getName());

  private final RuleManagerOptions opts;
  private final RuleMetrics metrics;
  private final ScheduledExecutorService exec;
  private final Object mtx = new Object();
  private Map<String, Group> groups = new LinkedHashMap<>();
  private boolean started;
  private volatile boolean stopped;
  private boolean restored;
  private volatile long defaultRuleQueryOffsetMs;

  public RuleManager(RuleManagerOptions opts) {
    this.opts = opts;
    this.metrics = new RuleMetrics(
        opts.metrics() != null ? opts.metrics() : new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    this.defaultRuleQueryOffsetMs = opts.defaultRuleQueryOffsetMs();
    AtomicInteger n = new AtomicInteger();
    this.exec = Executors.newScheduledThreadPool(Math.max(1, opts.evaluationThreads()), r -> {
      Thread t = new Thread(r, "rule-eval-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Loads {@code files} (paths as they should appear in the API, already glob-expanded) and
   * applies them.
   *
   * @param defaultIntervalMs global evaluation_interval, for groups without their own interval
   * @param externalLabels global external_labels, for alert templates ($externalLabels)
   * @param externalUrl --web.external-url, for templates and alerts' generatorURL
   * @throws RuleLoadException when any file fails to load; the previous rules keep running
   */
  public void update(long defaultIntervalMs, List<String> files, Labels externalLabels,
      String externalUrl) throws RuleLoadException {
    synchronized (mtx) {
      if (stopped) {
        return;
      }
      Map<String, Group> newGroups = loadGroups(defaultIntervalMs, files, externalLabels,
          externalUrl);
      restored = true;
      Map<String, Group> result = new LinkedHashMap<>();
      for (Map.Entry<String, Group> e : newGroups.entrySet()) {
        Group newg = e.getValue();
        Group oldg = groups.remove(e.getKey());
        if (oldg != null && oldg.sameDefinition(newg)) {
          result.put(e.getKey(), oldg);
          continue;
        }
        if (oldg != null) {
          oldg.stop();
          newg.copyState(oldg);
        }
        result.put(e.getKey(), newg);
        if (started) {
          newg.start(exec);
        }
      }
      for (Group old : groups.values()) {
        old.stop();
        metrics.removeGroup(old.key());
        long stopTs = opts.clock().getAsLong();
        // Give renamed rules two intervals to write their series before marking the old ones
        // stale, as Prometheus does.
        exec.schedule(() -> {
          if (!stopped) {
            old.markAllStale(stopTs);
          }
        }, 2 * old.intervalMs(), TimeUnit.MILLISECONDS);
      }
      groups = result;
    }
  }

  /**
   * Loads the rule files of a prometheus.yml (Prometheus's reload path): expands
   * {@code rule_files}, uses {@code global.evaluation_interval}, {@code external_labels} and
   * {@code rule_query_offset}.
   *
   * @throws RuleLoadException when a file fails to load (previous rules keep running) or a
   *     rule_files pattern is invalid
   */
  public void update(dev.tsdb.rules.config.PrometheusConfig cfg, String externalUrl)
      throws RuleLoadException {
    List<String> files;
    try {
      files = cfg.expandRuleFiles();
    } catch (dev.tsdb.rules.config.ConfigException e) {
      throw new RuleLoadException(List.of(new RuleFileError("", 0, 0, e.getMessage())));
    }
    defaultRuleQueryOffsetMs = cfg.global().ruleQueryOffsetMs();
    update(cfg.global().evaluationIntervalMs(), files, cfg.global().externalLabels(),
        externalUrl);
  }

  /**
   * Builds groups from rule files without applying them (Prometheus's LoadGroups).
   *
   * @throws RuleLoadException listing every file error
   */
  public Map<String, Group> loadGroups(long defaultIntervalMs, List<String> files,
      Labels externalLabels, String externalUrl) throws RuleLoadException {
    boolean shouldRestore = !restored;
    RuleFileParser parser = new RuleFileParser(PromQL::format, opts.nameValidation());
    Map<String, Group> out = new LinkedHashMap<>();
    List<RuleFileError> errors = new ArrayList<>();
    for (String fn : files) {
      RuleGroupsFile f;
      try {
        f = parser.parseFile(Path.of(fn));
      } catch (RuleFileException e) {
        errors.addAll(e.errors());
        continue;
      }
      for (GroupDef g : f.groups()) {
        long interval = g.intervalMs() != 0 ? g.intervalMs() : defaultIntervalMs;
        List<Rule> rules = new ArrayList<>();
        for (RuleDef r : g.rules()) {
          Map<String, String> merged = new TreeMap<>(g.labels());
          merged.putAll(r.labels());
          Labels labels = Labels.fromMap(merged);
          String query = PromQL.format(r.expr());
          if (r.isAlerting()) {
            try {
              AlertingRule ar = new AlertingRule(r.alert(), query, r.forMs(),
                  r.keepFiringForMs(), labels, r.annotations(), externalLabels, externalUrl,
                  !shouldRestore);
              ar.setTemplateMetrics(metrics.templateExpansions, metrics.templateFailures);
              rules.add(ar);
            } catch (TemplateException e) {
              errors.add(new RuleFileError(fn, r.line(), 0, e.getMessage()));
            }
          } else {
            rules.add(new RecordingRule(r.record(), query, labels));
          }
        }
        out.put(Group.groupKey(fn, g.name()), new Group(g.name(), fn, interval,
            g.queryOffsetMs(), g.limit(), rules, shouldRestore, opts, metrics, externalUrl,
            () -> defaultRuleQueryOffsetMs));
      }
    }
    if (!errors.isEmpty()) {
      for (RuleFileError e : errors) {
        LOG.log(System.Logger.Level.ERROR, "loading groups failed: " + e);
      }
      throw new RuleLoadException(errors);
    }
    return out;
  }

  /** Starts evaluating; groups loaded so far begin at their next slot. */
  public void start() {
    synchronized (mtx) {
      if (started || stopped) {
        return;
      }
      started = true;
      for (Group g : groups.values()) {
        g.start(exec);
      }
    }
  }

  /** Stops all evaluation; waits for running iterations to finish. */
  public void stop() {
    synchronized (mtx) {
      if (stopped) {
        return;
      }
      stopped = true;
      for (Group g : groups.values()) {
        g.stop();
      }
      exec.shutdownNow();
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Groups sorted by file, then name (Manager.RuleGroups). */
  public List<Group> groups() {
    List<Group> out;
    synchronized (mtx) {
      out = new ArrayList<>(groups.values());
    }
    out.sort(Comparator.comparing(Group::file).thenComparing(Group::name));
    return out;
  }

  /** All alerting rules, in group then file order. */
  public List<AlertingRule> alertingRules() {
    List<AlertingRule> out = new ArrayList<>();
    for (Group g : groups()) {
      for (Rule r : g.rules()) {
        if (r instanceof AlertingRule ar) {
          out.add(ar);
        }
      }
    }
    return out;
  }

  /** The data of /api/v1/rules. */
  public List<RuleGroupSnapshot> ruleGroupsSnapshot() {
    List<RuleGroupSnapshot> out = new ArrayList<>();
    for (Group g : groups()) {
      List<RuleSnapshot> rules = new ArrayList<>();
      for (Rule r : g.rules()) {
        rules.add(snapshot(r));
      }
      out.add(new RuleGroupSnapshot(g.name(), g.file(), rules, g.intervalMs() / 1000.0,
          g.limit(), g.evaluationSeconds(), GoTimeFormat.json(g.lastEvaluation())));
    }
    return out;
  }

  /** The data of /api/v1/alerts: pending and firing alerts of all rules. */
  public List<AlertSnapshot> alertsSnapshot() {
    List<AlertSnapshot> out = new ArrayList<>();
    for (AlertingRule ar : alertingRules()) {
      for (Alert a : ar.activeAlerts()) {
        out.add(snapshot(a));
      }
    }
    return out;
  }

  static RuleSnapshot snapshot(Rule r) {
    String lastEval = GoTimeFormat.json(r.evaluationTimestamp());
    String err = r.lastError() == null ? "" : r.lastError();
    if (r instanceof AlertingRule ar) {
      List<AlertSnapshot> alerts = new ArrayList<>();
      for (Alert a : ar.activeAlerts()) {
        alerts.add(snapshot(a));
      }
      return new AlertingRuleSnapshot(ar.state().apiName(), ar.name(), ar.query(),
          ar.holdMs() / 1000.0, ar.keepFiringForMs() / 1000.0, toMap(ar.labels()),
          new TreeMap<>(ar.annotations()), alerts, ar.health().apiName(), err,
          ar.evaluationSeconds(), lastEval, "alerting");
    }
    return new RecordingRuleSnapshot(r.name(), r.query(), toMap(r.labels()),
        r.health().apiName(), err, r.evaluationSeconds(), lastEval, "recording");
  }

  static AlertSnapshot snapshot(Alert a) {
    return new AlertSnapshot(toMap(a.labels), new TreeMap<>(a.annotations), a.state.apiName(),
        GoTimeFormat.jsonMillis(a.activeAtMs),
        a.keepFiringSinceMs == Alert.UNSET ? null : GoTimeFormat.jsonMillis(a.keepFiringSinceMs),
        GoFloat.format(a.value, 'e', -1));
  }

  private static Map<String, String> toMap(Labels l) {
    Map<String, String> m = new TreeMap<>();
    l.forEach(m::put);
    return m;
  }
}
