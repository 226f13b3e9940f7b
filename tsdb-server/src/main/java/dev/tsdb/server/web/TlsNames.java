package dev.tsdb.server.web;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names the web configuration file uses for TLS settings (Go's crypto/tls names) and their
 * Java (JSSE) names.
 */
final class TlsNames {
  /**
   * Go's secure cipher suites (tls.CipherSuites(), which exporter-toolkit accepts), by IANA
   * name; JSSE uses the same names.
   */
  private static final Set<String> CIPHER_SUITES = Set.of(
      "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
  /** TLS 1.3 suites: Go does not let a configuration restrict them, so they stay enabled. */
  static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
  private static final Map<String, String> CURVES = Map.of("CurveP256", "secp256r1",
      "CurveP384", "secp384r1", "CurveP521", "secp521r1", "X25519", "x25519");
  /** Versions in ascending order, with the JSSE protocol names. */
  private static final List<String> VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");
  private static final List<String> PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2",
      "TLSv1.3");

  private TlsNames() {}

  /** The JSSE name of a cipher suite the file may name, or null. */
  static String cipherSuite(String goName) {
    return CIPHER_SUITES.contains(goName) ? goName : null;
  }

  /** The JSSE named group of a curve the file may name, or null. */
  static String namedGroup(String goName) {
    return CURVES.get(goName);
  }

  /** The JSSE protocol of a TLS version the file may name, or null. */
  static String protocol(String goName) {
    int i = VERSIONS.indexOf(goName);
    return i < 0 ? null : PROTOCOLS.get(i);
  }

  /** The JSSE protocols from {@code min} to {@code max}; none when min is above max. */
  static String[] protocols(String min, String max) {
    int from = VERSIONS.indexOf(min);
    int to = VERSIONS.indexOf(max);
    return to < from ? new String[0] : PROTOCOLS.subList(from, to + 1).toArray(new String[0]);
  }
}
