package dev.tsdb.rules.metrics;

import java.util.Map;

/** The rule manager's metrics with Prometheus's names and help texts (rules/group.go). */
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

  private static final String[] PER_GROUP = {ITERATIONS_MISSED, ITERATIONS_TOTAL,
      EVALUATIONS_TOTAL, EVALUATION_FAILURES, GROUP_INTERVAL, GROUP_LAST_EVAL_TIME,
      GROUP_LAST_DURATION, GROUP_LAST_RESTORE_DURATION, GROUP_RULES, GROUP_SAMPLES};

  private final MetricsSink sink;
  public final MetricsSink.Summary evalDuration;
  public final MetricsSink.Summary iterationDuration;
  public final MetricsSink.Counter templateExpansions;
  public final MetricsSink.Counter templateFailures;

  public RuleMetrics(MetricsSink sink) {
    this.sink = sink;
    this.evalDuration = sink.summary(EVAL_DURATION, "The duration for a rule to execute.",
        Map.of());
    this.iterationDuration = sink.summary(GROUP_DURATION,
        "The duration of rule group evaluations.", Map.of());
    this.templateExpansions = sink.counter(TEMPLATE_EXPANSIONS,
        "The total number of template text expansions.", Map.of());
    this.templateFailures = sink.counter(TEMPLATE_FAILURES,
        "The total number of template text expansion failures.", Map.of());
  }

  /** Per-group instruments, labelled {@code rule_group="FILE;NAME"}. */
  public final class GroupMetrics {
    public final MetricsSink.Counter iterationsMissed;
    public final MetricsSink.Counter iterationsScheduled;
    public final MetricsSink.Counter evalTotal;
    public final MetricsSink.Counter evalFailures;
    public final MetricsSink.Gauge interval;
    public final MetricsSink.Gauge lastEvalTime;
    public final MetricsSink.Gauge lastDuration;
    public final MetricsSink.Gauge lastRestoreDuration;
    public final MetricsSink.Gauge rules;
    public final MetricsSink.Gauge samples;

    GroupMetrics(Map<String, String> l) {
      iterationsMissed = sink.counter(ITERATIONS_MISSED,
          "The total number of rule group evaluations missed due to slow rule group evaluation.",
          l);
      iterationsScheduled = sink.counter(ITERATIONS_TOTAL,
          "The total number of scheduled rule group evaluations, whether executed or missed.", l);
      evalTotal = sink.counter(EVALUATIONS_TOTAL, "The total number of rule evaluations.", l);
      evalFailures = sink.counter(EVALUATION_FAILURES,
          "The total number of rule evaluation failures.", l);
      interval = sink.gauge(GROUP_INTERVAL, "The interval of a rule group.", l);
      lastEvalTime = sink.gauge(GROUP_LAST_EVAL_TIME,
          "The timestamp of the last rule group evaluation in seconds.", l);
      lastDuration = sink.gauge(GROUP_LAST_DURATION,
          "The duration of the last rule group evaluation.", l);
      lastRestoreDuration = sink.gauge(GROUP_LAST_RESTORE_DURATION,
          "The duration of the last alert rules alerts restoration using the `ALERTS_FOR_STATE` "
              + "series.", l);
      rules = sink.gauge(GROUP_RULES, "The number of rules.", l);
      samples = sink.gauge(GROUP_SAMPLES,
          "The number of samples returned during the last rule group evaluation.", l);
    }
  }

  public GroupMetrics group(String groupKey) {
    return new GroupMetrics(Map.of("rule_group", groupKey));
  }

  public void removeGroup(String groupKey) {
    for (String name : PER_GROUP) {
      sink.remove(name, Map.of("rule_group", groupKey));
    }
  }
}
