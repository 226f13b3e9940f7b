package dev.tsdb.index.format;

import dev.tsdb.index.labels.Labels;

/**
 * String order of the on-disk formats: Go compares strings as UTF-8 bytes, which is code point
 * order. Java's String.compareTo compares UTF-16 units and disagrees for supplementary
 * characters versus U+E000..U+FFFF, so files must be ordered with this instead.
 */
public final class Utf8Order {
  private Utf8Order() {}

  public static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return fix(x) - fix(y);
      }
    }
    return a.length() - b.length();
  }

  // Moves surrogates above U+FFFF so UTF-16 unit order becomes code point order.
  private static int fix(char c) {
    if (c >= 0xE000) {
      return c - 0x800;
    }
    if (c >= 0xD800) {
      return c + 0x2000;
    }
    return c;
  }

  /** Prometheus's labels.Compare: pairwise by name then value, then by length. */
  public static int compare(Labels a, Labels b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = compare(a.name(i), b.name(i));
      if (c != 0) {
        return c;
      }
      c = compare(a.value(i), b.value(i));
      if (c != 0) {
        return c;
      }
    }
    return a.size() - b.size();
  }
}
