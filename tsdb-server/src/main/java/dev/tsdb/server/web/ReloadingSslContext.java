package dev.tsdb.server.web;

import dev.tsdb.server.log.Log;
import java.io.IOException;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The listener's SSLContext. Each new connection gets an engine built from the web config file
 * and certificate files as they are now, as exporter-toolkit reloads them per handshake: a
 * rotated certificate or a new client-auth policy applies to the next connection. When the file
 * or a certificate has become invalid the last good setup stays in use (and the reason is logged
 * once); requests are still refused while the file is invalid (see {@link WebSecurityHandler}).
 */
public final class ReloadingSslContext extends SSLContext {
  private ReloadingSslContext(Spi spi) {
    super(spi, null, "TLS");
  }

  /** A context over {@code file}, whose TLS section is valid now (checked at start-up). */
  public static ReloadingSslContext of(WebConfigFile file) throws WebConfigException {
    return new ReloadingSslContext(new Spi(file));
  }

  private static final class Spi extends SSLContextSpi {
    private static final Logger LOG = Logger.getLogger(ReloadingSslContext.class.getName());
    private final WebConfigFile file;
    private Inputs inputs;
    private ServerTls tls;
    private String lastError;

    /** What a TLS setup is built from: the settings and the bytes of the files they name. */
    private record Inputs(WebConfig.Tls settings, byte[] cert, byte[] key, byte[] ca) {
      @Override
      public boolean equals(Object o) {
        return o instanceof Inputs i && settings.equals(i.settings)
            && Arrays.equals(cert, i.cert) && Arrays.equals(key, i.key)
            && Arrays.equals(ca, i.ca);
      }

      @Override
      public int hashCode() {
        return settings.hashCode();
      }
    }

    Spi(WebConfigFile file) throws WebConfigException {
      this.file = file;
      WebConfig.Tls settings = file.current().tls();
      this.inputs = inputs(settings);
      this.tls = ServerTls.of(settings);
      if (tls == null) {
        throw new WebConfigException("TLS config is not present");
      }
    }

    private static Inputs inputs(WebConfig.Tls s) {
      return new Inputs(s, bytes(s.certFile()), bytes(s.keyFile()), bytes(s.clientCaFile()));
    }

    private static byte[] bytes(String file) {
      if (file.isEmpty()) {
        return null;
      }
      try {
        return GoFileRead.read(file);
      } catch (IOException e) {
        return null; // ServerTls.of reports it
      }
    }

    /** The setup for a new connection, rebuilt when the file or a certificate changed. */
    private synchronized ServerTls current() {
      try {
        WebConfig.Tls settings = file.current().tls();
        Inputs now = inputs(settings);
        if (!now.equals(inputs)) {
          ServerTls next = ServerTls.of(settings);
          if (next == null) {
            throw new WebConfigException("TLS config is not present");
          }
          tls = next;
          inputs = now;
          lastError = null;
        }
      } catch (WebConfigException e) {
        if (!e.getMessage().equals(lastError)) {
          lastError = e.getMessage();
          Log.error(LOG, "Unable to reload the TLS configuration; keeping the previous one",
              null, "file", file.path().toString(), "err", e.getMessage());
        }
      }
      return tls;
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return current().newEngine(null, -1);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return current().newEngine(host, port);
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
        throws KeyManagementException {
      throw new KeyManagementException("configured by the web config file");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw new UnsupportedOperationException("server engines only");
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw new UnsupportedOperationException("server engines only");
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return null;
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return null;
    }
  }
}
