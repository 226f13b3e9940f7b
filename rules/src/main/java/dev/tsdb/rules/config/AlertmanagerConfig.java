package dev.tsdb.rules.config;

import dev.tsdb.rules.relabel.RelabelConfig;
import java.util.List;
import java.util.Map;

/**
 * One {@code alerting.alertmanagers[]} entry. Targets come from {@code static_configs},
 * {@code file_sd_configs} and {@code dns_sd_configs}; other discovery mechanisms are accepted
 * and listed in {@link PrometheusConfig#unsupportedSettings}.
 *
 * @param scheme http or https (default http)
 * @param pathPrefix prefix before /api/v2/alerts (default "/")
 * @param timeoutMs per-request timeout (default 10s)
 * @param apiVersion only "v2"
 * @param relabelConfigs applied to discovered targets (__address__, __scheme__, __alerts_path__)
 * @param alertRelabelConfigs applied to alerts sent to this set only
 * @param fileSdConfigs target groups from files
 * @param dnsSdConfigs targets from DNS
 * @param proxyUrl {@code proxy_url}, or null for a direct connection
 * @param httpHeaders {@code http_headers}: header name to the values sent (inline values and
 *     secrets; files are read when the client is set up)
 * @param oauth2 {@code oauth2} (client_credentials), or null
 */
public record AlertmanagerConfig(String scheme, String pathPrefix, long timeoutMs,
    String apiVersion, BasicAuth basicAuth, Authorization authorization, TlsConfig tls,
    List<StaticConfig> staticConfigs, List<RelabelConfig> relabelConfigs,
    List<RelabelConfig> alertRelabelConfigs, List<FileSdConfig> fileSdConfigs,
    List<DnsSdConfig> dnsSdConfigs, String proxyUrl, Map<String, HttpHeader> httpHeaders,
    OAuth2Config oauth2) {
  public AlertmanagerConfig {
    staticConfigs = List.copyOf(staticConfigs);
    relabelConfigs = List.copyOf(relabelConfigs);
    alertRelabelConfigs = List.copyOf(alertRelabelConfigs);
    fileSdConfigs = List.copyOf(fileSdConfigs);
    dnsSdConfigs = List.copyOf(dnsSdConfigs);
    httpHeaders = Map.copyOf(httpHeaders);
  }

  /** Without oauth2. */
  public AlertmanagerConfig(String scheme, String pathPrefix, long timeoutMs, String apiVersion,
      BasicAuth basicAuth, Authorization authorization, TlsConfig tls,
      List<StaticConfig> staticConfigs, List<RelabelConfig> relabelConfigs,
      List<RelabelConfig> alertRelabelConfigs, List<FileSdConfig> fileSdConfigs,
      List<DnsSdConfig> dnsSdConfigs, String proxyUrl, Map<String, HttpHeader> httpHeaders) {
    this(scheme, pathPrefix, timeoutMs, apiVersion, basicAuth, authorization, tls, staticConfigs,
        relabelConfigs, alertRelabelConfigs, fileSdConfigs, dnsSdConfigs, proxyUrl, httpHeaders,
        null);
  }

  /** Static targets only, no proxy, no extra headers. */
  public AlertmanagerConfig(String scheme, String pathPrefix, long timeoutMs, String apiVersion,
      BasicAuth basicAuth, Authorization authorization, TlsConfig tls,
      List<StaticConfig> staticConfigs, List<RelabelConfig> relabelConfigs,
      List<RelabelConfig> alertRelabelConfigs) {
    this(scheme, pathPrefix, timeoutMs, apiVersion, basicAuth, authorization, tls, staticConfigs,
        relabelConfigs, alertRelabelConfigs, List.of(), List.of(), null, Map.of());
  }

  /** A plain http config for the given targets, with defaults elsewhere. */
  public static AlertmanagerConfig staticTargets(List<String> targets) {
    return new AlertmanagerConfig("http", "/", 10_000L, "v2", null, null, TlsConfig.NONE,
        List.of(new StaticConfig(targets, Map.of())), List.of(), List.of());
  }

  /** Whether targets change over time (some discovery besides static_configs). */
  public boolean discovers() {
    return !fileSdConfigs.isEmpty() || !dnsSdConfigs.isEmpty();
  }

  /**
   * One {@code http_headers} entry: {@code values} and {@code secrets} are sent as given,
   * {@code files} (joined to the config's directory) are read at each client set-up.
   */
  public record HttpHeader(List<String> values, List<String> secrets, List<String> files) {
    public HttpHeader {
      values = List.copyOf(values);
      secrets = List.copyOf(secrets);
      files = List.copyOf(files);
    }
  }
}
