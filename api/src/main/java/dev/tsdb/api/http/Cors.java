package dev.tsdb.api.http;

import dev.tsdb.gocompat.GoRegex;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;

/**
 * Prometheus's CORS handling for the API (util/httputil.SetCORS): only when the request has an
 * Origin header; the origin is echoed when it matches --web.cors.origin (anchored as relabel
 * regexes are), or "*" is sent when that regex is the default ".*".
 */
public final class Cors {
  private static final HttpString ORIGIN = new HttpString("Origin");
  private final GoRegex origin;
  private final boolean any;

  public Cors(String originRegex) {
    this.origin = GoRegex.compileAnchored(originRegex);
    this.any = originRegex.equals(".*");
  }

  public void apply(HttpServerExchange ex, boolean preflight) {
    String o = ex.getRequestHeaders().getFirst(ORIGIN);
    if (o == null || o.isEmpty()) {
      return;
    }
    HeaderMap h = ex.getResponseHeaders();
    h.put(new HttpString("Access-Control-Allow-Headers"),
        "Accept, Authorization, Content-Type, Origin");
    h.put(new HttpString("Access-Control-Allow-Methods"), "GET, POST, OPTIONS");
    if (!preflight) {
      h.put(new HttpString("Access-Control-Expose-Headers"), "Date");
    }
    h.put(new HttpString("Vary"), "Origin");
    if (any) {
      h.put(new HttpString("Access-Control-Allow-Origin"), "*");
    } else if (origin.matches(o)) {
      h.put(new HttpString("Access-Control-Allow-Origin"), o);
    }
  }
}
