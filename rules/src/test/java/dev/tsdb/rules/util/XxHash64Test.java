package dev.tsdb.rules.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XxHash64Test {
  private static long h(String s) {
    return XxHash64.hash(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void referenceVectors() {
    // Published XXH64 (seed 0) values.
    assertEquals(0xEF46DB3751D8E999L, h(""));
    assertEquals(0xD24EC4F1A98C6E5BL, h("a"));
    assertEquals(0x44BC2CF5AD770999L, h("abc"));
    assertEquals(0xFBCEA83C8A378BF1L, h("Nobody inspects the spammish repetition"));
    assertEquals(0x0B242D361FDA71BCL,
        h("The quick brown fox jumps over the lazy dog"));
  }

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
