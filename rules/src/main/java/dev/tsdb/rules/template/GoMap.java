package dev.tsdb.rules.template;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Go map with string keys as templates see it: sorted iteration (Go's text/template ranges
 * maps in key order), and the element type's zero value returned for missing keys (Prometheus
 * runs templates with {@code missingkey=zero}, so a missing label is "").
 *
 * @param entries the entries, sorted by key
 * @param zero the element type's zero value ("" for map[string]string, null for interface maps)
 * @param typeName the Go type name, for error messages and %T
 */
public record GoMap(Map<String, ?> entries, Object zero, String typeName) {
  public GoMap {
    entries = Collections.unmodifiableMap(new TreeMap<>(entries));
  }

  /** A {@code map[string]string}, e.g. an alert's labels. */
  public static GoMap ofStrings(Map<String, String> m) {
    return new GoMap(m, "", "map[string]string");
  }

  public Object get(String key) {
    Object v = entries.get(key);
    return v != null || entries.containsKey(key) ? v : zero;
  }
}
