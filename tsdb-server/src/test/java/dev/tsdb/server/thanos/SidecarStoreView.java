package dev.tsdb.server.thanos;

import dev.tsdb.gocompat.GoRegex;
import dev.tsdb.server.thanos.SidecarClient.Matcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the sidecar's store API does around its calls to Prometheus with the external labels it
 * read from the config: matchers on an external label are answered by the sidecar itself
 * (dropped when they match its value, the whole request answered empty when not), and the
 * external labels are put on every series that comes back, winning over a series' own label.
 */
final class SidecarStoreView {
  private SidecarStoreView() {}

  /**
   * The matchers sent to Prometheus, or null when an external-label matcher rules everything
   * out; an empty list is the sidecar's "no matchers specified (excluding external labels)".
   */
  static List<Matcher> forwardedMatchers(List<Matcher> ms, Map<String, String> external) {
    List<Matcher> out = new ArrayList<>();
    for (Matcher m : ms) {
      String ext = external.get(m.name());
      if (ext == null || ext.isEmpty()) {
        out.add(m);
      } else if (!matches(m, ext)) {
        return null;
      }
    }
    return out;
  }

  static boolean matches(Matcher m, String v) {
    return switch (m.type()) {
      case 0 -> v.equals(m.value());
      case 1 -> !v.equals(m.value());
      case 2 -> GoRegex.compileLabelMatcher(m.value()).matches(v);
      default -> !GoRegex.compileLabelMatcher(m.value()).matches(v);
    };
  }

  /** A series' labels with the external labels set over them, sorted by name. */
  static Map<String, String> withExternal(List<String> pairs, Map<String, String> external) {
    Map<String, String> out = new TreeMap<>();
    for (int i = 0; i < pairs.size(); i += 2) {
      out.put(pairs.get(i), pairs.get(i + 1));
    }
    out.putAll(external);
    return out;
  }
}
