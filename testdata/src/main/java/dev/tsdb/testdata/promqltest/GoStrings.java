package dev.tsdb.testdata.promqltest;

/** Go string-literal escapes (strconv.Unquote) for test-script labels and strings. */
final class GoStrings {
  private GoStrings() {}

  /**
   * Decodes the escape whose backslash was just consumed; {@code pos} points after it. Appends
   * the decoded text and returns the new position.
   */
  static int unescape(String s, int pos, StringBuilder sb) {
    if (pos >= s.length()) {
      throw new IllegalArgumentException("dangling backslash in: " + s);
    }
    char c = s.charAt(pos++);
    switch (c) {
      case 'a' -> sb.append('\u0007');
      case 'b' -> sb.append('\b');
      case 'f' -> sb.append('\f');
      case 'n' -> sb.append('\n');
      case 'r' -> sb.append('\r');
      case 't' -> sb.append('\t');
      case 'v' -> sb.append('\u000b');
      case '\\', '\'', '"', '`' -> sb.append(c);
      case 'x' -> {
        // A raw byte; assemble consecutive \xHH bytes as UTF-8.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.write(Integer.parseInt(s.substring(pos, pos + 2), 16));
        pos += 2;
        while (pos + 3 < s.length() + 0 && s.charAt(pos) == '\\' && s.charAt(pos + 1) == 'x') {
          bytes.write(Integer.parseInt(s.substring(pos + 2, pos + 4), 16));
          pos += 4;
        }
        sb.append(new String(bytes.toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
      }
      case 'u' -> {
        sb.appendCodePoint(Integer.parseInt(s.substring(pos, pos + 4), 16));
        pos += 4;
      }
      case 'U' -> {
        sb.appendCodePoint(Integer.parseInt(s.substring(pos, pos + 8), 16));
        pos += 8;
      }
      default -> {
        if (c >= '0' && c <= '7') {
          sb.append((char) Integer.parseInt(s.substring(pos - 1, pos + 2), 8));
          pos += 2;
        } else {
          throw new IllegalArgumentException("unknown escape \\" + c + " in: " + s);
        }
      }
    }
    return pos;
  }
}
