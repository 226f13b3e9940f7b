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

  @Test
  void modelDuration() {
    assertEquals(5400_000, ModelDuration.parseMillis("1h30m"));
    assertEquals("1h30m", ModelDuration.format(5400_000));
    assertEquals("1w", ModelDuration.format(7L * 24 * 3600 * 1000));
    assertEquals("8d", ModelDuration.format(8L * 24 * 3600 * 1000));
    assertEquals("0s", ModelDuration.format(0));
    assertEquals(1500, ModelDuration.parseMillis("1s500ms"));
  }
}
