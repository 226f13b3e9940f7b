package dev.tsdb.rules;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.rules.metrics.RuleMetrics;
import dev.tsdb.rules.notifier.NotifierAlert;
import dev.tsdb.rules.template.PromTemplateFuncs;
import dev.tsdb.index.labels.XxHash64;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SampleRejectedException;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A rule group: rules evaluated in order at the same timestamp every interval (rules/group.go).
 *
 * <p>Evaluation timestamps are slotted like Prometheus's: each group has a fixed offset within
 * the interval derived from the xxhash of its file and name ({@link #evalTimestamp}), so a group
 * is evaluated at the same phase on every restart and by Prometheus itself. Each rule's samples
 * are appended and committed before the next rule runs, so later rules see earlier results.
 * Series a rule produced last time but not now get a staleness marker.
 */
public final class Group {
  private static final System.Logger LOG = System.getLogger(Group.class.getName());
  static final long STALE_NAN_BITS = 0x7ff0000000000002L;
  static final double STALE_NAN = Double.longBitsToDouble(STALE_NAN_BITS);

  private final String name;
  private final String file;
  private final long intervalMs;
  private final Long queryOffsetMs;
  private final int limit;
  private final List<Rule> rules;
  private final RuleManagerOptions opts;
  private final RuleMetrics.GroupMetrics metrics;
  private final RuleMetrics ruleMetrics;
  private final String externalUrl;
  private final java.util.function.LongSupplier defaultQueryOffset;

  // Evaluation state, touched only under evalLock.
  private final List<Set<Labels>> seriesInPreviousEval;
  private List<Labels> staleSeries = new ArrayList<>();
  private boolean shouldRestore;
  private long lastTickTs = Long.MIN_VALUE;
  private long firstEvalTs;
  private int iterations;

  private final ReentrantLock evalLock = new ReentrantLock();
  private volatile boolean stopped;
  private ScheduledFuture<?> future;

  private volatile long evaluationTimeNanos;
  private volatile Instant lastEvaluation;
  private volatile long lastEvalTimestampMs = Long.MIN_VALUE;

  Group(String name, String file, long intervalMs, Long queryOffsetMs, int limit,
      List<Rule> rules, boolean shouldRestore, RuleManagerOptions opts, RuleMetrics ruleMetrics,
      String externalUrl, java.util.function.LongSupplier defaultQueryOffset) {
    this.defaultQueryOffset = defaultQueryOffset;
    this.name = name;
    this.file = file;
    this.intervalMs = intervalMs;
    this.queryOffsetMs = queryOffsetMs;
    this.limit = limit;
    this.rules = List.copyOf(rules);
    this.shouldRestore = shouldRestore;
    this.opts = opts;
    this.ruleMetrics = ruleMetrics;
    this.externalUrl = externalUrl == null ? "" : externalUrl;
    this.metrics = ruleMetrics.group(key());
    this.seriesInPreviousEval = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      seriesInPreviousEval.add(new HashSet<>());
    }
    metrics.rules.set(rules.size());
    metrics.interval.set(intervalMs / 1000.0);
  }

  /** Prometheus's GroupKey: group names are unique per file only. */
  public static String groupKey(String file, String name) {
    return file + ";" + name;
  }

  public String key() {
    return groupKey(file, name);
  }

  public String name() {
    return name;
  }

  public String file() {
    return file;
  }

  public long intervalMs() {
    return intervalMs;
  }

  public int limit() {
    return limit;
  }

  public List<Rule> rules() {
    return rules;
  }

  /** The effective query offset: the group's, else the manager default. */
  public long queryOffsetMs() {
    return queryOffsetMs != null ? queryOffsetMs : defaultQueryOffset.getAsLong();
  }

  /** Wall-clock start of the last evaluation, or null. */
  public Instant lastEvaluation() {
    return lastEvaluation;
  }

  public double evaluationSeconds() {
    return evaluationTimeNanos / 1e9;
  }

  /** The evaluation timestamp of the last iteration (ms), or Long.MIN_VALUE. */
  public long lastEvalTimestampMs() {
    return lastEvalTimestampMs;
  }

  /** Prometheus's Group.hash(): labels {file, name} hashed with xxhash. */
  long hash() {
    return XxHash64.labelsHash("file", file, "name", name);
  }

  /**
   * The most recent slotted evaluation time at or before {@code nowMs} (Group.EvalTimestamp):
   * {@code offset = hash % interval} (in nanoseconds, as Prometheus computes it), and evaluation
   * times are {@code k * interval + offset}.
   */
  public long evalTimestamp(long nowMs) {
    long intervalNs = intervalMs * 1_000_000L;
    long offsetNs = Long.remainderUnsigned(hash(), intervalNs);
    long nowNs = nowMs * 1_000_000L;
    long adj = nowNs - offsetNs;
    long base = adj - Math.floorMod(adj, intervalNs);
    return Math.floorDiv(base + offsetNs, 1_000_000L);
  }

  /** Whether {@code o} has the same definition (Group.Equals): then a reload keeps this group. */
  boolean sameDefinition(Group o) {
    if (!name.equals(o.name) || !file.equals(o.file) || intervalMs != o.intervalMs
        || limit != o.limit || !Objects.equals(queryOffsetMs, o.queryOffsetMs)
        || rules.size() != o.rules.size()) {
      return false;
    }
    for (int i = 0; i < rules.size(); i++) {
      if (!rules.get(i).definition().equals(o.rules.get(i).definition())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Carries alert and staleness state over from the group this one replaces (Group.CopyState):
   * rules are matched by name and labels, duplicates in order; series of rules that no longer
   * exist become stale at the next evaluation.
   */
  void copyState(Group from) {
    from.evalLock.lock();
    try {
      evaluationTimeNanos = from.evaluationTimeNanos;
      lastEvaluation = from.lastEvaluation;
      Map<String, List<Integer>> ruleMap = new HashMap<>();
      for (int fi = 0; fi < from.rules.size(); fi++) {
        ruleMap.computeIfAbsent(from.rules.get(fi).nameAndLabels(), k -> new ArrayList<>())
            .add(fi);
      }
      for (int i = 0; i < rules.size(); i++) {
        Rule rule = rules.get(i);
        List<Integer> indexes = ruleMap.get(rule.nameAndLabels());
        if (indexes == null || indexes.isEmpty()) {
          continue;
        }
        int fi = indexes.remove(0);
        seriesInPreviousEval.set(i, new HashSet<>(from.seriesInPreviousEval.get(fi)));
        if (rule instanceof AlertingRule ar && from.rules.get(fi) instanceof AlertingRule far) {
          ar.copyActiveFrom(far);
        }
      }
      staleSeries = new ArrayList<>(from.staleSeries);
      for (List<Integer> unmatched : ruleMap.values()) {
        for (int fi : unmatched) {
          staleSeries.addAll(from.seriesInPreviousEval.get(fi));
        }
      }
    } finally {
      from.evalLock.unlock();
    }
  }

  // ---- scheduling ----

  /** Starts periodic evaluation at the group's slotted timestamps. */
  void start(ScheduledExecutorService exec) {
    long now = opts.clock().getAsLong();
    firstEvalTs = evalTimestamp(now) + intervalMs;
    future = exec.scheduleAtFixedRate(this::tick, Math.max(0, firstEvalTs - now), intervalMs,
        TimeUnit.MILLISECONDS);
  }

  private void tick() {
    evalLock.lock();
    try {
      if (stopped) {
        return;
      }
      long ts;
      if (lastTickTs == Long.MIN_VALUE) {
        ts = firstEvalTs;
      } else {
        long now = opts.clock().getAsLong();
        long missed = (now - lastTickTs) / intervalMs - 1;
        if (missed > 0) {
          metrics.iterationsMissed.increment(missed);
          metrics.iterationsScheduled.increment(missed);
        } else {
          missed = 0;
        }
        ts = lastTickTs + (missed + 1) * intervalMs;
      }
      lastTickTs = ts;
      iterate(ts);
      iterations++;
      if (shouldRestore && iterations >= 2) {
        // Like Prometheus: restore after the second evaluation, so recording rules the alerts
        // depend on have run once with fresh data.
        long start = System.nanoTime();
        restoreForState(opts.clock().getAsLong());
        metrics.lastRestoreDuration.set((System.nanoTime() - start) / 1e9);
        shouldRestore = false;
      }
    } catch (Throwable t) {
      LOG.log(System.Logger.Level.ERROR, "rule group " + key() + " iteration failed", t);
    } finally {
      evalLock.unlock();
    }
  }

  /** Stops evaluation and waits for a running iteration to finish. */
  void stop() {
    stopped = true;
    if (future != null) {
      future.cancel(false);
    }
    evalLock.lock();
    evalLock.unlock();
  }

  boolean isStopped() {
    return stopped;
  }

  /** One iteration (DefaultEvalIterationFunc): evaluate and update group bookkeeping. */
  void iterate(long ts) {
    metrics.iterationsScheduled.increment();
    Instant start = Instant.now();
    long t0 = System.nanoTime();
    eval(ts);
    long dur = System.nanoTime() - t0;
    ruleMetrics.iterationDuration.record(dur / 1e9);
    evaluationTimeNanos = dur;
    metrics.lastDuration.set(dur / 1e9);
    lastEvaluation = start;
    metrics.lastEvalTime.set(start.toEpochMilli() / 1000.0);
    lastEvalTimestampMs = ts;
  }

  /**
   * Evaluates every rule at {@code ts} (epoch ms) in order. Public for tests and tools that
   * drive evaluation with their own clock; scheduled groups call it from their own thread.
   */
  public void eval(long ts) {
    evalLock.lock();
    try {
      // The query log names the group its queries come from.
      dev.tsdb.rules.querylog.QueryOrigin.inRuleGroup(file, name, () -> evalLocked(ts));
    } finally {
      evalLock.unlock();
    }
  }

  private void evalLocked(long ts) {
    long queryOffset = queryOffsetMs();
    double samplesTotal = 0;
    for (int i = 0; i < rules.size(); i++) {
      if (stopped) {
        return;
      }
      Rule rule = rules.get(i);
      Instant start = Instant.now();
      long t0 = System.nanoTime();
      metrics.evalTotal.increment();
      try {
        List<Sample> vector;
        try {
          vector = rule.eval(ts, queryOffset, opts.queryFunction(), limit);
        } catch (Exception e) {
          rule.setHealth(RuleHealth.BAD, message(e));
          metrics.evalFailures.increment();
          LOG.log(System.Logger.Level.WARNING, "Evaluating rule failed: rule=" + rule.name()
              + " group=" + key() + " err=" + message(e));
          continue;
        }
        rule.setHealth(RuleHealth.GOOD, null);
        samplesTotal += vector.size();
        if (rule instanceof AlertingRule ar) {
          sendAlerts(ar, ts);
        }
        appendResults(i, rule, vector, ts - queryOffset);
      } finally {
        long dur = System.nanoTime() - t0;
        ruleMetrics.evalDuration.record(dur / 1e9);
        rule.setEvaluated(start, dur);
      }
    }
    metrics.samples.set(samplesTotal);
    cleanupStaleSeries(ts);
  }

  private static String message(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  private void appendResults(int i, Rule rule, List<Sample> vector, long staleTs) {
    Appender app = opts.appendable().appender();
    Set<Labels> returned = new HashSet<>();
    int rejected = 0;
    for (Sample s : vector) {
      try {
        if (s.isHistogram()) {
          app.appendHistogram(0, s.metric(), s.timestampMs(), null, s.histogram());
        } else {
          app.append(0, s.metric(), s.timestampMs(), s.value());
        }
        returned.add(s.metric());
      } catch (SampleRejectedException e) {
        rule.setHealth(RuleHealth.BAD, message(e));
        rejected++;
      }
    }
    if (rejected > 0) {
      LOG.log(System.Logger.Level.WARNING, "Rule evaluation result discarded: rule="
          + rule.name() + " num_dropped=" + rejected);
    }
    for (Labels l : seriesInPreviousEval.get(i)) {
      if (!returned.contains(l)) {
        try {
          app.append(0, l, staleTs, STALE_NAN);
        } catch (SampleRejectedException e) {
          // Expected when another rule now produces the series.
        }
      }
    }
    try {
      app.commit();
      seriesInPreviousEval.set(i, returned);
    } catch (Exception e) {
      rule.setHealth(RuleHealth.BAD, message(e));
      metrics.evalFailures.increment();
      LOG.log(System.Logger.Level.WARNING, "Rule sample appending failed: " + message(e));
    }
  }

  private void sendAlerts(AlertingRule ar, long ts) {
    List<Alert> alerts = ar.alertsToSend(ts, opts.resendDelayMs(), intervalMs);
    if (alerts.isEmpty() || opts.sender() == null) {
      return;
    }
    String generatorUrl = externalUrl + PromTemplateFuncs.tableLink(ar.query());
    List<NotifierAlert> out = new ArrayList<>(alerts.size());
    for (Alert a : alerts) {
      long endsAt = a.resolvedAtMs != Alert.UNSET ? a.resolvedAtMs : a.validUntilMs;
      long startsAt = a.firedAtMs != Alert.UNSET ? a.firedAtMs : a.activeAtMs;
      out.add(new NotifierAlert(a.labels, a.annotations, startsAt, endsAt, generatorUrl));
    }
    opts.sender().send(out);
  }

  /** Writes staleness markers for series of rules that no longer exist. */
  void cleanupStaleSeries(long ts) {
    if (staleSeries.isEmpty()) {
      return;
    }
    Appender app = opts.appendable().appender();
    long t = ts - queryOffsetMs();
    for (Labels l : staleSeries) {
      try {
        app.append(0, l, t, STALE_NAN);
      } catch (SampleRejectedException e) {
        // Expected if the series is now produced by another rule.
      }
    }
    try {
      app.commit();
      staleSeries = new ArrayList<>();
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "Stale sample appending failed: " + message(e));
    }
  }

  /** On removal: every series this group produced becomes stale at {@code ts}. */
  void markAllStale(long ts) {
    evalLock.lock();
    try {
      for (Set<Labels> s : seriesInPreviousEval) {
        staleSeries.addAll(s);
      }
      seriesInPreviousEval.replaceAll(s -> new HashSet<>());
      cleanupStaleSeries(ts);
    } finally {
      evalLock.unlock();
    }
  }

  /**
   * Restores alerts' active-since times from ALERTS_FOR_STATE (Group.RestoreForState), so a
   * restart does not reset {@code for}: the pending time already spent before the outage counts
   * (shifted by the outage length), but an alert never fires sooner than the grace period after
   * the restart. Alerts inactive for longer than the outage tolerance start afresh.
   */
  void restoreForState(long tsMs) {
    long mint = tsMs - opts.outageToleranceMs();
    Querier q;
    try {
      q = opts.queryable().querier(mint, tsMs);
    } catch (Exception e) {
      LOG.log(System.Logger.Level.ERROR, "Failed to get Querier: " + message(e));
      return;
    }
    try {
      for (Rule rule : rules) {
        if (!(rule instanceof AlertingRule ar)) {
          continue;
        }
        long hold = ar.holdMs();
        if (hold < opts.forGracePeriodMs()) {
          ar.setRestored(true);
          continue;
        }
        Map<Labels, Series> seriesByLabels = new HashMap<>();
        SeriesSet ss = q.select(false, null, ar.forStateMatchers());
        while (ss.next()) {
          Series s = ss.at();
          seriesByLabels.put(s.labels().without(Labels.METRIC_NAME), s);
        }
        if (ss.error() != null) {
          LOG.log(System.Logger.Level.ERROR, "Failed to restore 'for' state: "
              + message(ss.error()));
          ar.setRestored(true);
          continue;
        }
        if (seriesByLabels.isEmpty()) {
          ar.setRestored(true);
          continue;
        }
        ar.forEachActive(a -> {
          Series s = seriesByLabels.get(a.labels);
          if (s == null) {
            return;
          }
          long t = Long.MIN_VALUE;
          double v = 0;
          SampleIterator it = s.iterator(null);
          while (it.next() == ValueType.FLOAT) {
            t = it.t();
            v = it.v();
          }
          if (t == Long.MIN_VALUE || Double.doubleToRawLongBits(v) == STALE_NAN_BITS) {
            return;
          }
          long downAt = Math.floorDiv(t, 1000) * 1000; // time.Unix(t/1000, 0)
          long restoredActiveAt = (long) v * 1000;
          long timeSpentPending = downAt - restoredActiveAt;
          long timeRemainingPending = hold - timeSpentPending;
          if (timeRemainingPending <= 0) {
            // It was firing when we went down; the next evaluation decides again.
            return;
          } else if (timeRemainingPending < opts.forGracePeriodMs()) {
            restoredActiveAt = tsMs + opts.forGracePeriodMs() - hold;
          } else {
            restoredActiveAt = restoredActiveAt + (tsMs - downAt);
          }
          a.activeAtMs = restoredActiveAt;
        });
        ar.setRestored(true);
      }
    } finally {
      q.close();
    }
  }
}
