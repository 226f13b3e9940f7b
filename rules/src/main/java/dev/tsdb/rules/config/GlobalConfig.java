package dev.tsdb.rules.config;

import dev.tsdb.index.labels.Labels;

/**
 * The {@code global:} settings the server uses; Prometheus's other global settings (scrape
 * limits, protocols, ...) are accepted and have no effect here.
 *
 * @param scrapeIntervalMs {@code scrape_interval} (default 1m)
 * @param scrapeTimeoutMs {@code scrape_timeout} (default 10s, at most the scrape interval)
 * @param evaluationIntervalMs {@code evaluation_interval} (default 1m)
 * @param externalLabels {@code external_labels}
 * @param ruleQueryOffsetMs {@code rule_query_offset} (default 0)
 * @param queryLogFile {@code query_log_file}: where every query is logged as a JSON line
 *     ("" for none), joined to the config's directory
 */
public record GlobalConfig(long scrapeIntervalMs, long scrapeTimeoutMs, long evaluationIntervalMs,
    Labels externalLabels, long ruleQueryOffsetMs, String queryLogFile) {
  public static final GlobalConfig DEFAULT =
      new GlobalConfig(60_000L, 10_000L, 60_000L, Labels.EMPTY, 0, "");

  /** Without a query log. */
  public GlobalConfig(long scrapeIntervalMs, long scrapeTimeoutMs, long evaluationIntervalMs,
      Labels externalLabels, long ruleQueryOffsetMs) {
    this(scrapeIntervalMs, scrapeTimeoutMs, evaluationIntervalMs, externalLabels,
        ruleQueryOffsetMs, "");
  }
}
