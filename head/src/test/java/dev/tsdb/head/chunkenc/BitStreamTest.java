package dev.tsdb.head.chunkenc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shared bit stream against a one-bit-at-a-time model, across growth, trims and resumes. */
class BitStreamTest {
  @Test
  void writesMatchBitByBitModel() {
    Random rnd = new Random(7);
    for (int round = 0; round < 200; round++) {
      int header = rnd.nextInt(4);
      BitWriter w = new BitWriter(header, 1 + rnd.nextInt(24));
      BitWriter model = new BitWriter(header, 16);
      int n = rnd.nextInt(300);
      long[] values = new long[n];
      int[] widths = new int[n];
      for (int i = 0; i < n; i++) {
        widths[i] = 1 + rnd.nextInt(64);
        values[i] = rnd.nextLong(); // high bits beyond the width must be ignored
        w.writeBits(values[i], widths[i]);
        for (int b = widths[i] - 1; b >= 0; b--) {
          model.writeBit(((values[i] >>> b) & 1) == 1);
        }
        if (rnd.nextInt(20) == 0) {
          w.trim(); // leaves less than a long of room: the byte-wise path
        }
        if (rnd.nextInt(40) == 0) {
          w = new BitWriter(w.buffer(), 0, w.byteLength(), w.bitLength()); // as a resume does
        }
      }
      assertEquals(model.bitLength(), w.bitLength());
      assertArrayEquals(Arrays.copyOf(model.buffer(), model.byteLength()),
          Arrays.copyOf(w.buffer(), w.byteLength()));
      BitReader r = new BitReader();
      r.open(w.buffer(), header, w.byteLength());
      for (int i = 0; i < n; i++) {
        long mask = widths[i] == 64 ? -1L : (1L << widths[i]) - 1;
        assertEquals(values[i] & mask, r.readBits(widths[i]), "round " + round + " field " + i);
      }
      assertFalse(r.eof());
    }
  }

  @Test
  void uvarintsRoundTrip() {
    long[] values = {0, 1, 127, 128, 300, 1L << 35, Long.MAX_VALUE, -1, Long.MIN_VALUE};
    BitWriter w = new BitWriter(0, 8);
    w.writeBit(true); // off a byte boundary
    for (long v : values) {
      w.writeUvarint(v);
    }
    BitReader r = new BitReader();
    r.open(w.buffer(), 0, w.byteLength());
    assertEquals(1, r.readBit());
    for (long v : values) {
      assertEquals(v, r.readUvarint());
    }
    assertFalse(r.eof());
  }
}
