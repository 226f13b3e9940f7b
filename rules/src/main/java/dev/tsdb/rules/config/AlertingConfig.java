package dev.tsdb.rules.config;

import dev.tsdb.rules.relabel.RelabelConfig;
import java.util.List;

/** {@code alerting:}: global alert relabelling and the Alertmanagers to notify. */
public record AlertingConfig(List<RelabelConfig> alertRelabelConfigs,
    List<AlertmanagerConfig> alertmanagers) {
  public static final AlertingConfig NONE = new AlertingConfig(List.of(), List.of());

  public AlertingConfig {
    alertRelabelConfigs = List.copyOf(alertRelabelConfigs);
    alertmanagers = List.copyOf(alertmanagers);
  }
}
