package dev.tsdb.api.http;

import dev.tsdb.api.Readiness;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Routes by path then method, like Prometheus's router: unknown paths get 404 "404 page not
 * found", known paths with another method 405 "Method Not Allowed" plus an Allow header. Route
 * paths may hold {@code :name} segments, handed to handlers as path parameters. Routes marked as
 * needing readiness answer 503 until the server is ready.
 */
public final class Router implements HttpHandler {
  /** Sees every routed request once it completes (for request metrics). */
  public interface Observer {
    void completed(String route, int status, long durationNanos);
  }

  /** What a handler receives: the exchange plus any path parameters. */
  public interface RouteHandler {
    void handle(HttpServerExchange ex, Map<String, String> pathParams) throws Exception;
  }

  private static final class Route {
    final String path;
    final String[] segments;
    final Map<HttpString, RouteHandler> byMethod = new LinkedHashMap<>();
    boolean needsReady;

    Route(String path) {
      this.path = path;
      this.segments = path.substring(1).split("/", -1);
    }

    Map<String, String> match(String[] parts) {
      if (parts.length != segments.length) {
        return null;
      }
      Map<String, String> params = new HashMap<>();
      for (int i = 0; i < parts.length; i++) {
        if (segments[i].startsWith(":")) {
          if (parts[i].isEmpty()) {
            return null;
          }
          params.put(segments[i].substring(1), parts[i]);
        } else if (!segments[i].equals(parts[i])) {
          return null;
        }
      }
      return params;
    }
  }

  private final Map<String, Route> exact = new HashMap<>();
  private final List<Route> patterns = new ArrayList<>();
  private final Readiness readiness;
  private Observer observer = (r, s, d) -> {};
  private String optionsPrefix;
  private RouteHandler optionsHandler;

  public Router(Readiness readiness) {
    this.readiness = readiness;
  }

  public Router observer(Observer observer) {
    this.observer = observer;
    return this;
  }

  /** Answers OPTIONS for any path under the prefix (Prometheus's {@code /api/v1/*path}). */
  public Router optionsUnder(String prefix, RouteHandler handler) {
    this.optionsPrefix = prefix;
    this.optionsHandler = handler;
    return this;
  }

  /** Adds a handler for a path and methods; needsReady gates it on the server being ready. */
  public Router add(String path, boolean needsReady, RouteHandler handler, HttpString... methods) {
    Route r = path.contains("/:") ? findPattern(path) : exact.computeIfAbsent(path, Route::new);
    r.needsReady |= needsReady;
    for (HttpString m : methods) {
      r.byMethod.put(m, handler);
    }
    return this;
  }

  /** Every routed path with its methods, e.g. {@code /api/v1/query -> [GET, OPTIONS, POST]}. */
  public Map<String, java.util.SortedSet<String>> routes() {
    Map<String, java.util.SortedSet<String>> out = new java.util.TreeMap<>();
    List<Route> all = new ArrayList<>(exact.values());
    all.addAll(patterns);
    for (Route r : all) {
      java.util.SortedSet<String> methods = new TreeSet<>();
      r.byMethod.keySet().forEach(m -> methods.add(m.toString()));
      out.put(r.path, methods);
    }
    return out;
  }

  private Route findPattern(String path) {
    for (Route r : patterns) {
      if (r.path.equals(path)) {
        return r;
      }
    }
    Route r = new Route(path);
    patterns.add(r);
    return r;
  }

  @Override
  public void handleRequest(HttpServerExchange ex) throws Exception {
    String path = ex.getRelativePath();
    Route route = exact.get(path);
    Map<String, String> params = Map.of();
    if (route == null) {
      String[] parts = path.length() > 1 ? path.substring(1).split("/", -1) : new String[] {""};
      for (Route r : patterns) {
        Map<String, String> m = r.match(parts);
        if (m != null) {
          route = r;
          params = m; // Undertow has already URL-decoded the path
          break;
        }
      }
    }
    if (route == null && optionsHandler != null && ex.getRequestMethod().equals(Methods.OPTIONS)
        && path.startsWith(optionsPrefix)) {
      optionsHandler.handle(ex, Map.of());
      return;
    }
    if (route == null) {
      Responses.text(ex, 404, "404 page not found");
      return;
    }
    long start = System.nanoTime();
    String routePath = route.path;
    ex.addExchangeCompleteListener((e, next) -> {
      observer.completed(routePath, e.getStatusCode(), System.nanoTime() - start);
      next.proceed();
    });
    RouteHandler h = route.byMethod.get(ex.getRequestMethod());
    if (h == null && ex.getRequestMethod().equals(Methods.HEAD)) {
      h = route.byMethod.get(Methods.GET);
    }
    if (h == null) {
      TreeSet<String> allowed = new TreeSet<>();
      route.byMethod.keySet().forEach(m -> allowed.add(m.toString()));
      ex.getResponseHeaders().put(Headers.ALLOW, String.join(", ", allowed));
      Responses.text(ex, 405, "Method Not Allowed");
      return;
    }
    if (route.needsReady && !readiness.isReady()) {
      ex.setStatusCode(503);
      ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
      ex.getResponseSender().send("Service Unavailable");
      return;
    }
    h.handle(ex, params);
  }
}
