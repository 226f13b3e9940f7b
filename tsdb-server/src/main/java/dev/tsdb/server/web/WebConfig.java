package dev.tsdb.server.web;

import java.util.List;
import java.util.Map;

/**
 * One reading of the web configuration file (--web.config.file), in Prometheus's
 * exporter-toolkit format. File names are already joined to the file's directory.
 *
 * @param users basic_auth_users: user name to bcrypt hash; empty means no authentication
 */
public record WebConfig(Tls tls, Http http, RateLimit rateLimit, Map<String, String> users) {
  /** tls_server_config. */
  public record Tls(String cert, String key, String clientCa, String certFile, String keyFile,
      String clientAuthType, String clientCaFile, List<String> cipherSuites,
      List<String> curvePreferences, String minVersion, String maxVersion,
      boolean preferServerCipherSuites, List<String> clientAllowedSans) {
    /** The defaults exporter-toolkit starts from before it reads the file. */
    static Tls defaults() {
      return new Tls("", "", "", "", "", "", "", List.of(), List.of(), "TLS12", "TLS13", true,
          null);
    }

    /** Whether any field asks for TLS; otherwise the listener stays plain HTTP. */
    public boolean enabled() {
      return !certFile.isEmpty() || !cert.isEmpty() || !keyFile.isEmpty() || !key.isEmpty()
          || !clientCaFile.isEmpty() || !clientCa.isEmpty() || !clientAuthType.isEmpty();
    }
  }

  /** http_server_config: response headers and whether HTTP/2 is offered (over TLS). */
  public record Http(boolean http2, Map<String, String> headers) {}

  /** rate_limit: a token bucket over all requests; interval 0 means no limit. */
  public record RateLimit(long burst, long intervalNanos) {}

  /** No file: plain HTTP, no authentication, no extra headers. */
  public static WebConfig none() {
    return new WebConfig(Tls.defaults(), new Http(true, Map.of()), new RateLimit(0, 0), Map.of());
  }
}
