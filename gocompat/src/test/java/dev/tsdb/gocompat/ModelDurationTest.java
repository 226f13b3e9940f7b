package dev.tsdb.gocompat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Expected errors are what promtool 3.5 prints for scrape_interval set to the same strings. */
class ModelDurationTest {
  @Test
  void parses() {
    assertEquals(0, ModelDuration.parseMillis("0"));
    assertEquals(0, ModelDuration.parseMillis("0s"));
    assertEquals(0, ModelDuration.parseMillis("00s"));
    assertEquals(1000, ModelDuration.parseMillis("1s0ms"));
    assertEquals(5400_000, ModelDuration.parseMillis("1h30m"));
    assertEquals(60_030, ModelDuration.parseMillis("1m30ms"));
    assertEquals(1500, ModelDuration.parseMillis("1s500ms"));
    assertEquals(300_000, ModelDuration.parseMillis("5m"));
    assertEquals(7L * 86400_000, ModelDuration.parseMillis("1w"));
    assertEquals(365L * 86400_000, ModelDuration.parseMillis("1y"));
    long expected = 365L * 86400_000 + 2 * 7 * 86400_000L + 3 * 86400_000L + 4 * 3600_000L
        + 5 * 60_000 + 6_000 + 7;
    assertEquals(expected, ModelDuration.parseMillis("1y2w3d4h5m6s7ms"));
    // The largest Go time.Duration, in whole milliseconds.
    assertEquals(Long.MAX_VALUE / 1_000_000, ModelDuration.parseMillis("106751d23h47m16s854ms"));
    assertEquals(292L * 365 * 86400_000, ModelDuration.parseMillis("292y"));
  }

  @Test
  void rejectsWithPrometheusMessages() {
    assertMessage("unknown unit \"x\" in duration \"5x\"", "5x");
    assertMessage("unknown unit \"hs\" in duration \"1hs\"", "1hs");
    assertMessage("unknown unit \"hs\" in duration \"5y1hs\"", "5y1hs");
    assertMessage("unknown unit \".\" in duration \"1.5h\"", "1.5h");
    assertMessage("unknown unit \" s\" in duration \"1 s\"", "1 s");
    assertMessage("unknown unit \"µ\" in duration \"5µ\"", "5µ");
    assertMessage("unknown unit \"s\\\"\" in duration \"5s\\\"\"", "5s\"");
    assertMessage("not a valid duration string: \"5m1h\"", "5m1h");
    assertMessage("not a valid duration string: \"5m1m\"", "5m1m");
    assertMessage("not a valid duration string: \"1d1d\"", "1d1d");
    assertMessage("not a valid duration string: \"-1s\"", "-1s");
    assertMessage("not a valid duration string: \"h\"", "h");
    assertMessage("not a valid duration string: \"5\"", "5");
    assertMessage("not a valid duration string: \"99999999999999999999s\"",
        "99999999999999999999s");
    assertMessage("empty duration string", "");
    assertMessage("duration out of range", "300y");
    assertMessage("duration out of range", "293y");
    assertMessage("duration out of range", "106751d23h47m16s855ms");
    assertMessage("duration out of range", "10000000000000000000s");
    assertMessage("duration out of range", "10000000000000000000ms");
  }

  private static void assertMessage(String expected, String input) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelDuration.parseMillis(input));
    assertEquals(expected, e.getMessage());
  }

  @Test
  void formats() {
    assertEquals("0s", ModelDuration.format(0));
    assertEquals("1h30m", ModelDuration.format(5400_000));
    assertEquals("15d", ModelDuration.format(15L * 86400_000));
    assertEquals("90d", ModelDuration.format(90L * 86400_000));
    assertEquals("2w", ModelDuration.format(14L * 86400_000));
    assertEquals("1w", ModelDuration.format(7L * 86400_000));
    assertEquals("8d", ModelDuration.format(8L * 86400_000));
    assertEquals("1y", ModelDuration.format(365L * 86400_000));
    assertEquals("366d", ModelDuration.format(366L * 86400_000));
    assertEquals("1m1s1ms", ModelDuration.format(61_001));
    assertEquals("1s500ms", ModelDuration.format(1500));
    assertEquals("-5m", ModelDuration.format(-300_000));
  }
}
