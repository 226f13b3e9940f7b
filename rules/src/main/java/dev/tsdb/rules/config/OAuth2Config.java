package dev.tsdb.rules.config;

import java.util.List;
import java.util.Map;

/**
 * {@code oauth2}: the client_credentials grant of Prometheus's HTTP client settings. A token is
 * fetched from {@code tokenUrl} (through {@code proxyUrl}, with {@code tls} for https) and sent as
 * {@code Authorization: Bearer}. The secret is inline or read from {@code clientSecretFile}
 * (resolved against the config file's directory) whenever a token is fetched.
 *
 * @param scopes sent space-separated as {@code scope}, when not empty
 * @param endpointParams extra form parameters of the token request
 * @param proxyUrl proxy for the token endpoint only, or null
 */
public record OAuth2Config(String clientId, String clientSecret, String clientSecretFile,
    List<String> scopes, String tokenUrl, Map<String, String> endpointParams, TlsConfig tls,
    String proxyUrl) {
  public OAuth2Config {
    scopes = List.copyOf(scopes);
    endpointParams = Map.copyOf(endpointParams);
    tls = tls == null ? TlsConfig.NONE : tls;
  }
}
