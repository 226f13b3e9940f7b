package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reference vectors of XXH64 with seed 0 (limit_ratio depends on the exact hash). */
class XxHash64Test {
  private static long h(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return XxHash64.hash(b, 0, b.length);
  }

  @Test
  void knownVectors() {
    assertEquals(0xEF46DB3751D8E999L, h(""));
    assertEquals(0xD24EC4F1A98C6E5BL, h("a"));
    assertEquals(0x44BC2CF5AD770999L, h("abc"));
    // Longer than 32 bytes exercises the four-lane loop.
    assertEquals(0xFBCEA83C8A378BF1L, h("Nobody inspects the spammish repetition"));
  }
}
