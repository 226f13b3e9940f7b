package dev.tsdb.rules.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded prometheus.yml: one typed section per subsystem (the rule manager reads
 * {@link #global} and {@link #ruleFiles}, the notifier {@link #alerting}, the database
 * {@link #storage}, the OTLP receiver {@link #otlp}, the forwarder {@link #remoteWrite}), the
 * top-level sections that were accepted
 * but ignored, and the effective configuration as YAML for /api/v1/status/config.
 *
 * @param ruleFiles {@code rule_files} patterns, joined to the config file's directory
 * @param ignoredSections non-empty top-level sections Prometheus knows and we do not use
 * @param yaml the effective configuration (global with defaults, other sections as given)
 * @param configDir the directory relative paths were joined to (null: left relative)
 * @param unsupportedSettings settings inside the used sections that are accepted without effect
 *     (e.g. {@code alerting.alertmanagers[].kubernetes_sd_configs}), for the start-up warning
 * @param remoteWrite the {@code remote_write} entries, in file order
 */
public record PrometheusConfig(GlobalConfig global, List<String> ruleFiles,
    AlertingConfig alerting, StorageConfig storage, OtlpConfig otlp, List<String> ignoredSections,
    String yaml, Path configDir, List<String> unsupportedSettings,
    List<RemoteWriteConfig> remoteWrite) {
  public PrometheusConfig {
    remoteWrite = List.copyOf(remoteWrite);
    ruleFiles = List.copyOf(ruleFiles);
    ignoredSections = List.copyOf(ignoredSections);
    unsupportedSettings = List.copyOf(unsupportedSettings);
  }

  /** Without remote_write entries. */
  public PrometheusConfig(GlobalConfig global, List<String> ruleFiles, AlertingConfig alerting,
      StorageConfig storage, OtlpConfig otlp, List<String> ignoredSections, String yaml,
      Path configDir, List<String> unsupportedSettings) {
    this(global, ruleFiles, alerting, storage, otlp, ignoredSections, yaml, configDir,
        unsupportedSettings, List.of());
  }

  /** What an empty file gives: every default, no rules, no Alertmanagers. */
  public static PrometheusConfig defaults() {
    return new PrometheusConfig(GlobalConfig.DEFAULT, List.of(), AlertingConfig.NONE,
        StorageConfig.DEFAULT, OtlpConfig.DEFAULT, List.of(),
        EffectiveConfigYaml.render(GlobalConfig.DEFAULT, null), null, List.of());
  }

  /** The rule files matching {@link #ruleFiles}, in Prometheus's order (see {@link RuleFiles}). */
  public List<String> expandRuleFiles() throws ConfigException {
    return RuleFiles.expand(ruleFiles);
  }
}
