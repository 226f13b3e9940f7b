package dev.tsdb.gocompat;

import java.io.ByteArrayOutputStream;

/**
 * Go string conventions: {@code strconv.Quote} (also fmt's {@code %q}, and how Prometheus prints
 * label values), {@code %q} of runes, {@code %#U}, and Prometheus's {@code strutil.Unquote} (the
 * string literals of PromQL and of test scripts).
 *
 * <p>Go strings are byte strings; an escape like {@code "\xff"} yields a byte that is not valid
 * UTF-8. Java strings cannot hold such bytes, so they are mapped the way Python's
 * "surrogateescape" does: byte {@code b} (0x80..0xff) that does not decode becomes the lone low
 * surrogate {@code U+DC00+b}. {@link #quote} turns those back into {@code \xNN}, so values
 * round-trip through formatting exactly as in Prometheus, and {@link #isValidUtf8} detects them.
 */
public final class GoStrings {
  private GoStrings() {}

  /** Go's {@code strconv.Quote}: double-quoted with Go escapes. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    appendQuoted(sb, s, '"');
    return sb.toString();
  }

  /** Go's {@code %q} of a single rune, e.g. {@code '.'}; no code point at all prints as U+FFFD. */
  public static String quoteRune(int r) {
    if (r < 0 || r > Character.MAX_CODE_POINT) {
      r = 0xFFFD;
    }
    StringBuilder sb = new StringBuilder(8);
    sb.append('\'');
    appendEscapedRune(sb, r, '\'');
    sb.append('\'');
    return sb.toString();
  }

  /** Go's {@code %#U} of a rune, e.g. {@code U+0063 'c'}. */
  public static String formatU(int r) {
    String hex = Integer.toHexString(r).toUpperCase();
    StringBuilder sb = new StringBuilder("U+");
    for (int i = hex.length(); i < 4; i++) {
      sb.append('0');
    }
    sb.append(hex);
    if (isPrint(r)) {
      sb.append(" '").appendCodePoint(r).append('\'');
    }
    return sb.toString();
  }

  /** Appends {@code strconv.Quote(s)}. */
  public static void appendQuoted(StringBuilder sb, String s) {
    appendQuoted(sb, s, '"');
  }

  private static void appendQuoted(StringBuilder sb, String s, char quote) {
    sb.append(quote);
    for (int i = 0; i < s.length(); ) {
      char c = s.charAt(i);
      if (c >= ' ' && c < 0x7f && c != quote && c != '\\') { // the common case, as is
        sb.append(c);
        i++;
        continue;
      }
      int r = s.codePointAt(i);
      i += Character.charCount(r);
      appendEscapedRune(sb, r, quote);
    }
    sb.append(quote);
  }

  private static void appendEscapedRune(StringBuilder sb, int r, char quote) {
    if (r >= 0xDC80 && r <= 0xDCFF) { // an escaped raw byte
      appendHex(sb, "\\x", r - 0xDC00, 2);
      return;
    }
    if (r == quote || r == '\\') {
      sb.append('\\').append((char) r);
      return;
    }
    if (isPrint(r)) {
      sb.appendCodePoint(r);
      return;
    }
    switch (r) {
      case 0x07 -> sb.append("\\a");
      case '\b' -> sb.append("\\b");
      case '\f' -> sb.append("\\f");
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      case 0x0b -> sb.append("\\v");
      default -> {
        if (r < ' ' || r == 0x7f) {
          appendHex(sb, "\\x", r, 2);
        } else if (r >= 0xD800 && r <= 0xDFFF) {
          sb.append("\\ufffd");
        } else if (r < 0x10000) {
          appendHex(sb, "\\u", r, 4);
        } else {
          appendHex(sb, "\\U", r, 8);
        }
      }
    }
  }

  /** prefix, then v in lower-case hex zero-padded to digits (label printing is hot: no format). */
  private static void appendHex(StringBuilder sb, String prefix, int v, int digits) {
    sb.append(prefix);
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      sb.append(Character.forDigit((v >>> shift) & 0xf, 16));
    }
  }

  /** Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and ' '. */
  public static boolean isPrint(int r) {
    if (r == ' ') {
      return true;
    }
    if (r < 0x20 || r == 0x7f) {
      return false;
    }
    switch (Character.getType(r)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
          Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
          Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION, Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL:
        return true;
      default:
        return false;
    }
  }

  /** Number of bytes of the UTF-8 form (escaped raw bytes count as one). */
  public static int utf8Length(String s) {
    return utf8Length(s, 0, s.length());
  }

  /** UTF-8 byte length of {@code s[from, to)}. */
  public static int utf8Length(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < to
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (c >= 0xDC80 && c <= 0xDCFF) {
        n++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** False when {@code s} holds escaped raw bytes or U+FFFD, i.e. was not valid UTF-8. */
  public static boolean isValidUtf8(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0xFFFD) {
        return false;
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Prometheus's {@code strutil.Unquote}: a single-, double- or back-quoted string literal with
   * Go escapes (single quotes may hold any number of characters).
   *
   * @throws IllegalArgumentException "invalid syntax" like Go's ErrSyntax
   */
  public static String unquote(String s) {
    int n = s.length();
    if (n < 2) {
      throw syntax();
    }
    char quote = s.charAt(0);
    if (quote != s.charAt(n - 1)) {
      throw syntax();
    }
    String body = s.substring(1, n - 1);
    if (quote == '`') {
      if (body.indexOf('`') >= 0) {
        throw syntax();
      }
      return body;
    }
    if (quote != '"' && quote != '\'') {
      throw syntax();
    }
    if (body.indexOf('\n') >= 0) {
      throw syntax();
    }
    if (body.indexOf('\\') < 0 && body.indexOf(quote) < 0) {
      return body;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length());
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == quote) {
        throw syntax();
      }
      if (c != '\\') {
        int cp = body.codePointAt(i);
        i += Character.charCount(cp);
        writeUtf8(out, cp);
        continue;
      }
      if (i + 1 >= body.length()) {
        throw syntax();
      }
      char e = body.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a' -> out.write(0x07);
        case 'b' -> out.write('\b');
        case 'f' -> out.write('\f');
        case 'n' -> out.write('\n');
        case 'r' -> out.write('\r');
        case 't' -> out.write('\t');
        case 'v' -> out.write(0x0b);
        case '\\' -> out.write('\\');
        case '\'', '"' -> {
          if (e != quote) {
            throw syntax();
          }
          out.write(e);
        }
        case 'x', 'u', 'U' -> {
          int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          if (i + digits > body.length()) {
            throw syntax();
          }
          int v = 0;
          for (int k = 0; k < digits; k++) {
            int d = Character.digit(body.charAt(i + k), 16);
            if (d < 0) {
              throw syntax();
            }
            v = v * 16 + d;
          }
          i += digits;
          if (e == 'x') {
            out.write(v);
          } else {
            if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000) || v < 0) {
              throw syntax();
            }
            writeUtf8(out, v);
          }
        }
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          if (i + 2 > body.length()) {
            throw syntax();
          }
          int v = e - '0';
          for (int k = 0; k < 2; k++) {
            int d = body.charAt(i + k) - '0';
            if (d < 0 || d > 7) {
              throw syntax();
            }
            v = v * 8 + d;
          }
          i += 2;
          if (v > 255) {
            throw syntax();
          }
          out.write(v);
        }
        default -> throw syntax();
      }
    }
    return decodeUtf8(out.toByteArray());
  }

  private static IllegalArgumentException syntax() {
    return new IllegalArgumentException("invalid syntax");
  }

  private static void writeUtf8(ByteArrayOutputStream out, int cp) {
    if (cp >= 0xDC80 && cp <= 0xDCFF) { // escaped raw byte
      out.write(cp - 0xDC00);
    } else if (cp < 0x80) {
      out.write(cp);
    } else if (cp < 0x800) {
      out.write(0xC0 | (cp >> 6));
      out.write(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out.write(0xE0 | (cp >> 12));
      out.write(0x80 | ((cp >> 6) & 0x3F));
      out.write(0x80 | (cp & 0x3F));
    } else {
      out.write(0xF0 | (cp >> 18));
      out.write(0x80 | ((cp >> 12) & 0x3F));
      out.write(0x80 | ((cp >> 6) & 0x3F));
      out.write(0x80 | (cp & 0x3F));
    }
  }

  /** Decodes UTF-8, mapping every byte of an invalid sequence to {@code U+DC00+byte}. */
  public static String decodeUtf8(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length);
    int i = 0;
    while (i < b.length) {
      int c = b[i] & 0xFF;
      int need;
      int cp;
      int min;
      if (c < 0x80) {
        sb.append((char) c);
        i++;
        continue;
      } else if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        cp = c & 0x1F;
        min = 0x80;
      } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        cp = c & 0x0F;
        min = 0x800;
      } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        cp = c & 0x07;
        min = 0x10000;
      } else {
        sb.append((char) (0xDC00 + c));
        i++;
        continue;
      }
      boolean ok = true;
      int j = 1;
      for (; ok && j <= need; j++) {
        if (i + j >= b.length) {
          ok = false;
          break;
        }
        int cc = b[i + j] & 0xFF;
        if ((cc & 0xC0) != 0x80) {
          ok = false;
          break;
        }
        cp = (cp << 6) | (cc & 0x3F);
      }
      if (ok && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
        sb.appendCodePoint(cp);
        i += need + 1;
      } else {
        sb.append((char) (0xDC00 + c));
        i++;
      }
    }
    return sb.toString();
  }
}
