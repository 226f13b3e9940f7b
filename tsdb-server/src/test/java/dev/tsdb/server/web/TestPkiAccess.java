package dev.tsdb.server.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

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

  /** New server certificate and key from the same CA. */
  public static void rotateServer(Path dir, Material m) throws Exception {
    TestPki.leaf(m.caIssued(), "server-rotated", "EC", "localhost", "127.0.0.1")
        .write(dir.resolve("server.crt"), dir.resolve("server.key"));
  }
}
