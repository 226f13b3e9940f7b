package dev.tsdb.api.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tsdb.gocompat.ModelDuration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeParamsTest {
  @Test
  void parsesUnixSecondsRoundedToMillis() {
    assertEquals(1700000000123L, TimeParams.parseTime("1700000000.123"));
    assertEquals(1700000000124L, TimeParams.parseTime("1700000000.1235"));
    assertEquals(1000, TimeParams.parseTime("1"));
    assertEquals(-1500, TimeParams.parseTime("-1.5"));
    assertEquals(1500, TimeParams.parseTime("+1.5"));
    assertEquals(1500, TimeParams.parseTime("1.5e0"));
    assertEquals(100, TimeParams.parseTime(".1"));
  }

  /** Go's ParseFloat syntax; checked against Prometheus 3.5's query API. */
  @Test
  void acceptsEveryGoFloatSpelling() {
    assertEquals(8000, TimeParams.parseTime("0x1p3"));
    assertEquals(1_000_000, TimeParams.parseTime("1_000"));
    // A Thanos sidecar's end of time (MaxInt64 ms as float seconds): Prometheus 3.5 takes it,
    // its milliseconds wrapping around in int64.
    assertEquals(9223372036854776L * 1000, TimeParams.parseTime("9223372036854776"));
    assertEquals(-9223372036854775616L, TimeParams.parseTime("9223372036854776"));
    assertEquals(8_000_000_000L, TimeParams.parseDurationNanos("0x1p3"));
    assertEquals(15_000_000_000L, TimeParams.parseDurationNanos("1_5"));
    for (String bad : new String[] {"-nan", "1__0", "1e400"}) {
      assertEquals("cannot parse \"" + bad + "\" to a valid timestamp",
          assertThrows(IllegalArgumentException.class, () -> TimeParams.parseTime(bad))
              .getMessage());
      assertEquals("cannot parse \"" + bad + "\" to a valid duration",
          assertThrows(IllegalArgumentException.class, () -> TimeParams.parseDurationNanos(bad))
              .getMessage());
    }
  }

  @Test
  void parsesRfc3339() {
    assertEquals(Instant.parse("2020-01-01T00:00:00Z").toEpochMilli(),
        TimeParams.parseTime("2020-01-01T00:00:00Z"));
    assertEquals(1577833200123L, TimeParams.parseTime("2020-01-01T00:00:00.1234+01:00"));
    assertEquals(1577836800999L, TimeParams.parseTime("2020-01-01T00:00:00.999999999Z"));
  }

  @Test
  void parsesPrometheusSentinels() {
    assertEquals(TimeParams.MIN_TIME_FORMATTED,
        Instant.ofEpochSecond(Long.MIN_VALUE / 1000 + 62135596801L).toString());
    assertEquals("+" + TimeParams.MAX_TIME_FORMATTED,
        Instant.ofEpochSecond(Long.MAX_VALUE / 1000 - 62135596801L, 999999999).toString());
    assertEquals(TimeParams.MIN_TIME_MS, TimeParams.parseTime(TimeParams.MIN_TIME_FORMATTED));
    assertEquals(TimeParams.MAX_TIME_MS, TimeParams.parseTime(TimeParams.MAX_TIME_FORMATTED));
  }

  @Test
  void rejectsWithPrometheusMessages() {
    for (String bad : new String[] {"x", "", "1e400", "2020-01-01T00:00:00z", "1d", " 1",
        "2020-13-01T00:00:00Z", "2020-01-01 00:00:00Z", "NaN"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> TimeParams.parseTime(bad));
      assertEquals("cannot parse \"" + bad + "\" to a valid timestamp", e.getMessage());
    }
  }

  @Test
  void parsesDurations() {
    assertEquals(15_000_000_000L, TimeParams.parseDurationNanos("15"));
    assertEquals(1_500_000L, TimeParams.parseDurationNanos("0.0015"));
    assertEquals(90L * 60 * 1_000_000_000L, TimeParams.parseDurationNanos("1h30m"));
    assertEquals(0, TimeParams.parseDurationNanos("0"));
    assertEquals("cannot parse \"x\" to a valid duration",
        assertThrows(IllegalArgumentException.class, () -> TimeParams.parseDurationNanos("x"))
            .getMessage());
    assertEquals("cannot parse \"1e300\" to a valid duration. It overflows int64",
        assertThrows(IllegalArgumentException.class,
            () -> TimeParams.parseDurationNanos("1e300")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> TimeParams.parseDurationNanos(""));
    assertThrows(IllegalArgumentException.class, () -> TimeParams.parseDurationNanos("1m1h"));
  }

  @Test
  void formatsModelDurations() {
    assertEquals("15d", ModelDuration.format(15L * 86400_000));
    assertEquals("2w", ModelDuration.format(14L * 86400_000));
    assertEquals("1h30m", ModelDuration.format(90L * 60_000));
    assertEquals("0s", ModelDuration.format(0));
    assertEquals("1s500ms", ModelDuration.format(1500));
  }
}
