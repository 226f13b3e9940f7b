package dev.tsdb.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesPrometheusDurations() {
    assertEquals(0, Durations.parse("0"));
    assertEquals(5400_000, Durations.parse("1h30m"));
    assertEquals(60_030, Durations.parse("1m30ms"));
    long expected = 365L * 86400_000 + 2 * 7 * 86400_000L + 3 * 86400_000L + 4 * 3600_000L
        + 5 * 60_000 + 6_000 + 7;
    assertEquals(expected, Durations.parse("1y2w3d4h5m6s7ms"));
  }

  @Test
  void rejectsLikeUpstream() {
    assertMessage("not a valid duration string: \"5m1h\"", "5m1h");
    assertMessage("not a valid duration string: \"5m1m\"", "5m1m");
    assertMessage("unknown unit \"hs\" in duration \"5y1hs\"", "5y1hs");
    assertMessage("unknown unit \".\" in duration \"1.5h\"", "1.5h");
    assertMessage("empty duration string", "");
    assertMessage("not a valid duration string: \"h\"", "h");
    assertMessage("not a valid duration string: \"5\"", "5");
    assertMessage("duration out of range", "300y");
    assertMessage("duration out of range", "10000000000000000000s");
  }

  private static void assertMessage(String expected, String input) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Durations.parse(input));
    assertEquals(expected, e.getMessage());
  }

  @Test
  void formatsLikeModelDuration() {
    assertEquals("0s", Durations.format(0));
    assertEquals("1h30m", Durations.format(5400_000));
    assertEquals("90d", Durations.format(90L * 86400_000));
    assertEquals("2w", Durations.format(14L * 86400_000));
    assertEquals("1y", Durations.format(365L * 86400_000));
    assertEquals("366d", Durations.format(366L * 86400_000));
    assertEquals("1m1s1ms", Durations.format(61_001));
    assertEquals("-5m", Durations.format(-300_000));
  }

  @Test
  void apiDurationsAcceptSecondsToo() {
    assertEquals(15_000, Durations.parseApi("15"));
    assertEquals(1_500, Durations.parseApi("1.5"));
    assertEquals(300_000, Durations.parseApi("5m"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Durations.parseApi("5x"));
    assertEquals("cannot parse \"5x\" to a valid duration", e.getMessage());
  }
}
