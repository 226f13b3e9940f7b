package dev.tsdb.rules.config;

import dev.tsdb.index.labels.Labels;

/**
 * The rule-related part of {@code global:}.
 *
 * @param evaluationIntervalMs {@code evaluation_interval} (default 1m)
 * @param externalLabels {@code external_labels}
 * @param ruleQueryOffsetMs {@code rule_query_offset} (default 0)
 */
public record GlobalConfig(long evaluationIntervalMs, Labels externalLabels,
    long ruleQueryOffsetMs) {
  public static final GlobalConfig DEFAULT = new GlobalConfig(60_000L, Labels.EMPTY, 0);
}
