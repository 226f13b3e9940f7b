package dev.tsdb.rules;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.rules.template.QueryFunction;
import java.time.Instant;
import java.util.List;

/**
 * A recording or alerting rule with its evaluation bookkeeping (health, last error, when it last
 * ran and how long that took). Evaluation state is written by the group's evaluation thread and
 * read by API threads, hence the volatile fields.
 */
public abstract sealed class Rule permits RecordingRule, AlertingRule {
  private final String name;
  private final String query;
  private final Labels labels;
  private volatile RuleHealth health = RuleHealth.UNKNOWN;
  private volatile String lastError;
  private volatile Instant evaluationTimestamp;
  private volatile long evaluationDurationNanos;

  Rule(String name, String query, Labels labels) {
    this.name = name;
    this.query = query;
    this.labels = labels;
  }

  /** Alert name or recorded metric name. */
  public String name() {
    return name;
  }

  /** The canonical PromQL text evaluated (what the API shows as "query"). */
  public String query() {
    return query;
  }

  /** The rule's labels as configured (merged with group labels; unexpanded for alerts). */
  public Labels labels() {
    return labels;
  }

  public RuleHealth health() {
    return health;
  }

  /** The last evaluation error, or null. */
  public String lastError() {
    return lastError;
  }

  /** Wall-clock start of the last evaluation, or null if never evaluated. */
  public Instant evaluationTimestamp() {
    return evaluationTimestamp;
  }

  public double evaluationSeconds() {
    return evaluationDurationNanos / 1e9;
  }

  void setHealth(RuleHealth h, String error) {
    health = h;
    lastError = error;
  }

  void setEvaluated(Instant start, long durationNanos) {
    evaluationTimestamp = start;
    evaluationDurationNanos = durationNanos;
  }

  void copyEvaluationFrom(Rule other) {
    health = other.health;
    lastError = other.lastError;
    evaluationTimestamp = other.evaluationTimestamp;
    evaluationDurationNanos = other.evaluationDurationNanos;
  }

  /**
   * Evaluates the rule at {@code tsMs} and returns the samples to append.
   *
   * @param queryOffsetMs how far back the expression is evaluated (query_offset)
   * @param limit max series/alerts, 0 for none
   */
  abstract List<Sample> eval(long tsMs, long queryOffsetMs, QueryFunction query, int limit)
      throws Exception;

  /** The rule as configured, for deciding whether a reloaded group changed (Rule.String()). */
  public abstract String definition();

  /** Key used to carry state across reloads: name plus labels. */
  String nameAndLabels() {
    return name + labels;
  }
}
