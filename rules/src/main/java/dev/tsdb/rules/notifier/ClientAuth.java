package dev.tsdb.rules.notifier;

import dev.tsdb.rules.config.Authorization;
import dev.tsdb.rules.config.BasicAuth;
import dev.tsdb.rules.config.OAuth2Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * The Authorization header of an HTTP client config (Alertmanagers, remote_write): basic_auth,
 * authorization or oauth2, at most one of which the config decoder lets through. Password and
 * credential files are read per request, so rotated files take effect as in Prometheus.
 */
public final class ClientAuth {
  private final BasicAuth basic;
  private final Authorization authorization;
  private final OAuth2Tokens oauth2;

  public ClientAuth(BasicAuth basic, Authorization authorization, OAuth2Config oauth2,
      long timeoutMs) throws IOException, GeneralSecurityException {
    this.basic = basic;
    this.authorization = authorization;
    this.oauth2 = oauth2 == null ? null : new OAuth2Tokens(oauth2, timeoutMs);
  }

  /** The header's value, or null when the config has no credentials. */
  public String header() throws IOException, InterruptedException {
    if (basic != null) {
      String pass = basic.password() == null ? "" : basic.password();
      if (basic.passwordFile() != null) {
        pass = read(basic.passwordFile());
      }
      String user = basic.username() == null ? "" : basic.username();
      return "Basic " + Base64.getEncoder().encodeToString(
          (user + ":" + pass).getBytes(StandardCharsets.UTF_8));
    }
    if (authorization != null) {
      String cred = authorization.credentials() == null ? "" : authorization.credentials();
      if (authorization.credentialsFile() != null) {
        cred = read(authorization.credentialsFile());
      }
      return authorization.type() + " " + cred;
    }
    return oauth2 == null ? null : oauth2.authorization();
  }

  private static String read(String file) throws IOException {
    return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
  }
}
