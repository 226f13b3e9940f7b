package dev.tsdb.rules.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rule manager's metrics with Prometheus's names and help texts (rules/group.go), registered
 * on the Micrometer registry the server hands in (see {@link Meters}).
 */
public final class RuleMetrics {
  public static final String EVAL_DURATION = "prometheus_rule_evaluation_duration_seconds";
  public static final String GROUP_DURATION = "prometheus_rule_group_duration_seconds";
  public static final String ITERATIONS_MISSED = "prometheus_rule_group_iterations_missed_total";
  public static final String ITERATIONS_TOTAL = "prometheus_rule_group_iterations_total";
  public static final String EVALUATIONS_TOTAL = "prometheus_rule_evaluations_total";
  public static final String EVALUATION_FAILURES = "prometheus_rule_evaluation_failures_total";
  public static final String GROUP_INTERVAL = "prometheus_rule_group_interval_seconds";
  public static final String GROUP_LAST_EVAL_TIME =
      "prometheus_rule_group_last_evaluation_timestamp_seconds";
  public static final String GROUP_LAST_DURATION = "prometheus_rule_group_last_duration_seconds";
  public static final String GROUP_LAST_RESTORE_DURATION =
      "prometheus_rule_group_last_restore_duration_seconds";
  public static final String GROUP_RULES = "prometheus_rule_group_rules";
  public static final String GROUP_SAMPLES = "prometheus_rule_group_last_evaluation_samples";
  public static final String TEMPLATE_EXPANSIONS = "prometheus_template_text_expansions_total";
  public static final String TEMPLATE_FAILURES =
      "prometheus_template_text_expansion_failures_total";

  private final MeterRegistry registry;
  /**
   * One set per group key: a group replaced on reload (same file and name) goes on with the
   * same series, as with Prometheus's labelled metric vectors.
   */
  private final Map<String, GroupMetrics> groups = new ConcurrentHashMap<>();
  public final DistributionSummary evalDuration;
  public final DistributionSummary iterationDuration;
  public final Counter templateExpansions;
  public final Counter templateFailures;

  public RuleMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.evalDuration = Meters.summary(registry, EVAL_DURATION,
        "The duration for a rule to execute.", Tags.empty());
    this.iterationDuration = Meters.summary(registry, GROUP_DURATION,
        "The duration of rule group evaluations.", Tags.empty());
    this.templateExpansions = Meters.counter(registry, TEMPLATE_EXPANSIONS,
        "The total number of template text expansions.", Tags.empty());
    this.templateFailures = Meters.counter(registry, TEMPLATE_FAILURES,
        "The total number of template text expansion failures.", Tags.empty());
  }

  /** Per-group instruments, labelled {@code rule_group="FILE;NAME"}. */
  public final class GroupMetrics {
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();
    public final Counter iterationsMissed;
    public final Counter iterationsScheduled;
    public final Counter evalTotal;
    public final Counter evalFailures;
    public final GaugeCell interval = new GaugeCell();
    public final GaugeCell lastEvalTime = new GaugeCell();
    public final GaugeCell lastDuration = new GaugeCell();
    public final GaugeCell lastRestoreDuration = new GaugeCell();
    public final GaugeCell rules = new GaugeCell();
    public final GaugeCell samples = new GaugeCell();

    GroupMetrics(String groupKey) {
      tags = Tags.of("rule_group", groupKey);
      iterationsMissed = counter(ITERATIONS_MISSED,
          "The total number of rule group evaluations missed due to slow rule group evaluation.");
      iterationsScheduled = counter(ITERATIONS_TOTAL,
          "The total number of scheduled rule group evaluations, whether executed or missed.");
      evalTotal = counter(EVALUATIONS_TOTAL, "The total number of rule evaluations.");
      evalFailures = counter(EVALUATION_FAILURES,
          "The total number of rule evaluation failures.");
      gauge(GROUP_INTERVAL, "The interval of a rule group.", interval);
      gauge(GROUP_LAST_EVAL_TIME,
          "The timestamp of the last rule group evaluation in seconds.", lastEvalTime);
      gauge(GROUP_LAST_DURATION, "The duration of the last rule group evaluation.",
          lastDuration);
      gauge(GROUP_LAST_RESTORE_DURATION,
          "The duration of the last alert rules alerts restoration using the `ALERTS_FOR_STATE` "
              + "series.", lastRestoreDuration);
      gauge(GROUP_RULES, "The number of rules.", rules);
      gauge(GROUP_SAMPLES,
          "The number of samples returned during the last rule group evaluation.", samples);
    }

    private Counter counter(String name, String help) {
      Counter c = Meters.counter(registry, name, help, tags);
      meters.add(c);
      return c;
    }

    private void gauge(String name, String help, GaugeCell cell) {
      meters.add(Meters.gauge(registry, name, help, tags, cell));
    }
  }

  public GroupMetrics group(String groupKey) {
    return groups.computeIfAbsent(groupKey, GroupMetrics::new);
  }

  /** Drops the group's series (the group was removed from the configuration). */
  public void removeGroup(String groupKey) {
    GroupMetrics g = groups.remove(groupKey);
    if (g != null) {
      g.meters.forEach(registry::remove);
    }
  }
}
