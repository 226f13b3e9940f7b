package dev.tsdb.api.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.charset.StandardCharsets;

/**
 * Go's http.ServeMux, in front of Prometheus's router, answers any request whose path is not
 * clean (doubled slashes, "." or ".." elements) with a 301 to the cleaned path; so do we.
 */
public final class CleanPathRedirect implements HttpHandler {
  private final HttpHandler next;

  public CleanPathRedirect(HttpHandler next) {
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    String path = ex.getRequestPath();
    String clean = cleanPath(path);
    if (clean.equals(path) || ex.getRequestMethod().equals(Methods.CONNECT)) {
      next.handleRequest(ex);
      return;
    }
    String q = ex.getQueryString();
    String location = clean + (q == null || q.isEmpty() ? "" : "?" + q);
    ex.setStatusCode(301);
    ex.getResponseHeaders().put(Headers.LOCATION, location);
    if (ex.getRequestMethod().equals(Methods.GET) || ex.getRequestMethod().equals(Methods.HEAD)) {
      ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
    }
    if (ex.getRequestMethod().equals(Methods.GET)) {
      // http.Redirect's body, printed with Fprintln (hence the second newline).
      ex.getResponseSender().send("<a href=\"" + htmlEscape(location) + "\">Moved Permanently"
          + "</a>.\n\n", StandardCharsets.UTF_8);
    } else {
      ex.endExchange();
    }
  }

  /** Go's net/http cleanPath: path.Clean, keeping a trailing slash. */
  static String cleanPath(String p) {
    if (p.isEmpty()) {
      return "/";
    }
    if (p.charAt(0) != '/') {
      p = "/" + p;
    }
    String np = clean(p);
    if (p.endsWith("/") && !np.equals("/")) {
      np += "/";
    }
    return np;
  }

  /** Go's path.Clean for rooted paths. */
  static String clean(String p) {
    java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
    for (String seg : p.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(seg);
      }
    }
    return "/" + String.join("/", parts);
  }

  private static String htmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&#34;").replace("'", "&#39;");
  }
}
