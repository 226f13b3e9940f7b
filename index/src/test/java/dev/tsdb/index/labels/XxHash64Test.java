package dev.tsdb.index.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reference vectors of XXH64 with seed 0 (limit_ratio and rule offsets depend on it). */
class XxHash64Test {
  private static long h(String s) {
    return XxHash64.hash(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void referenceVectors() {
    assertEquals(0xEF46DB3751D8E999L, h(""));
    assertEquals(0xD24EC4F1A98C6E5BL, h("a"));
    assertEquals(0x44BC2CF5AD770999L, h("abc"));
    // Longer than 32 bytes exercises the four-lane loop.
    assertEquals(0xFBCEA83C8A378BF1L, h("Nobody inspects the spammish repetition"));
    assertEquals(0x0B242D361FDA71BCL, h("The quick brown fox jumps over the lazy dog"));
  }

  @Test
  void labelsHashIsTheHashOfPrometheus3sLengthPrefixedEncoding() {
    byte[] raw = {1, 'a', 1, 'b'};
    assertEquals(XxHash64.hash(raw), XxHash64.labelsHash("a", "b"));
    assertEquals(XxHash64.labelsHash("a", "b"), XxHash64.labelsHash(Labels.of("a", "b")));
    // Lengths from 255 on take the byte 255 and three little-endian bytes.
    String v = "x".repeat(300);
    byte[] big = new byte[1 + 1 + 4 + 300];
    big[0] = 1;
    big[1] = 'n';
    big[2] = (byte) 255;
    big[3] = (byte) (300 & 0xff);
    big[4] = (byte) (300 >>> 8);
    java.util.Arrays.fill(big, 6, big.length, (byte) 'x');
    assertEquals(XxHash64.hash(big), XxHash64.labelsHash("n", v));
  }
}
