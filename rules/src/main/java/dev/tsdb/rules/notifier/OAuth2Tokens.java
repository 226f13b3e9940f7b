package dev.tsdb.rules.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.rules.config.OAuth2Config;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Access tokens of the OAuth 2.0 client_credentials grant for one {@code oauth2} config, as
 * Prometheus's HTTP client gets them: the token is cached and fetched again 10 seconds before it
 * expires (never, without {@code expires_in}), or when the secret file's content changed. The
 * client authenticates with HTTP Basic first and, if the endpoint refuses that, with the id and
 * secret in the form; the way that worked is kept. Thread-safe.
 */
public final class OAuth2Tokens {
  /** How long before its expiry a token counts as expired (the Go oauth2 package's delta). */
  static final long EXPIRY_DELTA_MS = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OAuth2Config cfg;
  private final HttpClient http;
  private final long timeoutMs;
  private final LongSupplier clock;
  private String token;
  private long expiresAtMs;
  private String secretUsed;
  /** Null until a style worked: true for the secret in the form, false for Basic. */
  private Boolean secretInForm;

  public OAuth2Tokens(OAuth2Config cfg, long timeoutMs)
      throws IOException, GeneralSecurityException {
    this(cfg, timeoutMs, System::currentTimeMillis);
  }

  OAuth2Tokens(OAuth2Config cfg, long timeoutMs, LongSupplier clock)
      throws IOException, GeneralSecurityException {
    this.cfg = cfg;
    this.timeoutMs = timeoutMs;
    this.clock = clock;
    this.http = HttpClients.build(URI.create(cfg.tokenUrl()).getScheme(), timeoutMs,
        cfg.proxyUrl(), cfg.tls());
  }

  /** The value of the Authorization header, e.g. {@code Bearer abc}; fetches when needed. */
  public synchronized String authorization() throws IOException, InterruptedException {
    String secret = secret();
    boolean valid = token != null && secret.equals(secretUsed)
        && (expiresAtMs == 0 || clock.getAsLong() < expiresAtMs - EXPIRY_DELTA_MS);
    if (!valid) {
      fetch(secret);
    }
    return token;
  }

  private String secret() throws IOException {
    if (cfg.clientSecretFile() != null) {
      return Files.readString(Path.of(cfg.clientSecretFile()), StandardCharsets.UTF_8).strip();
    }
    return cfg.clientSecret() == null ? "" : cfg.clientSecret();
  }

  private void fetch(String secret) throws IOException, InterruptedException {
    HttpResponse<String> resp;
    boolean inForm = secretInForm != null && secretInForm;
    resp = request(secret, inForm);
    if (secretInForm == null && resp.statusCode() / 100 != 2) {
      // Auto-detection: an endpoint that wants the credentials in the form gets a second try.
      HttpResponse<String> second = request(secret, true);
      if (second.statusCode() / 100 == 2) {
        resp = second;
        inForm = true;
      }
    }
    if (resp.statusCode() / 100 != 2) {
      throw new IOException("oauth2: cannot fetch token: " + resp.statusCode()
          + "\nResponse: " + resp.body());
    }
    Map<String, String> fields = fields(resp);
    String access = fields.getOrDefault("access_token", "");
    if (access.isEmpty()) {
      throw new IOException("oauth2: server response missing access_token");
    }
    long expiresIn = 0;
    try {
      expiresIn = Long.parseLong(fields.getOrDefault("expires_in", "0"));
    } catch (NumberFormatException e) {
      // an unreadable lifetime is no lifetime, as in Go's package
    }
    secretInForm = inForm;
    secretUsed = secret;
    token = tokenType(fields.getOrDefault("token_type", "")) + " " + access;
    expiresAtMs = expiresIn > 0 ? clock.getAsLong() + expiresIn * 1000 : 0;
  }

  private HttpResponse<String> request(String secret, boolean inForm)
      throws IOException, InterruptedException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    if (!cfg.scopes().isEmpty()) {
      form.put("scope", String.join(" ", cfg.scopes()));
    }
    for (Map.Entry<String, String> p : cfg.endpointParams().entrySet()) {
      if (form.containsKey(p.getKey()) && !p.getKey().equals("grant_type")) {
        throw new IOException("oauth2: cannot overwrite parameter \"" + p.getKey() + "\"");
      }
      form.put(p.getKey(), p.getValue());
    }
    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(cfg.tokenUrl()))
        .timeout(Duration.ofMillis(Math.max(1, timeoutMs)))
        .header("Content-Type", "application/x-www-form-urlencoded");
    if (inForm) {
      form.put("client_id", cfg.clientId());
      if (!secret.isEmpty()) {
        form.put("client_secret", secret);
      }
    } else {
      String pair = enc(cfg.clientId()) + ":" + enc(secret);
      rb.header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    StringBuilder body = new StringBuilder();
    for (Map.Entry<String, String> f : form.entrySet()) {
      body.append(body.length() == 0 ? "" : "&").append(enc(f.getKey())).append('=')
          .append(enc(f.getValue()));
    }
    return http.send(rb.POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A JSON answer, or a form-encoded one (older endpoints answer text/plain or a form). */
  private static Map<String, String> fields(HttpResponse<String> resp) throws IOException {
    String type = resp.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    Map<String, String> out = new LinkedHashMap<>();
    if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("text/plain")) {
      for (String kv : resp.body().split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          out.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      return out;
    }
    JsonNode n;
    try {
      n = JSON.readTree(resp.body());
    } catch (IOException e) {
      throw new IOException("oauth2: cannot parse json: " + e.getMessage(), e);
    }
    n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /** The header's scheme: Bearer when not given, the usual ones in their usual case. */
  static String tokenType(String t) {
    return switch (t.toLowerCase(Locale.ROOT)) {
      case "", "bearer" -> "Bearer";
      case "mac" -> "MAC";
      case "basic" -> "Basic";
      default -> t;
    };
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
