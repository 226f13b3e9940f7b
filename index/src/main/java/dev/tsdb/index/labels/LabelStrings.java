package dev.tsdb.index.labels;

import dev.tsdb.gocompat.GoStrings;

/** Quoting and validation of label names and values as Prometheus prints and checks them. */
public final class LabelStrings {
  private LabelStrings() {}

  /** True for names matching the legacy pattern {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
  public static boolean isLegacyName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
          || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** True for metric names matching {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
  public static boolean isLegacyMetricName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
          || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Prometheus 3.x accepts any valid UTF-8 label name that is not empty (UTF-8 validation
   * scheme). Java strings decoded from UTF-8 with replacement would contain U+FFFD; the decoder
   * at the edge rejects invalid UTF-8 before we get here, so only emptiness is checked.
   */
  public static boolean isValidName(String name) {
    return !name.isEmpty();
  }

  public static void appendName(StringBuilder sb, String name) {
    if (isLegacyName(name)) {
      sb.append(name);
    } else {
      GoStrings.appendQuoted(sb, name);
    }
  }
}
