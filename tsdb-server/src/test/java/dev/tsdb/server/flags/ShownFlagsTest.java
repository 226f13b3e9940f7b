package dev.tsdb.server.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Derived storage values shown as Prometheus 3.5 shows them in /api/v1/status/flags. */
class ShownFlagsTest {
  private static Map<String, String> shown(String... args) throws FlagException {
    ServerFlags f = new ServerFlags();
    return ShownFlags.of(f, f.set.parse(args));
  }

  @Test
  void defaultsShowTheDerivedValues() throws FlagException {
    Map<String, String> s = shown();
    assertEquals("15d", s.get("storage.tsdb.retention.time"));
    assertEquals("1d12h", s.get("storage.tsdb.max-block-duration"));
    assertEquals("2h", s.get("storage.tsdb.min-block-duration"));
  }

  @Test
  void givenValuesShowAsGiven() throws FlagException {
    Map<String, String> s = shown("--storage.tsdb.min-block-duration=2h",
        "--storage.tsdb.max-block-duration=2h", "--storage.tsdb.retention.time=90d");
    assertEquals("90d", s.get("storage.tsdb.retention.time"));
    assertEquals("2h", s.get("storage.tsdb.max-block-duration"));
  }

  @Test
  void retentionDrivesTheMaxBlockDuration() throws FlagException {
    assertEquals("1d", shown("--storage.tsdb.retention.time=10d")
        .get("storage.tsdb.max-block-duration"));
    assertEquals("31d", shown("--storage.tsdb.retention.time=1y")
        .get("storage.tsdb.max-block-duration"));
    assertEquals("6m", shown("--storage.tsdb.retention.time=1h")
        .get("storage.tsdb.max-block-duration"));
    // Size-only retention: no time limit, so 31d, and the time flag stays "0s".
    Map<String, String> size = shown("--storage.tsdb.retention.size=1GB");
    assertEquals("0s", size.get("storage.tsdb.retention.time"));
    assertEquals("31d", size.get("storage.tsdb.max-block-duration"));
    assertEquals("20d", shown("--storage.tsdb.retention=20d")
        .get("storage.tsdb.retention.time"));
  }
}
