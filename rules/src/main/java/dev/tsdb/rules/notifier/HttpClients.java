package dev.tsdb.rules.notifier;

import dev.tsdb.rules.config.AlertmanagerConfig;
import dev.tsdb.rules.config.TlsConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the java.net.http client for an Alertmanager set from its {@code tls_config}: CA
 * bundle ({@code ca_file}, else the JVM's trust store), client certificate ({@code cert_file} +
 * {@code key_file}, PKCS#8 or PKCS#1 RSA PEM), SNI {@code server_name}, and
 * {@code insecure_skip_verify} (no certificate or host name checks).
 */
public final class HttpClients {
  private HttpClients() {}

  static HttpClient build(AlertmanagerConfig cfg) throws IOException, GeneralSecurityException {
    return build(cfg.scheme(), cfg.timeoutMs(), cfg.proxyUrl(), cfg.tls());
  }

  /**
   * An HTTP/1.1 client following redirects, connecting within {@code timeoutMs}, through
   * {@code proxyUrl} when not null, with {@code tls} for https (also used by remote_write).
   */
  public static HttpClient build(String scheme, long timeoutMs, String proxyUrl, TlsConfig tls)
      throws IOException, GeneralSecurityException {
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofMillis(Math.max(1, timeoutMs)));
    if (proxyUrl != null) {
      // proxy_url: every request goes through the HTTP proxy (CONNECT for https targets).
      java.net.URI proxy = java.net.URI.create(proxyUrl);
      int port = proxy.getPort() > 0 ? proxy.getPort()
          : "https".equals(proxy.getScheme()) ? 443 : 80;
      b.proxy(java.net.ProxySelector.of(
          java.net.InetSocketAddress.createUnresolved(proxy.getHost(), port)));
    }
    tls = tls == null ? TlsConfig.NONE : tls;
    if ("https".equals(scheme) || !tls.equals(TlsConfig.NONE)) {
      b.sslContext(sslContext(tls));
      if (tls.serverName() != null && !tls.serverName().isEmpty()) {
        SSLParameters p = new SSLParameters();
        p.setServerNames(List.of(new SNIHostName(tls.serverName())));
        b.sslParameters(p);
      }
    }
    return b.build();
  }

  static SSLContext sslContext(TlsConfig tls) throws IOException, GeneralSecurityException {
    TrustManager[] tms;
    if (tls.insecureSkipVerify()) {
      tms = new TrustManager[] {new TrustAll()};
    } else if (tls.hasCa()) {
      KeyStore ts = KeyStore.getInstance(KeyStore.getDefaultType());
      ts.load(null, null);
      int i = 0;
      for (Certificate c : readCertificates(pem(tls.caFile(), tls.ca()), where(tls.caFile()))) {
        ts.setCertificateEntry("ca" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ts);
      tms = tmf.getTrustManagers();
    } else {
      tms = null; // JVM default trust store
    }
    javax.net.ssl.KeyManager[] kms = null;
    if (tls.hasClientCertificate()) {
      // The config decoder made sure a key comes with the certificate (file or inline).
      List<Certificate> chain = readCertificates(pem(tls.certFile(), tls.cert()),
          where(tls.certFile()));
      PrivateKey key = readPrivateKey(new String(pem(tls.keyFile(), tls.key()),
          StandardCharsets.US_ASCII), where(tls.keyFile()));
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] pw = new char[0];
      ks.setKeyEntry("client", key, pw, chain.toArray(new Certificate[0]));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
      kms = kmf.getKeyManagers();
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kms, tms, null);
    return ctx;
  }

  /** PEM bytes from the file when one is given, else the inline text. */
  private static byte[] pem(String file, String inline) throws IOException {
    return file != null ? Files.readAllBytes(Path.of(file))
        : inline.getBytes(StandardCharsets.US_ASCII);
  }

  /** Where PEM came from, for error messages. */
  private static String where(String file) {
    return file != null ? file : "(inline)";
  }

  static List<Certificate> readCertificates(byte[] pem, String where)
      throws GeneralSecurityException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    Collection<? extends Certificate> certs =
        cf.generateCertificates(new ByteArrayInputStream(pem));
    if (certs.isEmpty()) {
      throw new GeneralSecurityException("no certificates found in " + where);
    }
    return new ArrayList<>(certs);
  }

  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  static PrivateKey readPrivateKey(String text, String pem) throws GeneralSecurityException {
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      switch (type) {
        case "PRIVATE KEY" -> {
          PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
          for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
              return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
              // try the next algorithm
            }
          }
          throw new GeneralSecurityException("unsupported private key in " + pem);
        }
        case "RSA PRIVATE KEY" -> {
          return KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(wrapPkcs1(der)));
        }
        default -> {
          // skip other blocks (e.g. EC PARAMETERS)
        }
      }
    }
    throw new GeneralSecurityException("no supported private key (PKCS#8 or PKCS#1 RSA) in "
        + pem);
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo. */
  private static byte[] wrapPkcs1(byte[] pkcs1) {
    byte[] algId = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
        0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    byte[] version = {0x02, 0x01, 0x00};
    byte[] octet = concat(new byte[] {0x04}, derLength(pkcs1.length), pkcs1);
    byte[] body = concat(version, algId, octet);
    return concat(new byte[] {0x30}, derLength(body.length), body);
  }

  private static byte[] derLength(int len) {
    if (len < 0x80) {
      return new byte[] {(byte) len};
    }
    if (len < 0x100) {
      return new byte[] {(byte) 0x81, (byte) len};
    }
    if (len < 0x10000) {
      return new byte[] {(byte) 0x82, (byte) (len >> 8), (byte) len};
    }
    return new byte[] {(byte) 0x83, (byte) (len >> 16), (byte) (len >> 8), (byte) len};
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }

  /**
   * Accepts every certificate. Being an X509ExtendedTrustManager, it also replaces the JDK's
   * endpoint (host name) identification, which is what insecure_skip_verify means.
   */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
