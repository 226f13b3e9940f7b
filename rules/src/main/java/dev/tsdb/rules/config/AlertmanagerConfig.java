package dev.tsdb.rules.config;

import dev.tsdb.rules.relabel.RelabelConfig;
import java.util.List;

/**
 * One {@code alerting.alertmanagers[]} entry. Only {@code static_configs} discovery is supported.
 *
 * @param scheme http or https (default http)
 * @param pathPrefix prefix before /api/v2/alerts (default "/")
 * @param timeoutMs per-request timeout (default 10s)
 * @param apiVersion only "v2"
 * @param relabelConfigs applied to discovered targets (__address__, __scheme__, __alerts_path__)
 * @param alertRelabelConfigs applied to alerts sent to this set only
 */
public record AlertmanagerConfig(String scheme, String pathPrefix, long timeoutMs,
    String apiVersion, BasicAuth basicAuth, Authorization authorization, TlsConfig tls,
    List<StaticConfig> staticConfigs, List<RelabelConfig> relabelConfigs,
    List<RelabelConfig> alertRelabelConfigs) {
  public AlertmanagerConfig {
    staticConfigs = List.copyOf(staticConfigs);
    relabelConfigs = List.copyOf(relabelConfigs);
    alertRelabelConfigs = List.copyOf(alertRelabelConfigs);
  }

  /** A plain http config for the given targets, with defaults elsewhere. */
  public static AlertmanagerConfig staticTargets(List<String> targets) {
    return new AlertmanagerConfig("http", "/", 10_000L, "v2", null, null, TlsConfig.NONE,
        List.of(new StaticConfig(targets, java.util.Map.of())), List.of(), List.of());
  }
}
