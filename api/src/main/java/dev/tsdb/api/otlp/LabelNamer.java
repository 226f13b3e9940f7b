package dev.tsdb.api.otlp;

/**
 * Attribute names to legacy label names, as Prometheus's OTLP receiver escapes them: every
 * character outside [a-zA-Z0-9] becomes '_', a leading digit gets {@code key_} before it and a
 * single leading '_' gets {@code key} ({@code __reserved} names stay as they are).
 *
 * <p>Two options of later Prometheus releases change this: without the underscore sanitization
 * a leading '_' stays as it is, and without preserving multiple underscores each run of escaped
 * characters becomes a single '_' (a {@code __reserved__} name keeps its outer pairs).
 */
final class LabelNamer {
  /** Prometheus 3.5's escaping. */
  static final LabelNamer DEFAULT = new LabelNamer(true, true);

  private final boolean keyPrefix;
  private final boolean preserveUnderscores;

  LabelNamer(boolean keyPrefix, boolean preserveUnderscores) {
    this.keyPrefix = keyPrefix;
    this.preserveUnderscores = preserveUnderscores;
  }

  static String escape(String name) {
    return DEFAULT.build(name);
  }

  String build(String name) {
    if (name.isEmpty()) {
      return name;
    }
    boolean reserved = !preserveUnderscores && name.length() > 4 && name.startsWith("__")
        && name.endsWith("__");
    String inner = reserved ? name.substring(2, name.length() - 2) : name;
    StringBuilder sb = new StringBuilder(name.length());
    if (reserved) {
      sb.append("__");
    }
    inner.codePoints().forEach(c -> {
      boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (valid) {
        sb.append((char) c);
      } else if (preserveUnderscores || sb.length() == 0 || sb.charAt(sb.length() - 1) != '_'
          || (reserved && sb.length() == 2)) {
        sb.append('_');
      }
    });
    if (reserved) {
      sb.append("__");
    }
    char first = sb.charAt(0);
    if (first >= '0' && first <= '9') {
      sb.insert(0, "key_");
    } else if (keyPrefix && first == '_' && (sb.length() < 2 || sb.charAt(1) != '_')) {
      sb.insert(0, "key");
    }
    return sb.toString();
  }
}
