package dev.tsdb.rules.config;

/**
 * {@code tls_config}: PEM files (paths resolved against the config file's directory), SNI name
 * and whether to skip server certificate verification.
 */
public record TlsConfig(String caFile, String certFile, String keyFile, String serverName,
    boolean insecureSkipVerify) {
  public static final TlsConfig NONE = new TlsConfig(null, null, null, null, false);
}
