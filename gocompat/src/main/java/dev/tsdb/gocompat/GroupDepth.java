package dev.tsdb.gocompat;

/**
 * How deeply the groups of a regex nest, found by a scan that skips escapes, {@code \Q...\E}
 * and character classes (a parenthesis there is a literal).
 */
final class GroupDepth {
  private GroupDepth() {}

  static int of(String re) {
    int depth = 0;
    int max = 0;
    int i = 0;
    int n = re.length();
    while (i < n) {
      char c = re.charAt(i);
      if (c == '\\') {
        if (i + 1 < n && re.charAt(i + 1) == 'Q') {
          int end = re.indexOf("\\E", i + 2);
          i = end < 0 ? n : end + 2;
        } else {
          i += 2;
        }
      } else if (c == '[') {
        i = classEnd(re, i);
      } else {
        if (c == '(') {
          max = Math.max(max, ++depth);
        } else if (c == ')') {
          depth--;
        }
        i++;
      }
    }
    return max;
  }

  /** Index after the class opening at {@code open}; a ']' first in the class is a literal. */
  private static int classEnd(String re, int open) {
    int i = open + 1;
    if (i < re.length() && re.charAt(i) == '^') {
      i++;
    }
    if (i < re.length() && re.charAt(i) == ']') {
      i++;
    }
    while (i < re.length()) {
      char c = re.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '[' && re.startsWith("[:", i)) {
        int end = re.indexOf(":]", i + 2);
        i = end < 0 ? i + 1 : end + 2;
      } else if (c == ']') {
        return i + 1;
      } else {
        i++;
      }
    }
    return i;
  }
}
