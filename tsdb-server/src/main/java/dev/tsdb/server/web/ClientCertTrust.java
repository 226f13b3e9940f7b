package dev.tsdb.server.web;

import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/** The client-certificate checks a server makes beyond the JDK's CA verification. */
final class ClientCertTrust {
  private ClientCertTrust() {}

  /** Server side only: this trust manager never checks servers. */
  private abstract static class ServerSide extends X509ExtendedTrustManager {
    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("not a client trust manager");
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType, Socket s)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket s)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }
  }

  /** RequestClientCert and RequireAnyClientCert: any certificate is taken unverified. */
  static final class AcceptAny extends ServerSide {
    private final X509Certificate[] issuers;

    AcceptAny(X509Certificate[] issuers) {
      this.issuers = issuers.clone();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return issuers.clone();
    }
  }

  /** Verification against a client CA file without any certificate in it: nothing passes. */
  static final class RejectAll extends ServerSide {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("x509: certificate signed by unknown authority");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /**
   * client_allowed_sans: after the configured verification, the client's own certificate must
   * carry one of the allowed DNS names, e-mail addresses, IP addresses or URIs.
   */
  static final class AllowedSans extends ServerSide {
    private final X509ExtendedTrustManager verified;
    private final List<String> allowed;

    AllowedSans(X509ExtendedTrustManager verified, List<String> allowed) {
      this.verified = verified;
      this.allowed = List.copyOf(allowed);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      verified.checkClientTrusted(chain, authType);
      if (chain == null || chain.length == 0) {
        throw new CertificateException(
            "client did not present a certificate to match against client_allowed_sans");
      }
      for (String san : sans(chain[0])) {
        if (allowed.contains(san)) {
          return;
        }
      }
      throw new CertificateException("could not find allowed SANs in client cert, found: "
          + allowed);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return verified.getAcceptedIssuers();
    }
  }

  /** The SAN values Go compares: DNS names, e-mails, IPs in Go's text form, and URIs. */
  static List<String> sans(X509Certificate cert) throws CertificateParsingException {
    List<String> out = new ArrayList<>();
    Collection<List<?>> names = cert.getSubjectAlternativeNames();
    if (names == null) {
      return out;
    }
    for (List<?> n : names) {
      int type = (Integer) n.get(0);
      if (type == 1 || type == 2 || type == 6) {
        out.add(String.valueOf(n.get(1)));
      } else if (type == 7) {
        out.add(ipText(String.valueOf(n.get(1))));
      }
    }
    return out;
  }

  /** Go's net.IP.String(): IPv6 addresses in their shortest RFC 5952 form. */
  static String ipText(String javaText) {
    if (!javaText.contains(":")) {
      return javaText;
    }
    byte[] a;
    try {
      a = InetAddress.getByName(javaText).getAddress();
    } catch (UnknownHostException e) {
      return javaText;
    }
    if (a.length == 4) {
      return javaText;
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1; // a single zero group is not shortened
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }
}
