package dev.tsdb.rules.querylog;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who the queries run on this thread are for (Prometheus passes it in the query's context): the
 * rule group being evaluated, or the HTTP request being answered.
 */
public final class QueryOrigin {
  private static final ThreadLocal<Map<String, Map<String, String>>> CURRENT =
      ThreadLocal.withInitial(Map::of);

  private QueryOrigin() {}

  public static Map<String, Map<String, String>> current() {
    return CURRENT.get();
  }

  /** Runs {@code body} with the origin {@code {"ruleGroup": {"file": f, "name": n}}}. */
  public static void inRuleGroup(String file, String name, Runnable body) {
    Map<String, String> g = new LinkedHashMap<>();
    g.put("file", file);
    g.put("name", name);
    run(Map.of("ruleGroup", g), body);
  }

  /** {@code {"httpRequest": {"clientIP": ..., "method": ..., "path": ...}}}. */
  public static Map<String, Map<String, String>> httpRequest(String clientIp, String method,
      String path) {
    Map<String, String> r = new LinkedHashMap<>();
    r.put("clientIP", clientIp);
    r.put("method", method);
    r.put("path", path);
    return Map.of("httpRequest", r);
  }

  private static void run(Map<String, Map<String, String>> origin, Runnable body) {
    Map<String, Map<String, String>> before = CURRENT.get();
    CURRENT.set(origin);
    try {
      body.run();
    } finally {
      CURRENT.set(before);
    }
  }
}
