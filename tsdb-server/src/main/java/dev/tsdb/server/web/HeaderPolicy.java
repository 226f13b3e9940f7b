package dev.tsdb.server.web;

import java.util.List;
import java.util.Map;

/**
 * The response headers http_server_config may set, as the Prometheus ecosystem agrees on them:
 * only these names (case as written), and for two of them only the listed values.
 */
final class HeaderPolicy {
  /** Header name to its allowed values; an empty list allows any value. */
  private static final Map<String, List<String>> ALLOWED = Map.of(
      "Strict-Transport-Security", List.of(),
      "X-Content-Type-Options", List.of("nosniff"),
      "X-Frame-Options", List.of("deny", "sameorigin"),
      "X-XSS-Protection", List.of(),
      "Content-Security-Policy", List.of());

  private HeaderPolicy() {}

  static void validate(Map<String, String> headers) throws WebConfigException {
    for (Map.Entry<String, String> h : headers.entrySet()) {
      List<String> values = ALLOWED.get(h.getKey());
      if (values == null) {
        throw new WebConfigException("HTTP header \"" + h.getKey() + "\" can not be configured");
      }
      if (!values.isEmpty() && !values.contains(h.getValue())) {
        throw new WebConfigException("invalid value for " + h.getKey() + ". Expected one of: "
            + quoted(values) + ", but got: \"" + h.getValue() + "\"");
      }
    }
  }

  /** Go's %q of a string slice: ["a" "b"]. */
  private static String quoted(List<String> values) {
    StringBuilder sb = new StringBuilder("[");
    for (String v : values) {
      sb.append(sb.length() > 1 ? " " : "").append('"').append(v).append('"');
    }
    return sb.append(']').toString();
  }
}
