package dev.tsdb.server.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Certificates and private keys in PEM, read as Go's tls.X509KeyPair and
 * x509.CertPool.AppendCertsFromPEM read them: a key may be PKCS#1 (RSA), PKCS#8 (RSA, EC,
 * Ed25519) or SEC 1 (EC) whatever its block says, and the key must belong to the certificate.
 */
final class PemMaterial {
  /** A server certificate chain and its key. */
  record KeyPair(X509Certificate[] chain, PrivateKey key) {}

  private PemMaterial() {}

  static KeyPair keyPair(byte[] certPem, byte[] keyPem) throws WebConfigException {
    List<PemObject> certBlocks = blocks(certPem);
    List<X509Certificate> chain = new ArrayList<>();
    boolean sawKey = false;
    for (PemObject b : certBlocks) {
      if (b.getType().equals("CERTIFICATE")) {
        chain.add(certificate(b.getContent()));
      } else if (b.getType().endsWith("PRIVATE KEY")) {
        sawKey = true;
      }
    }
    if (chain.isEmpty()) {
      throw failed(certBlocks.isEmpty()
          ? "tls: failed to find any PEM data in certificate input"
          : sawKey ? "tls: failed to find certificate PEM data in certificate input, but did"
              + " find a private key; PEM inputs may have been switched"
          : "tls: failed to find \"CERTIFICATE\" PEM block in certificate input");
    }
    List<PemObject> keyBlocks = blocks(keyPem);
    PemObject keyBlock = null;
    for (PemObject b : keyBlocks) {
      if (b.getType().equals("PRIVATE KEY") || b.getType().endsWith(" PRIVATE KEY")) {
        keyBlock = b;
        break;
      }
    }
    if (keyBlock == null) {
      throw failed(keyBlocks.isEmpty() ? "tls: failed to find any PEM data in key input"
          : "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input");
    }
    PrivateKey key = privateKey(keyBlock.getContent());
    if (!key.getAlgorithm().equals(chain.get(0).getPublicKey().getAlgorithm())) {
      throw failed("tls: private key type does not match public key type");
    }
    if (!belongTogether(key, chain.get(0).getPublicKey())) {
      throw failed("tls: private key does not match public key");
    }
    return new KeyPair(chain.toArray(new X509Certificate[0]), key);
  }

  /** The CERTIFICATE blocks that parse; others are skipped, as Go's cert pool does. */
  static List<X509Certificate> caCertificates(byte[] pem) {
    List<X509Certificate> out = new ArrayList<>();
    List<PemObject> blocks;
    try {
      blocks = blocks(pem);
    } catch (WebConfigException e) {
      return out;
    }
    for (PemObject b : blocks) {
      if (b.getType().equals("CERTIFICATE")) {
        try {
          out.add(certificate(b.getContent()));
        } catch (WebConfigException e) {
          // skipped, as AppendCertsFromPEM does
        }
      }
    }
    return out;
  }

  private static WebConfigException failed(String reason) {
    return new WebConfigException("failed to load X509KeyPair: " + reason);
  }

  private static List<PemObject> blocks(byte[] pem) throws WebConfigException {
    List<PemObject> out = new ArrayList<>();
    try (Reader r = new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.UTF_8);
        PemReader pr = new PemReader(r)) {
      for (PemObject o = pr.readPemObject(); o != null; o = pr.readPemObject()) {
        out.add(o);
      }
    } catch (IOException | RuntimeException e) {
      throw failed("invalid PEM data: " + e.getMessage());
    }
    return out;
  }

  private static X509Certificate certificate(byte[] der) throws WebConfigException {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw failed("x509: malformed certificate: " + e.getMessage());
    }
  }

  /** Tries PKCS#1, PKCS#8, then SEC 1, as Go does. */
  private static PrivateKey privateKey(byte[] der) throws WebConfigException {
    PrivateKeyInfo info = null;
    try {
      info = new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption,
          DERNull.INSTANCE), RSAPrivateKey.getInstance(der));
    } catch (IOException | RuntimeException notPkcs1) {
      try {
        info = PrivateKeyInfo.getInstance(der);
      } catch (RuntimeException notPkcs8) {
        try {
          ECPrivateKey ec = ECPrivateKey.getInstance(der);
          info = new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
              ec.getParametersObject()), ec);
        } catch (IOException | RuntimeException notSec1) {
          // none of the three
        }
      }
    }
    if (info == null) {
      throw failed("tls: failed to parse private key");
    }
    try {
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException | RuntimeException e) {
      throw failed("tls: failed to parse private key: " + e.getMessage());
    }
  }

  /** Whether a signature made with the key verifies with the certificate's public key. */
  private static boolean belongTogether(PrivateKey key, PublicKey pub) {
    String alg = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (alg == null) {
      return false;
    }
    try {
      byte[] probe = "tsdb key pair check".getBytes(StandardCharsets.UTF_8);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(pub);
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
