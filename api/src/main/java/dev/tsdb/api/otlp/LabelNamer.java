package dev.tsdb.api.otlp;

/**
 * Attribute names to legacy label names, as Prometheus's OTLP receiver escapes them: every
 * character outside [a-zA-Z0-9] becomes '_', a leading digit gets {@code key_} before it and a
 * single leading '_' gets {@code key} ({@code __reserved} names stay as they are).
 */
final class LabelNamer {
  private LabelNamer() {}

  static String escape(String name) {
    if (name.isEmpty()) {
      return name;
    }
    StringBuilder sb = new StringBuilder(name.length());
    name.codePoints().forEach(c -> sb.append(
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            ? (char) c : '_'));
    char first = sb.charAt(0);
    if (first >= '0' && first <= '9') {
      sb.insert(0, "key_");
    } else if (first == '_' && (sb.length() < 2 || sb.charAt(1) != '_')) {
      sb.insert(0, "key");
    }
    return sb.toString();
  }
}
