package dev.tsdb.api.ui;

import dev.tsdb.api.http.Responses;
import dev.tsdb.api.http.Router;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The built-in web UI at Prometheus 3's paths: every page is the same HTML shell, whose script
 * picks the page from the last path element and talks only to the public HTTP API. "/" and the
 * old "/graph" (with its g0.* parameters) redirect to "/query" under the external URL's path, as
 * Prometheus does, so that Alertmanager's generatorURL links land on the query page.
 */
public final class WebUi {
  /** The pages, each served by the shell (Prometheus 3's React routes we implement). */
  public static final List<String> PAGES = List.of("query", "alerts", "rules", "tsdb-status",
      "config", "flags", "status", "targets");

  private final StaticAssets assets = new StaticAssets();
  private final String externalPath;
  private final byte[] shell;

  /**
   * @param externalPath the path of --web.external-url without a trailing slash ("" for none)
   * @param pageTitle --web.page-title
   */
  public WebUi(String externalPath, String pageTitle) {
    this.externalPath = externalPath;
    String html = new String(assets.own("index.html").orElseThrow().bytes(),
        StandardCharsets.UTF_8);
    this.shell = html.replace("TITLE_PLACEHOLDER", htmlEscape(pageTitle))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Adds the UI's routes; none needs the storage to be ready (pages show API errors). */
  public void register(Router router) {
    router.add("/", false, (ex, p) -> redirect(ex, "/query"), Methods.GET);
    router.add("/graph", false, (ex, p) -> redirect(ex, "/query"), Methods.GET);
    for (String page : PAGES) {
      router.add("/" + page, false, (ex, p) -> Responses.send(ex, 200,
          "text/html; charset=utf-8", shell), Methods.GET);
    }
    router.add("/assets/:file", false, (ex, p) -> serve(ex, assets.own(p.get("file"))),
        Methods.GET);
    router.add("/assets/uplot/:file", false, (ex, p) -> serve(ex, assets.uplot(p.get("file"))),
        Methods.GET);
  }

  /** A 302 keeping the query string (Prometheus's redirect of /graph keeps the g0.* state). */
  private void redirect(HttpServerExchange ex, String page) {
    String q = ex.getQueryString();
    ex.setStatusCode(302);
    ex.getResponseHeaders().put(Headers.LOCATION,
        externalPath + page + (q == null || q.isEmpty() ? "" : "?" + q));
    ex.endExchange();
  }

  private static void serve(HttpServerExchange ex, Optional<StaticAssets.Asset> asset) {
    if (asset.isEmpty()) {
      Responses.text(ex, 404, "404 page not found");
      return;
    }
    // Revalidated on every load: a new jar must not leave an old script in the browser.
    ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
    Responses.send(ex, 200, asset.get().contentType(), asset.get().bytes());
  }

  private static String htmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
