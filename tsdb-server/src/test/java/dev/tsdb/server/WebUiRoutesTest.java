package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web UI's routes over HTTP: redirects under the external URL's path, pages, assets. */
class WebUiRoutesTest {
  @TempDir
  Path dir;

  private static String location(HttpResponse<String> r) {
    return r.headers().firstValue("Location").orElse("");
  }

  @Test
  void pagesAndRedirectsUnderTheExternalUrlPath() throws Exception {
    try (TestServer ts = new TestServer(dir, "--web.external-url=http://proxy.example/prom/",
        "--web.page-title=Mine <&>")) {
      HttpResponse<String> r = ts.get("/prom/");
      assertEquals(302, r.statusCode());
      assertEquals("/prom/query", location(r));
      r = ts.get("/prom/graph?g0.expr=up&g0.tab=1");
      assertEquals(302, r.statusCode());
      assertEquals("/prom/query?g0.expr=up&g0.tab=1", location(r));
      for (String page : dev.tsdb.api.ui.WebUi.PAGES) {
        r = ts.get("/prom/" + page);
        assertEquals(200, r.statusCode(), page);
        assertTrue(r.body().contains("<title>Mine &lt;&amp;&gt;</title>"), r.body());
      }
      assertEquals(404, ts.get("/query").statusCode());
    }
  }

  @Test
  void assetsFromTheJarOnly() throws Exception {
    try (TestServer ts = new TestServer(dir)) {
      HttpResponse<String> r = ts.get("/assets/app.js");
      assertEquals(200, r.statusCode());
      assertEquals("text/javascript; charset=utf-8",
          r.headers().firstValue("Content-Type").orElse(""));
      r = ts.get("/assets/uplot/uPlot.iife.min.js");
      assertEquals(200, r.statusCode());
      assertTrue(r.body().contains("uPlot"));
      assertEquals(200, ts.get("/assets/uplot/uPlot.min.css").statusCode());
      assertEquals(404, ts.get("/assets/nope.js").statusCode());
      assertEquals(404, ts.get("/assets/.hidden.js").statusCode());
      assertEquals(404, ts.get("/assets/uplot/uPlot.d.ts").statusCode()); // not a served type
      assertEquals(404, ts.get("/assets/..%2Fui%2Fapp.js").statusCode());
      // Nothing in the UI names another host: it must work without internet access.
      for (String f : new String[] {"index.html", "app.js", "query.js", "editor.js"}) {
        String body = ts.get(f.endsWith(".html") ? "/query" : "/assets/" + f).body();
        assertTrue(!body.contains("http://") && !body.contains("https://"), f);
      }
    }
  }
}
