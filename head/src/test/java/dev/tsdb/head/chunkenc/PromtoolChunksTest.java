package dev.tsdb.head.chunkenc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.storage.ValueType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Re-encodes every chunk promtool wrote and expects the very same bytes. */
class PromtoolChunksTest {
  @Test
  void reEncodingReproducesPrometheusBytes() throws IOException {
    int chunks = 0;
    int samples = 0;
    for (int block = 1; block <= 10; block++) {
      byte[] file;
      try (InputStream in = getClass().getResourceAsStream("/promtool-chunks/block" + block + "-000001")) {
        file = in.readAllBytes();
      }
      ByteBuffer bb = ByteBuffer.wrap(file);
      assertEquals(0x85BD40DD, bb.getInt(0));
      int pos = 8;
      while (pos < file.length) {
        long len = 0;
        int shift = 0;
        while (true) {
          int b = file[pos++] & 0xff;
          len |= (long) (b & 0x7f) << shift;
          shift += 7;
          if (b < 0x80) {
            break;
          }
        }
        int enc = file[pos];
        assertEquals(ChunkEncoding.XOR, enc);
        int dataOff = pos + 1;
        int dataLen = (int) len;
        CRC32C crc = new CRC32C();
        crc.update(file, pos, 1 + dataLen);
        assertEquals((int) crc.getValue(), bb.getInt(dataOff + dataLen));

        // Decode from the mmap-like ByteBuffer view, re-encode, compare.
        XorIterator it = new XorIterator().reset(bb, dataOff, dataLen);
        XorAppender a = new XorAppender();
        long prev = Long.MIN_VALUE;
        while (it.next() == ValueType.FLOAT) {
          assertTrue(it.t() > prev);
          prev = it.t();
          a.append(it.t(), it.v());
          samples++;
        }
        assertNull(it.error());
        assertArrayEquals(Arrays.copyOfRange(file, dataOff, dataOff + dataLen), a.toBytes(),
            "block " + block + " chunk at " + pos);
        chunks++;
        pos = dataOff + dataLen + 4;
      }
    }
    assertTrue(chunks >= 9, "chunks: " + chunks);
    assertEquals(400 + 300 + 200 + 150, samples);
  }
}
