package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tsdb.server.web.TestPkiAccess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each client_auth_type against a client without a certificate, with one from the configured
 * CA, and with one from an unknown CA: which handshakes succeed, as in Go's tls package.
 */
class ClientAuthModesTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @CsvSource({
      "NoClientCert, true, true, true",
      "RequestClientCert, true, true, true",
      "RequireAnyClientCert, false, true, true",
      "VerifyClientCertIfGiven, true, true, false",
      "RequireAndVerifyClientCert, false, true, false"})
  void handshakes(String mode, boolean none, boolean trusted, boolean foreign) throws Exception {
    TestPkiAccess.Material pki = TestPkiAccess.write(dir);
    Files.writeString(dir.resolve("web.yml"), "tls_server_config:\n  cert_file: server.crt\n"
        + "  key_file: server.key\n  client_auth_type: " + mode + "\n"
        + (mode.equals("NoClientCert") ? "" : "  client_ca_file: ca.crt\n"));
    try (TestServer ts = new TestServer(dir.resolve("tsdb"),
        "--web.config.file=" + dir.resolve("web.yml"))) {
      String url = "https://127.0.0.1:" + ts.server.port() + "/-/healthy";
      assertEquals(none, answers(url, pki, null), "without a certificate");
      assertEquals(trusted, answers(url, pki, pki.clientKeyStore()), "with a trusted one");
      assertEquals(foreign, answers(url, pki, TestPkiAccess.foreignClient()),
          "with an unknown CA's");
    }
  }

  /**
   * Presents the certificate whatever issuers the server names, as Go clients (Prometheus) do;
   * the JDK's own choice would withhold a certificate from an issuer the server did not list.
   */
  private static javax.net.ssl.X509ExtendedKeyManager alwaysPresent(
      javax.net.ssl.X509ExtendedKeyManager km) {
    return new javax.net.ssl.X509ExtendedKeyManager() {
      @Override
      public String chooseEngineClientAlias(String[] t, java.security.Principal[] i,
          javax.net.ssl.SSLEngine e) {
        return "key";
      }

      @Override
      public String chooseClientAlias(String[] t, java.security.Principal[] i,
          java.net.Socket s) {
        return "key";
      }

      @Override
      public String[] getClientAliases(String t, java.security.Principal[] i) {
        return new String[] {"key"};
      }

      @Override
      public String[] getServerAliases(String t, java.security.Principal[] i) {
        return null;
      }

      @Override
      public String chooseServerAlias(String t, java.security.Principal[] i, java.net.Socket s) {
        return null;
      }

      @Override
      public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
        return km.getCertificateChain(alias);
      }

      @Override
      public java.security.PrivateKey getPrivateKey(String alias) {
        return km.getPrivateKey(alias);
      }
    };
  }

  private static boolean answers(String url, TestPkiAccess.Material pki, KeyStore clientKeys)
      throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", pki.ca());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509"); // plain aliases
    kmf.init(clientKeys, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(clientKeys == null ? null : new javax.net.ssl.KeyManager[] {
        alwaysPresent((javax.net.ssl.X509ExtendedKeyManager) kmf.getKeyManagers()[0])},
        tmf.getTrustManagers(), null);
    HttpClient c = HttpClient.newBuilder().sslContext(ctx).build();
    try {
      HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
