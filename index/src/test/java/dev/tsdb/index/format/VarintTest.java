package dev.tsdb.index.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VarintTest {
  @Test
  void zigzagMatchesGo() {
    long[][] pairs = {{0, 0}, {-1, 1}, {1, 2}, {-2, 3}, {63, 126}, {-64, 127},
        {Long.MAX_VALUE, -2}, {Long.MIN_VALUE, -1}};
    for (long[] p : pairs) {
      assertEquals(p[1], Varint.zigzag(p[0]), "zigzag " + p[0]);
      assertEquals(p[0], Varint.unzigzag(p[1]), "unzigzag " + p[1]);
    }
  }

  @Test
  void uvarintBytesMatchGo() {
    byte[] b = new byte[Varint.MAX_LENGTH];
    assertEquals(1, Varint.putUvarint(b, 0, 0));
    assertEquals(2, Varint.putUvarint(b, 0, 300));
    assertArrayEquals(new byte[] {(byte) 0xac, 0x02}, Arrays.copyOf(b, 2));
    assertEquals(10, Varint.putUvarint(b, 0, -1L)); // 2^64-1: nine 0xff, then 0x01
    assertEquals(1, b[9]);
  }
}
