package dev.tsdb.server.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** Test certificates for tests outside this package: a CA, a server and a client, as files. */
public final class TestPkiAccess {
  /** What {@link #write} made. */
  public record Material(TestPki.Issued caIssued, TestPki.Issued client) {
    public X509Certificate ca() {
      return caIssued.cert();
    }

    public KeyStore clientKeyStore() throws Exception {
      return client.keyStore();
    }
  }

  private TestPkiAccess() {}

  /** A client certificate from a CA the server does not know, as a key store. */
  public static KeyStore foreignClient() throws Exception {
    return TestPki.leaf(TestPki.ca("other-ca"), "stranger", "EC", "client.example").keyStore();
  }

  /** ca.crt, server.crt/.key (for 127.0.0.1 and localhost), client.crt/.key in {@code dir}. */
  public static Material write(Path dir) throws Exception {
    TestPki.Issued ca = TestPki.ca("test-ca");
    Files.writeString(dir.resolve("ca.crt"), ca.certPem());
    TestPki.leaf(ca, "server", "RSA", "localhost", "127.0.0.1")
        .write(dir.resolve("server.crt"), dir.resolve("server.key"));
    TestPki.Issued client = TestPki.leaf(ca, "client", "EC", "client.example");
    client.write(dir.resolve("client.crt"), dir.resolve("client.key"));
    return new Material(ca, client);
  }

  /**
   * A client TLS context trusting {@code m}'s CA, presenting its client certificate when
   * {@code withCertificate}.
   */
  public static SSLContext clientContext(Material m, boolean withCertificate) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", m.ca());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
    kmf.init(m.clientKeyStore(), new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(withCertificate ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** A bcrypt hash (cost 10, version 2y) of {@code password} for basic_auth_users. */
  public static String bcrypt(String password) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 10);
  }

  /** New server certificate and key from the same CA. */
  public static void rotateServer(Path dir, Material m) throws Exception {
    TestPki.leaf(m.caIssued(), "server-rotated", "EC", "localhost", "127.0.0.1")
        .write(dir.resolve("server.crt"), dir.resolve("server.key"));
  }
}
