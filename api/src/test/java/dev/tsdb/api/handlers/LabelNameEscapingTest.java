package dev.tsdb.api.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LabelNameEscapingTest {
  @Test
  void unescapesPrometheusValueEncoding() {
    assertEquals("http.method", LabelNameEscaping.unescape("U__http_2e_method"));
    assertEquals("a_b", LabelNameEscaping.unescape("U__a__b"));
    assertEquals("é", LabelNameEscaping.unescape("U___e9_"));
    assertEquals("\uD83D\uDE00", LabelNameEscaping.unescape("U___1f600_"));
    assertEquals("plain", LabelNameEscaping.unescape("plain"));
    assertEquals("", LabelNameEscaping.unescape("U__"));
  }

  @Test
  void invalidEscapesLeaveTheNameAlone() {
    for (String s : new String[] {"U__a_", "U__a_zz_", "U__a_2e", "U___d800_", "U___10ffff_"}) {
      assertEquals(s, LabelNameEscaping.unescape(s));
    }
  }
}
