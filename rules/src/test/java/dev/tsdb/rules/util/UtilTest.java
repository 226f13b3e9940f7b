package dev.tsdb.rules.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UtilTest {
  @Test
  void goTimeJson() {
    assertEquals("1970-01-01T00:00:01.5Z", GoTimeJson.formatMillis(1500));
    assertEquals("2015-06-23T13:19:44Z", GoTimeJson.formatMillis(1435065584000L));
    assertEquals("0001-01-01T00:00:00Z", GoTimeJson.format(null));
  }
}
