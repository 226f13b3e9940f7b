package dev.tsdb.index.labels;

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
      appendQuoted(sb, name);
    }
  }

  /** Appends a double-quoted string with Go's strconv.Quote escaping for the common cases. */
  public static void appendQuoted(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\u0007' -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\u000b' -> sb.append("\\v");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    appendQuoted(sb, s);
    return sb.toString();
  }
}
