package dev.tsdb.rules.api;

/** One rule in /api/v1/rules: {@link AlertingRuleSnapshot} or {@link RecordingRuleSnapshot}. */
public sealed interface RuleSnapshot permits AlertingRuleSnapshot, RecordingRuleSnapshot {
  String name();

  /** "alerting" or "recording". */
  String type();

  String health();
}
