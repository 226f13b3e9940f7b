package dev.tsdb.server.web;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test certificates made on the fly: a CA, and leaf certificates it signs, written as PEM. */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A certificate, its key, and the issuer's certificate and key. */
  record Issued(X509Certificate cert, KeyPair keys) {
    String certPem() {
      return pem(cert);
    }

    /** PKCS#8 ("PRIVATE KEY"). */
    String keyPem() {
      try {
        return pem(new JcaPKCS8Generator(keys.getPrivate(), null));
      } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The algorithm's traditional form: PKCS#1 for RSA, SEC 1 for EC. */
    String traditionalKeyPem() throws Exception {
      if (!(keys.getPrivate() instanceof java.security.interfaces.ECPrivateKey ec)) {
        return pem(keys.getPrivate());
      }
      // SEC 1 with the named curve inside, as OpenSSL writes it (BouncyCastle's writer leaves
      // the curve out, which Go refuses).
      org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
          256, ec.getS(), new org.bouncycastle.asn1.DERBitString(
              org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(
                  keys.getPublic().getEncoded()).getPublicKeyData().getBytes()),
          org.bouncycastle.asn1.x9.X9ObjectIdentifiers.prime256v1);
      return pem(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY",
          sec1.getEncoded()));
    }

    void write(Path cert, Path key) throws Exception {
      Files.writeString(cert, certPem());
      Files.writeString(key, keyPem());
    }

    /** A PKCS#12 key store with this key and certificate, for Java clients. */
    KeyStore keyStore() throws Exception {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("key", keys.getPrivate(), new char[0], new X509Certificate[] {cert});
      return ks;
    }
  }

  static KeyPair keys(String algorithm) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
    g.initialize(algorithm.equals("RSA") ? 2048 : 256);
    return g.generateKeyPair();
  }

  static Issued ca(String name) throws Exception {
    KeyPair k = keys("EC");
    return new Issued(build(name, k, name, k, true, new GeneralName[0]), k);
  }

  /** A leaf signed by {@code ca}; SANs are DNS names, or IP addresses when they look like one. */
  static Issued leaf(Issued ca, String name, String algorithm, String... sans) throws Exception {
    KeyPair k = keys(algorithm);
    GeneralName[] names = new GeneralName[sans.length];
    for (int i = 0; i < sans.length; i++) {
      boolean ip = sans[i].matches("[0-9.]+") || sans[i].contains(":");
      names[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, sans[i]);
    }
    return new Issued(build(name, k, ca.cert().getSubjectX500Principal().getName(),
        ca.keys(), false, names), k);
  }

  private static X509Certificate build(String subject, KeyPair subjectKeys, String issuer,
      KeyPair issuerKeys, boolean ca, GeneralName[] sans) throws Exception {
    long now = System.currentTimeMillis();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
        new X500Name(issuer.startsWith("CN=") ? issuer : "CN=" + issuer),
        BigInteger.valueOf(SERIAL.incrementAndGet()), new Date(now - 3_600_000),
        new Date(now + 86_400_000), new X500Name("CN=" + subject), subjectKeys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (sans.length > 0) {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
    }
    String sig = issuerKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA"
        : "SHA256withECDSA";
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder(sig).build(issuerKeys.getPrivate())));
  }

  static String pem(Object o) {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(o);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return w.toString();
  }
}
