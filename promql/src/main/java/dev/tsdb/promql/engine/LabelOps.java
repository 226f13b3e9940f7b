package dev.tsdb.promql.engine;

import dev.tsdb.index.labels.Labels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Label set manipulations the engine needs, allocation-light on the common paths. */
final class LabelOps {
  static final String NAME = Labels.METRIC_NAME;
  static final String TYPE = "__type__";
  static final String UNIT = "__unit__";

  private LabelOps() {}

  /** Whether a label is a metadata label dropped with the name (schema.IsMetadataLabel). */
  static boolean isMetadata(String name) {
    return name.equals(NAME) || name.equals(TYPE) || name.equals(UNIT);
  }

  /** True when both have the same __name__, __type__ and __unit__ (absent counts as ""). */
  static boolean sameMetadata(Labels a, Labels b) {
    return a.get(NAME).equals(b.get(NAME)) && a.get(TYPE).equals(b.get(TYPE))
        && a.get(UNIT).equals(b.get(UNIT));
  }

  /** The labels without __name__, __type__ and __unit__; the same instance when none is present. */
  static Labels dropMetadata(Labels ls) {
    int n = ls.size();
    int drop = 0;
    for (int i = 0; i < n; i++) {
      String name = ls.name(i);
      if (name.startsWith("__") && isMetadata(name)) {
        drop++;
      }
    }
    if (drop == 0) {
      return ls;
    }
    String[] out = new String[(n - drop) * 2];
    int j = 0;
    for (int i = 0; i < n; i++) {
      String name = ls.name(i);
      if (name.startsWith("__") && isMetadata(name)) {
        continue;
      }
      out[j++] = name;
      out[j++] = ls.value(i);
    }
    return Labels.fromSortedUnsafe(out);
  }

  /**
   * Whether a label name is valid under Prometheus's UTF-8 scheme: non-empty, valid UTF-8. Strings
   * decoded from invalid UTF-8 carry lone surrogates (the parser maps raw bytes to U+DC80..U+DCFF),
   * so a lone surrogate means invalid.
   */
  static boolean isValidLabelName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
          i++;
          continue;
        }
        return false;
      }
      if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** Only the named labels. */
  static Labels keep(Labels ls, Collection<String> names) {
    if (names.isEmpty()) {
      return Labels.EMPTY;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0, n = ls.size(); i < n; i++) {
      if (names.contains(ls.name(i))) {
        out.add(ls.name(i));
        out.add(ls.value(i));
      }
    }
    return Labels.fromSortedUnsafe(out.toArray(new String[0]));
  }

  /** All labels except the named ones (and except __name__ when {@code alsoName}). */
  static Labels without(Labels ls, Collection<String> names, boolean alsoName) {
    List<String> out = new ArrayList<>();
    for (int i = 0, n = ls.size(); i < n; i++) {
      String name = ls.name(i);
      if (names.contains(name) || (alsoName && name.equals(NAME))) {
        continue;
      }
      out.add(name);
      out.add(ls.value(i));
    }
    if (out.size() == ls.size() * 2) {
      return ls;
    }
    return Labels.fromSortedUnsafe(out.toArray(new String[0]));
  }

  /** A copy with one label set (or removed when the value is empty). */
  static Labels with(Labels ls, String name, String value) {
    return ls.toBuilder().set(name, value).build();
  }
}
