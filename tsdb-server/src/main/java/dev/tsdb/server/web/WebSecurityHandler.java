package dev.tsdb.server.web;

import dev.tsdb.server.log.Log;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.logging.Logger;

/**
 * In front of every endpoint when --web.config.file is given, as exporter-toolkit's handler: the
 * file as it is now (500 while it is invalid), its rate limit (429), its response headers, then
 * basic authentication (401 with {@code WWW-Authenticate: Basic}) when it has users.
 */
public final class WebSecurityHandler implements HttpHandler {
  private static final Logger LOG = Logger.getLogger(WebSecurityHandler.class.getName());
  /**
   * Compared against for unknown users, so that answering them takes as long as a wrong
   * password for a known one (no user enumeration by timing). A cost-10 hash of a fixed word.
   */
  private static final String UNKNOWN_USER_HASH =
      "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";

  private final WebConfigFile file;
  private final HttpHandler next;
  private final VerifiedCredentials credentials = new VerifiedCredentials();
  private volatile RequestRateLimiter limiter;

  public WebSecurityHandler(WebConfigFile file, HttpHandler next) {
    this.file = file;
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    if (ex.isInIoThread()) {
      // Reading the file and bcrypt block: never on an I/O thread.
      ex.dispatch(this);
      return;
    }
    WebConfig c;
    try {
      c = file.current();
    } catch (WebConfigException e) {
      Log.error(LOG, "Unable to parse configuration", null, "err", e.getMessage());
      plainError(ex, 500, "Internal Server Error");
      return;
    }
    if (!limiter(c.rateLimit()).allow(System.nanoTime())) {
      plainError(ex, 429, "Too Many Requests");
      return;
    }
    for (Map.Entry<String, String> h : c.http().headers().entrySet()) {
      ex.getResponseHeaders().put(new HttpString(h.getKey()), h.getValue());
    }
    if (c.users().isEmpty() || authorized(c.users(),
        ex.getRequestHeaders().getFirst(Headers.AUTHORIZATION))) {
      next.handleRequest(ex);
      return;
    }
    ex.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Basic");
    plainError(ex, 401, "Unauthorized");
  }

  private RequestRateLimiter limiter(WebConfig.RateLimit settings) {
    RequestRateLimiter l = limiter;
    if (l == null || !l.settings().equals(settings)) {
      l = new RequestRateLimiter(settings, System.nanoTime());
      limiter = l;
    }
    return l;
  }

  private boolean authorized(Map<String, String> users, String authorization) {
    String[] userPass = basicCredentials(authorization);
    if (userPass == null) {
      return false;
    }
    String hash = users.get(userPass[0]);
    boolean known = hash != null;
    boolean ok = credentials.matches(userPass[0], known ? hash : UNKNOWN_USER_HASH, userPass[1]);
    return known && ok;
  }

  /** User and password of a Basic Authorization header, as Go's Request.BasicAuth reads it. */
  static String[] basicCredentials(String authorization) {
    String prefix = "Basic ";
    if (authorization == null || authorization.length() < prefix.length()
        || !authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(prefix.length())),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? null
        : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  /** Go's http.Error: the text and a newline, as plain text that must not be sniffed. */
  private static void plainError(HttpServerExchange ex, int status, String text) {
    ex.setStatusCode(status);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    ex.getResponseHeaders().put(new HttpString("X-Content-Type-Options"), "nosniff");
    ex.getResponseSender().send(text + "\n", StandardCharsets.UTF_8);
  }
}
