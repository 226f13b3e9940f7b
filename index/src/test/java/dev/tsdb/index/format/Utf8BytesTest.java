package dev.tsdb.index.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8BytesTest {
  @Test
  void matchesJdkEncoder() {
    for (String str : new String[] {"", "abc", "\u00fc", "\u20ac", "\uD83D\uDE00x", "a\uD800b", "\uDC00"}) {
      byte[] jdk = str.getBytes(StandardCharsets.UTF_8);
      assertEquals(jdk.length, Utf8Bytes.encodedLength(str), str);
      byte[] ours = new byte[jdk.length];
      assertEquals(jdk.length, Utf8Bytes.encode(str, ours, 0));
      assertArrayEquals(jdk, ours, str);
    }
  }

  @Test
  void encodeBufferWritesLengthPrefixedUtf8() {
    EncodeBuffer b = new EncodeBuffer(16).putUvarintStr("a\u20ac");
    assertArrayEquals(new byte[] {4, 'a', (byte) 0xE2, (byte) 0x82, (byte) 0xAC}, b.toByteArray());
  }
}
