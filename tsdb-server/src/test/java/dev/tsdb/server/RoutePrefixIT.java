package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --web.external-url / --web.route-prefix move every endpoint under the prefix. */
class RoutePrefixIT {
  @TempDir
  Path dir;

  @Test
  void externalUrlPathPrefixesRoutes() throws Exception {
    try (TestServer ts = new TestServer(dir, "--web.external-url=http://proxy.example/prom/")) {
      assertEquals(200, ts.get("/prom/-/ready").statusCode());
      assertEquals("{\"status\":\"success\",\"data\":[]}", ts.get("/prom/api/v1/labels").body());
      assertEquals(404, ts.get("/api/v1/labels").statusCode());
    }
  }

  @Test
  void routePrefixWinsOverTheUrlPath() throws Exception {
    try (TestServer ts = new TestServer(dir, "--web.external-url=http://proxy.example/prom/",
        "--web.route-prefix=/inner")) {
      assertEquals(200, ts.get("/inner/-/healthy").statusCode());
      assertEquals(404, ts.get("/prom/-/healthy").statusCode());
    }
  }
}
