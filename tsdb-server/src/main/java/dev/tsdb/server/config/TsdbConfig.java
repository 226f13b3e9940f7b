package dev.tsdb.server.config;

import dev.tsdb.rules.config.AlertingConfig;
import dev.tsdb.rules.config.GlobalConfig;
import dev.tsdb.rules.config.RulesConfig;
import java.util.List;
import java.util.Map;

/**
 * The parts of prometheus.yml this server uses, plus the raw document (for
 * /api/v1/status/config) and the top-level sections it ignored.
 *
 * @param rules global.evaluation_interval/external_labels/rule_query_offset, rule_files and
 *     alerting, as the rules module's loader reads them
 */
public record TsdbConfig(Global global, Map<String, Object> raw, List<String> ignoredSections,
    String yaml, RulesConfig rules) {

  /** The global section: intervals in milliseconds, external labels. */
  public record Global(long scrapeIntervalMs, long scrapeTimeoutMs, long evaluationIntervalMs,
      Map<String, String> externalLabels, long ruleQueryOffsetMs) {
    public static final Global DEFAULT = new Global(60_000, 10_000, 60_000, Map.of(), 0);
  }

  /** No rule files, no Alertmanagers. */
  static final RulesConfig NO_RULES = new RulesConfig(GlobalConfig.DEFAULT, List.of(),
      AlertingConfig.NONE, null);

  public static TsdbConfig empty() {
    return new TsdbConfig(Global.DEFAULT, Map.of(), List.of(), ConfigLoader.render(Global.DEFAULT,
        Map.of()), NO_RULES);
  }
}
