package dev.tsdb.gocompat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Expected strings are what Go's strconv.Quote and fmt print for the same inputs. */
class GoStringsTest {
  @Test
  void quotesLikeStrconvQuote() {
    assertEquals("\"abc\"", GoStrings.quote("abc"));
    assertEquals("\"\"", GoStrings.quote(""));
    assertEquals("\"a\\\"b\\\\c\\n\"", GoStrings.quote("a\"b\\c\n"));
    assertEquals("\"\\a\\b\\f\\r\\t\\v\"", GoStrings.quote("\u0007\b\f\r\t\u000b"));
    assertEquals("\"\\x00\\x1f\\x7f\"", GoStrings.quote("\u0000\u001f\u007f"));
    assertEquals("\"'\"", GoStrings.quote("'"));
    assertEquals("\"日本 é\"", GoStrings.quote("日本 é"));
    assertEquals("\"😀\"", GoStrings.quote("😀"));
    // Not printable in Go's sense: no-break space (Zs), zero-width space (Cf), C1 controls.
    assertEquals("\"\\u00a0\\u200b\\u0085\"", GoStrings.quote("\u00a0\u200b\u0085"));
    assertEquals("\"\\U000e0001\"", GoStrings.quote(new String(Character.toChars(0xE0001))));
    // Raw bytes that were not UTF-8 (carried as U+DC80..U+DCFF) print as \x escapes.
    assertEquals("\"a\\xc5z\"", GoStrings.quote("a\uDCC5z"));
    StringBuilder sb = new StringBuilder("x=");
    GoStrings.appendQuoted(sb, "v\"");
    assertEquals("x=\"v\\\"\"", sb.toString());
  }

  @Test
  void quotesRunesAndFormatsCodePoints() {
    assertEquals("'.'", GoStrings.quoteRune('.'));
    assertEquals("'\\''", GoStrings.quoteRune('\''));
    assertEquals("'\"'", GoStrings.quoteRune('"'));
    assertEquals("'\\n'", GoStrings.quoteRune('\n'));
    assertEquals("'\\x00'", GoStrings.quoteRune(0));
    assertEquals("'日'", GoStrings.quoteRune('日'));
    assertEquals("'�'", GoStrings.quoteRune(0x110000));
    assertEquals("U+0063 'c'", GoStrings.formatU('c'));
    assertEquals("U+000A", GoStrings.formatU('\n'));
    assertEquals("U+1F600 '😀'", GoStrings.formatU(0x1F600));
  }

  @Test
  void unquotesLikePrometheusStrutil() {
    assertEquals("abc", GoStrings.unquote("\"abc\""));
    assertEquals("abc", GoStrings.unquote("'abc'"));
    assertEquals("a\\nb", GoStrings.unquote("`a\\nb`"));
    assertEquals("a\"b", GoStrings.unquote("'a\"b'"));
    assertEquals("a'b", GoStrings.unquote("\"a'b\""));
    assertEquals("a\nb\t", GoStrings.unquote("\"a\\nb\\t\""));
    assertEquals("é", GoStrings.unquote("\"\\u00e9\""));
    assertEquals("é", GoStrings.unquote("\"\\xc3\\xa9\""));
    assertEquals("é", GoStrings.unquote("\"\\303\\251\""));
    assertEquals("😀", GoStrings.unquote("\"\\U0001F600\""));
    assertEquals("\uDCFF", GoStrings.unquote("\"\\xff\""));
    assertEquals("\"\\xff\"", GoStrings.quote(GoStrings.unquote("\"\\xff\"")));
    for (String bad : new String[] {"\"a", "a\"", "\"", "\"\\q\"", "\"\\'\"", "'\\\"'x", "\"\\400\"",
        "\"\\x4\"", "\"\\ud800\"", "\"a\nb\"", "`a`b`", "\"a\"b\"", "x"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> GoStrings.unquote(bad), bad);
      assertEquals("invalid syntax", e.getMessage());
    }
  }

  @Test
  void utf8() {
    assertEquals(6, GoStrings.utf8Length("aé日"));
    assertEquals(4, GoStrings.utf8Length("😀"));
    assertEquals(1, GoStrings.utf8Length("\uDCFF"));
    assertTrue(GoStrings.isValidUtf8("aé日😀"));
    assertFalse(GoStrings.isValidUtf8("a\uDCC5z"));
    assertFalse(GoStrings.isValidUtf8("\uFFFD"));
    assertEquals("a\uDCFFé", GoStrings.decodeUtf8(new byte[] {'a', (byte) 0xff, (byte) 0xc3,
        (byte) 0xa9}));
  }
}
