package dev.tsdb.rules.config;

/**
 * {@code tls_config}: PEM files (paths resolved against the config file's directory) or the same
 * PEM inline ({@code ca}, {@code cert}, {@code key}; at most one of each pair), SNI name and
 * whether to skip server certificate verification.
 */
public record TlsConfig(String caFile, String certFile, String keyFile, String serverName,
    boolean insecureSkipVerify, String ca, String cert, String key) {
  public static final TlsConfig NONE = new TlsConfig(null, null, null, null, false);

  /** PEM from files only. */
  public TlsConfig(String caFile, String certFile, String keyFile, String serverName,
      boolean insecureSkipVerify) {
    this(caFile, certFile, keyFile, serverName, insecureSkipVerify, null, null, null);
  }

  public boolean hasCa() {
    return caFile != null || ca != null;
  }

  public boolean hasClientCertificate() {
    return certFile != null || cert != null;
  }
}
