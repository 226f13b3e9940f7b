package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.server.web.TestPkiAccess;
import dev.tsdb.testkit.process.FreePort;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server behind --web.config.file with TLS, a required client certificate and basic auth:
 * Debian's Prometheus 2.42 remote-writes to it with basic_auth and a client certificate; Java
 * clients without credentials, with wrong ones or without a certificate are refused; a rotated
 * certificate and an added user apply without a restart.
 */
class WebConfigIT {
  @TempDir
  Path dir;

  private TestPkiAccess.Material pki;

  private static String bcrypt(String password) {
    byte[] salt = new byte[16];
    new java.security.SecureRandom().nextBytes(salt);
    return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 10);
  }

  private Path writeConfig(String users) throws IOException {
    Path web = dir.resolve("web.yml");
    Files.writeString(web, "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
        + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n"
        + "http_server_config:\n  headers:\n    X-Frame-Options: deny\n"
        + "basic_auth_users:\n" + users);
    return web;
  }

  private HttpClient client(boolean withCertificate) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", pki.ca());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
    kmf.init(withCertificate ? pki.clientKeyStore() : null, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(withCertificate ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).build();
  }

  private static HttpResponse<String> get(HttpClient c, String url, String user, String pass)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    if (user != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          (user + ":" + pass).getBytes(StandardCharsets.UTF_8)));
    }
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void tlsClientCertificatesAndBasicAuth() throws Exception {
    pki = TestPkiAccess.write(dir);
    writeConfig("  alice: '" + bcrypt("secret") + "'\n");
    try (TestServer ts = new TestServer(dir.resolve("tsdb"),
        "--web.config.file=" + dir.resolve("web.yml"))) {
      String base = "https://127.0.0.1:" + ts.server.port();
      HttpClient withCert = client(true);
      for (String path : new String[] {"/metrics", "/-/healthy", "/api/v1/query?query=1",
          "/api/v1/write"}) {
        HttpResponse<String> r = get(withCert, base + path, null, null);
        assertEquals(401, r.statusCode(), path);
        assertEquals("Basic", r.headers().firstValue("WWW-Authenticate").orElse(""), path);
        assertEquals("deny", r.headers().firstValue("X-Frame-Options").orElse(""), path);
        assertEquals(401, get(withCert, base + path, "alice", "wrong").statusCode(), path);
        assertEquals(401, get(withCert, base + path, "bob", "secret").statusCode(), path);
      }
      HttpResponse<String> ok = get(withCert, base + "/-/healthy", "alice", "secret");
      assertEquals(200, ok.statusCode(), ok.body());
      assertEquals("deny", ok.headers().firstValue("X-Frame-Options").orElse(""));
      // No client certificate: the handshake itself is refused.
      HttpClient noCert = client(false);
      assertThrows(IOException.class,
          () -> get(noCert, base + "/-/healthy", "alice", "secret"));
      // Plain HTTP on the TLS port gets nothing useful.
      assertThrows(IOException.class, () -> get(HttpClient.newHttpClient(),
          "http://127.0.0.1:" + ts.server.port() + "/-/healthy", "alice", "secret"));

      // A user added to the file is known at the next request, without a restart.
      writeConfig("  alice: '" + bcrypt("secret") + "'\n  bob: '" + bcrypt("pw") + "'\n");
      assertEquals(200, get(withCert, base + "/-/healthy", "bob", "pw").statusCode());

      // A Prometheus 2.42 sender with basic_auth and a client certificate.
      int promPort = FreePort.pick();
      String config = "global:\n  scrape_interval: 1s\n"
          + "scrape_configs:\n  - job_name: self\n    static_configs:\n"
          + "      - targets: ['127.0.0.1:" + promPort + "']\n"
          + "remote_write:\n  - url: " + base + "/api/v1/write\n"
          + "    basic_auth: {username: alice, password: secret}\n"
          + "    tls_config:\n      ca_file: " + dir.resolve("ca.crt") + "\n"
          + "      cert_file: " + dir.resolve("client.crt") + "\n"
          + "      key_file: " + dir.resolve("client.key") + "\n"
          + "    queue_config: {batch_send_deadline: 1s}\n"
          + "  - url: " + base + "/api/v1/write\n"
          + "    name: wrong-password\n"
          + "    basic_auth: {username: alice, password: nope}\n"
          + "    write_relabel_configs: [{target_label: sender, replacement: wrong}]\n"
          + "    tls_config:\n      ca_file: " + dir.resolve("ca.crt") + "\n"
          + "      cert_file: " + dir.resolve("client.crt") + "\n"
          + "      key_file: " + dir.resolve("client.key") + "\n"
          + "    queue_config: {batch_send_deadline: 1s}\n";
      try (Prometheus prom = Prometheus.in(PrometheusRelease.V2_42, dir.resolve("prom"))
          .config(config).port(promPort).start()) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String names = "";
        while (System.nanoTime() < deadline) {
          names = get(withCert, base + "/api/v1/label/__name__/values", "alice", "secret")
              .body();
          if (names.contains("\"prometheus_build_info\"")) {
            break;
          }
          Thread.sleep(250);
        }
        assertTrue(names.contains("\"prometheus_build_info\""), names);
        String senders = get(withCert, base + "/api/v1/label/sender/values", "alice",
            "secret").body();
        assertTrue(!senders.contains("wrong"), "a sender with a wrong password got in: "
            + senders);
      }

      // Rotation: new certificate files apply to the next connection.
      X509Certificate before = serverCertificate(base, pki);
      TestPkiAccess.rotateServer(dir, pki);
      X509Certificate after = serverCertificate(base, pki);
      assertTrue(!before.getSerialNumber().equals(after.getSerialNumber()),
          "the rotated certificate is served");
    }
  }

  /** The certificate a new connection is served (a fresh client: no session reuse). */
  private X509Certificate serverCertificate(String base, TestPkiAccess.Material m)
      throws Exception {
    HttpResponse<String> r = get(client(true), base + "/-/healthy", "alice", "secret");
    SSLSession s = r.sslSession().orElseThrow();
    return (X509Certificate) s.getPeerCertificates()[0];
  }
}
