package dev.tsdb.gocompat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Expected strings are what Go's time package prints for the same instants in UTC. */
class GoTimeFormatTest {
  @Test
  void jsonIsRfc3339NanoWithTrailingZerosDropped() {
    assertEquals("1970-01-01T00:00:01.5Z", GoTimeFormat.jsonMillis(1500));
    assertEquals("2015-06-23T13:19:44Z", GoTimeFormat.jsonMillis(1435065584000L));
    assertEquals("2015-06-23T13:19:44.000000123Z",
        GoTimeFormat.json(Instant.ofEpochSecond(1435065584L, 123)));
    assertEquals("0001-01-01T00:00:00Z", GoTimeFormat.json(null));
  }

  @Test
  void layouts() {
    long t = 1435065584_250_000_000L; // 2015-06-23T13:19:44.25Z, a Tuesday
    assertEquals("2015-06-23T13:19:44Z", GoTimeFormat.format(t, GoTimeFormat.RFC3339));
    assertEquals("2015-06-23 13:19:44.25 +0000 UTC",
        GoTimeFormat.format(t, "2006-01-02 15:04:05.999999999 -0700 MST"));
    assertEquals("Tue Jun 23 01:19:44.250 PM", GoTimeFormat.format(t, "Mon Jan 2 03:04:05.000 PM"));
    // Before 1970 the second is floored, as Go does: -0.5 s is 23:59:59.5 on Dec 31.
    assertEquals("1969-12-31T23:59:59Z", GoTimeFormat.format(-500_000_000L, GoTimeFormat.RFC3339));
  }
}
