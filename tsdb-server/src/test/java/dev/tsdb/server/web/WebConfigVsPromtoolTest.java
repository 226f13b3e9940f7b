package dev.tsdb.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.testkit.reference.PrometheusRelease;
import dev.tsdb.testkit.reference.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `promtool check web-config` of Prometheus 3.5 accepts exactly the web config files we accept,
 * over a table of valid and invalid files (certificates made in the test); where it rejects,
 * our reason is its reason.
 */
class WebConfigVsPromtoolTest {
  private static final String HASH = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";
  private static final String TLS = "tls_server_config:\n  cert_file: server.crt\n"
      + "  key_file: server.key\n";

  @TempDir
  Path dir;

  @Test
  void acceptsWhatPromtoolAccepts() throws Exception {
    TestPki.Issued ca = TestPki.ca("test-ca");
    TestPki.Issued server = TestPki.leaf(ca, "server", "EC", "localhost", "127.0.0.1");
    TestPki.Issued rsa = TestPki.leaf(ca, "rsa", "RSA", "localhost");
    server.write(dir.resolve("server.crt"), dir.resolve("server.key"));
    Files.writeString(dir.resolve("rsa.crt"), rsa.certPem());
    Files.writeString(dir.resolve("rsa1.key"), rsa.traditionalKeyPem());
    Files.writeString(dir.resolve("ec1.key"), server.traditionalKeyPem());
    Files.writeString(dir.resolve("ca.crt"), ca.certPem());
    Files.writeString(dir.resolve("other.key"), TestPki.leaf(ca, "other", "EC").keyPem());

    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("empty", "");
    cases.put("unknown field", "foo: 1\n");
    cases.put("repeated field", "basic_auth_users: {a: '" + HASH + "'}\nbasic_auth_users: {}\n");
    cases.put("users", "basic_auth_users:\n  alice: '" + HASH + "'\n  bob: '"
        + HASH.replace("$2y$", "$2a$") + "'\n");
    cases.put("user without hash", "basic_auth_users: {a: }\n");
    cases.put("short hash", "basic_auth_users: {a: abc}\n");
    cases.put("hash without $", "basic_auth_users: {a: '#" + HASH.substring(1) + "'}\n");
    cases.put("hash version 3", "basic_auth_users: {a: '$3" + HASH.substring(2) + "'}\n");
    cases.put("hash cost 3", "basic_auth_users: {a: '" + HASH.replace("$10$", "$03$") + "'}\n");
    cases.put("hash cost 32", "basic_auth_users: {a: '" + HASH.replace("$10$", "$32$") + "'}\n");
    cases.put("hash cost 1a", "basic_auth_users: {a: '" + HASH.replace("$10$", "$1a$") + "'}\n");
    cases.put("hash 59 chars", "basic_auth_users: {a: '" + HASH.substring(0, 59) + "'}\n");
    cases.put("headers", "http_server_config:\n  headers:\n    X-Frame-Options: deny\n"
        + "    Strict-Transport-Security: max-age=31536000\n"
        + "    Content-Security-Policy: default-src 'self'\n"
        + "    X-Content-Type-Options: nosniff\n    X-XSS-Protection: '1; mode=block'\n");
    cases.put("header value", "http_server_config: {headers: {X-Frame-Options: DENY}}\n");
    cases.put("header name", "http_server_config: {headers: {Foo: a}}\n");
    cases.put("header list", "http_server_config: {headers: {X-XSS-Protection: [a]}}\n");
    cases.put("http2 yes", "http_server_config: {http2: yes}\n");
    cases.put("http2 string", "http_server_config: {http2: \"true\"}\n");
    cases.put("rate limit", "rate_limit: {burst: 10, interval: 1m30s}\n");
    cases.put("rate limit type", "rate_limit: {burst: x}\n");
    cases.put("tls null", "tls_server_config:\n");
    cases.put("tls", TLS);
    cases.put("tls PKCS#1 RSA", "tls_server_config: {cert_file: rsa.crt, key_file: rsa1.key}\n");
    cases.put("tls SEC1 EC", "tls_server_config: {cert_file: server.crt, key_file: ec1.key}\n");
    cases.put("tls key type mismatch", "tls_server_config: {cert_file: rsa.crt, key_file: ec1.key}\n");
    cases.put("tls key mismatch", "tls_server_config: {cert_file: server.crt, key_file: other.key}\n");
    cases.put("tls switched", "tls_server_config: {cert_file: server.key, key_file: server.crt}\n");
    cases.put("tls inline", "tls_server_config:\n  cert: |\n" + indent(server.certPem())
        + "  key: |\n" + indent(server.keyPem()));
    cases.put("tls inline garbage", "tls_server_config: {cert: abc, key: def}\n");
    cases.put("tls no cert", "tls_server_config: {key_file: server.key}\n");
    cases.put("tls no key", "tls_server_config: {cert_file: server.crt}\n");
    cases.put("tls only client auth", "tls_server_config: {client_auth_type: RequestClientCert}\n");
    cases.put("tls missing file", "tls_server_config: {cert_file: nope.crt, key_file: server.key}\n");
    for (String auth : List.of("NoClientCert", "RequestClientCert", "RequireAnyClientCert",
        "RequireClientCert", "VerifyClientCertIfGiven", "RequireAndVerifyClientCert", "Bogus",
        "requireandverifyclientcert")) {
      cases.put("auth " + auth, TLS + "  client_auth_type: " + auth + "\n");
      cases.put("auth+CA " + auth, TLS + "  client_auth_type: " + auth
          + "\n  client_ca_file: ca.crt\n");
    }
    cases.put("CA without policy", TLS + "  client_ca_file: ca.crt\n");
    cases.put("CA file missing", TLS + "  client_ca_file: nope.crt\n"
        + "  client_auth_type: RequireAndVerifyClientCert\n");
    cases.put("CA file without certificates", TLS + "  client_ca_file: server.key\n"
        + "  client_auth_type: RequireAndVerifyClientCert\n");
    cases.put("inline CA", TLS + "  client_auth_type: RequireAndVerifyClientCert\n"
        + "  client_ca: |\n" + indent(ca.certPem()));
    cases.put("SANs", TLS + "  client_auth_type: RequireAndVerifyClientCert\n"
        + "  client_ca_file: ca.crt\n  client_allowed_sans: [client.example]\n");
    cases.put("versions", TLS + "  min_version: TLS13\n  max_version: TLS13\n");
    cases.put("versions reversed", TLS + "  min_version: TLS13\n  max_version: TLS12\n");
    cases.put("version unknown", TLS + "  min_version: TLS14\n");
    cases.put("ciphers", TLS + "  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,"
        + " TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256]\n"
        + "  prefer_server_cipher_suites: false\n");
    cases.put("cipher insecure", TLS + "  cipher_suites: [TLS_RSA_WITH_AES_128_GCM_SHA256]\n");
    cases.put("cipher unknown", TLS + "  cipher_suites: [TLS_FOO]\n");
    cases.put("curves", TLS + "  curve_preferences: [CurveP256, CurveP384, CurveP521, X25519]\n");
    cases.put("curve unknown", TLS + "  curve_preferences: [P256]\n");

    Promtool promtool = Promtool.of(PrometheusRelease.V3_5);
    List<String> mismatches = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Path file = dir.resolve("web" + i++ + ".yml");
      Files.writeString(file, c.getValue());
      String ours = null;
      try {
        WebConfigFile.at(file).validate();
      } catch (WebConfigException e) {
        ours = e.getMessage();
      }
      Promtool.Result theirs = promtool.run(dir, "check", "web-config", file.toString());
      boolean theyAccept = theirs.exit() == 0;
      if (theyAccept != (ours == null)) {
        mismatches.add(c.getKey() + ": promtool " + (theyAccept ? "accepts" : "rejects: "
            + theirs.output().trim()) + "; we " + (ours == null ? "accept" : "reject: " + ours));
      } else if (ours != null && !theirs.output().contains(firstLine(ours))) {
        mismatches.add(c.getKey() + ": reasons differ: promtool " + theirs.output().trim()
            + "; we " + ours);
      }
    }
    assertEquals(List.of(), mismatches);
    assertTrue(cases.size() > 50, "the table covers the fields");
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String indent(String pem) {
    StringBuilder sb = new StringBuilder();
    for (String line : pem.split("\n")) {
      sb.append("    ").append(line).append('\n');
    }
    return sb.toString();
  }
}
