package dev.tsdb.rules.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The parts of prometheus.yml the rule engine and notifier use.
 *
 * @param ruleFiles {@code rule_files} patterns, resolved against the config file's directory
 * @param configDir directory relative paths were resolved against
 */
public record RulesConfig(GlobalConfig global, List<String> ruleFiles, AlertingConfig alerting,
    Path configDir) {
  public RulesConfig {
    ruleFiles = List.copyOf(ruleFiles);
  }

  /** The rule files matching {@link #ruleFiles}, in Prometheus's order (see {@link RuleFiles}). */
  public List<String> expandRuleFiles() throws ConfigException {
    return RuleFiles.expand(ruleFiles);
  }
}
