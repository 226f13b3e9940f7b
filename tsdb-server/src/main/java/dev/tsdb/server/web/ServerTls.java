package dev.tsdb.server.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The server side of TLS for one reading of tls_server_config: the certificate and key read now
 * from their files (or inline text), the client-certificate policy and the protocol settings.
 * Built the way exporter-toolkit builds its tls.Config, with its checks and messages.
 */
final class ServerTls {
  private final SSLContext context;
  private final SSLParameters parameters;

  private ServerTls(SSLContext context, SSLParameters parameters) {
    this.context = context;
    this.parameters = parameters;
  }

  /** A server engine with this configuration's settings. */
  SSLEngine newEngine(String peerHost, int peerPort) {
    SSLEngine e = context.createSSLEngine(peerHost, peerPort);
    e.setUseClientMode(false);
    e.setSSLParameters(parameters);
    return e;
  }

  /**
   * The TLS setup of {@code c}, or null when the file does not ask for TLS.
   *
   * @throws WebConfigException with exporter-toolkit's message when it is incomplete or invalid
   */
  static ServerTls of(WebConfig.Tls c) throws WebConfigException {
    if (!c.enabled()) {
      return null;
    }
    if (c.certFile().isEmpty() && c.cert().isEmpty()) {
      throw new WebConfigException("missing one of cert or cert_file");
    }
    if (c.keyFile().isEmpty() && c.key().isEmpty()) {
      throw new WebConfigException("missing one of key or key_file");
    }
    PemMaterial.KeyPair pair = PemMaterial.keyPair(
        material(c.certFile(), c.cert(), "cert_file"), material(c.keyFile(), c.key(), "key_file"));
    List<X509Certificate> cas = null;
    if (!c.clientCaFile().isEmpty()) {
      try {
        cas = PemMaterial.caCertificates(GoFileRead.read(c.clientCaFile()));
      } catch (IOException e) {
        throw new WebConfigException(e.getMessage(), e);
      }
    } else if (!c.clientCa().isEmpty()) {
      cas = PemMaterial.caCertificates(c.clientCa().getBytes(StandardCharsets.UTF_8));
    }
    ClientAuth auth = ClientAuth.of(c.clientAuthType());
    if (cas != null && auth == ClientAuth.NONE) {
      throw new WebConfigException(
          "client CA's have been configured without a Client Auth Policy");
    }
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keyManagers(pair), new TrustManager[] {trustManager(auth, cas,
          c.clientAllowedSans())}, null);
      return new ServerTls(ctx, parameters(c, auth, ctx));
    } catch (GeneralSecurityException e) {
      throw new WebConfigException("TLS setup failed: " + e.getMessage(), e);
    }
  }

  private static byte[] material(String file, String inline, String field)
      throws WebConfigException {
    if (file.isEmpty()) {
      return inline.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return GoFileRead.read(file);
    } catch (IOException e) {
      throw new WebConfigException("failed to read " + field + " (" + file + "): "
          + e.getMessage(), e);
    }
  }

  private static javax.net.ssl.KeyManager[] keyManagers(PemMaterial.KeyPair pair)
      throws GeneralSecurityException {
    char[] password = new char[0];
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try {
      ks.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    ks.setKeyEntry("server", pair.key(), password, pair.chain());
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
    kmf.init(ks, password);
    return kmf.getKeyManagers();
  }

  /**
   * The check of client certificates: none, any certificate, or one signed by the client CAs
   * (the system's CAs when none are given, as in Go); then the allowed SANs when configured.
   */
  private static X509ExtendedTrustManager trustManager(ClientAuth auth,
      List<X509Certificate> cas, List<String> allowedSans) throws GeneralSecurityException {
    X509Certificate[] issuers = cas == null ? new X509Certificate[0]
        : cas.toArray(new X509Certificate[0]);
    X509ExtendedTrustManager tm;
    if (!auth.verifies()) {
      tm = new ClientCertTrust.AcceptAny(issuers);
    } else if (cas != null && cas.isEmpty()) {
      tm = new ClientCertTrust.RejectAll();
    } else {
      KeyStore ks = null;
      if (cas != null) {
        ks = KeyStore.getInstance("PKCS12");
        try {
          ks.load(null, null);
        } catch (IOException e) {
          throw new GeneralSecurityException(e);
        }
        for (int i = 0; i < cas.size(); i++) {
          ks.setCertificateEntry("ca" + i, cas.get(i));
        }
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(
          TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      tm = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
    }
    return allowedSans == null ? tm : new ClientCertTrust.AllowedSans(tm, allowedSans);
  }

  private static SSLParameters parameters(WebConfig.Tls c, ClientAuth auth, SSLContext ctx) {
    SSLParameters p = ctx.getDefaultSSLParameters();
    p.setProtocols(TlsNames.protocols(c.minVersion(), c.maxVersion()));
    if (!c.cipherSuites().isEmpty()) {
      // The list restricts TLS 1.2 and below only; Go always offers its TLS 1.3 suites.
      Set<String> suites = new LinkedHashSet<>();
      for (String name : c.cipherSuites()) {
        suites.add(TlsNames.cipherSuite(name));
      }
      suites.addAll(TlsNames.TLS13_SUITES);
      List<String> supported = List.of(ctx.getSupportedSSLParameters().getCipherSuites());
      List<String> enabled = new ArrayList<>();
      for (String s : suites) {
        if (supported.contains(s)) {
          enabled.add(s);
        }
      }
      p.setCipherSuites(enabled.toArray(new String[0]));
    }
    p.setUseCipherSuitesOrder(c.preferServerCipherSuites());
    p.setNeedClientAuth(auth.requires());
    if (!auth.requires()) {
      p.setWantClientAuth(auth != ClientAuth.NONE);
    }
    return p;
  }

  /** client_auth_type's values. */
  enum ClientAuth {
    NONE(false, false), REQUEST(false, false), REQUIRE_ANY(true, false),
    VERIFY_IF_GIVEN(false, true), REQUIRE_AND_VERIFY(true, true);

    private final boolean requires;
    private final boolean verifies;

    ClientAuth(boolean requires, boolean verifies) {
      this.requires = requires;
      this.verifies = verifies;
    }

    boolean requires() {
      return requires;
    }

    boolean verifies() {
      return verifies;
    }

    static ClientAuth of(String name) throws WebConfigException {
      return switch (name) {
        case "", "NoClientCert" -> NONE;
        case "RequestClientCert" -> REQUEST;
        // RequireClientCert is kept by exporter-toolkit for older files.
        case "RequireAnyClientCert", "RequireClientCert" -> REQUIRE_ANY;
        case "VerifyClientCertIfGiven" -> VERIFY_IF_GIVEN;
        case "RequireAndVerifyClientCert" -> REQUIRE_AND_VERIFY;
        default -> throw new WebConfigException("invalid ClientAuth: " + name);
      };
    }
  }
}
