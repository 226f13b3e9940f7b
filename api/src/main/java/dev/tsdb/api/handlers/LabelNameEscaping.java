package dev.tsdb.api.handlers;

/**
 * Undoes prometheus/common's "values" escaping of label names in URL paths: a {@code U__} prefix,
 * then {@code __} for '_' and {@code _<hex code point>_} for any other character, so that
 * {@code U__http_2e_method} is {@code http.method}. Invalid escapes leave the name as it was.
 */
final class LabelNameEscaping {
  private LabelNameEscaping() {}

  static String unescape(String name) {
    if (!name.startsWith("U__")) {
      return name;
    }
    String s = name.substring(3);
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '_') {
        out.append(c);
        i++;
        continue;
      }
      i++;
      if (i >= s.length()) {
        return name;
      }
      if (s.charAt(i) == '_') {
        out.append('_');
        i++;
        continue;
      }
      int cp = 0;
      int digits = 0;
      while (true) {
        // As prometheus/common: a seventh character (even the closing '_') is too many.
        if (i >= s.length() || digits >= 6) {
          return name;
        }
        char h = s.charAt(i);
        if (h == '_') {
          if (digits == 0 || !Character.isValidCodePoint(cp)
              || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return name;
          }
          out.appendCodePoint(cp);
          i++;
          break;
        }
        int d = Character.digit(Character.toLowerCase(h), 16);
        if (d < 0) {
          return name;
        }
        cp = cp * 16 + d;
        digits++;
        i++;
      }
    }
    return out.toString();
  }
}
