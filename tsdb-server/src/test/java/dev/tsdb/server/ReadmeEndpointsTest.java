package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the README's endpoint table true: it lists exactly the server's routes, each with the
 * methods the server accepts (HEAD, served wherever GET is, and CORS preflight OPTIONS, served
 * under /api/v1/, are left out).
 */
class ReadmeEndpointsTest {
  @TempDir
  Path dir;

  @Test
  void endpointTableMatchesTheRoutes() throws Exception {
    Map<String, SortedSet<String>> documented = new TreeMap<>();
    boolean inTable = false;
    for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
      if (line.startsWith("## ")) {
        inTable = line.equals("## Endpoints");
        continue;
      }
      if (!inTable || !line.startsWith("| `")) {
        continue;
      }
      String[] cols = line.split("\\|");
      String path = cols[1].trim().replace("`", "");
      SortedSet<String> methods = new TreeSet<>();
      for (String m : cols[2].split(",")) {
        methods.add(m.trim());
      }
      assertTrue(documented.put(path, methods) == null, "listed twice: " + path);
      assertTrue(!cols[3].isBlank(), "no status for " + path);
    }
    Map<String, SortedSet<String>> served = new TreeMap<>();
    // With the optional receivers on, so that every route the server can have is listed.
    try (TestServer ts = new TestServer(dir, "--web.enable-otlp-receiver")) {
      ts.server.routes().forEach((path, methods) -> {
        SortedSet<String> m = new TreeSet<>(methods);
        m.remove("OPTIONS");
        m.remove("HEAD");
        served.put(path, m);
      });
    }
    assertEquals(served, documented);
  }
}
