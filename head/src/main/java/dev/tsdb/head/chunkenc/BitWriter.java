package dev.tsdb.head.chunkenc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The growing bit stream of every chunk encoding (XOR, histogram, float histogram), most
 * significant bit first, with Prometheus 3's byte length (the bits rounded up to whole bytes;
 * unlike Prometheus 2's bstream, 3.x never leaves an extra zero byte behind a whole-byte write).
 *
 * <p>Bits are only ever ORed into bytes at or after the current end, so a reader that snapshots
 * {@link #buffer()} and a length under the writer's lock reads stable bytes (see
 * {@link XorAppender}).
 *
 * <p>Also holds the variable-width codecs the chunks use: uvarints (XOR chunks' first timestamps),
 * varbit ints and uints (bucket prefixes 0, 10, 110, ... up to 8 ones, see chunks.md) and the
 * Gorilla XOR of float bits. An XOR
 * "window" (the leading/trailing zero counts the previous XOR of a value set) is packed into one
 * int, {@code leading << 8 | trailing}, so per-bucket windows live in an int[];
 * {@link #NO_WINDOW} means none yet.
 */
final class BitWriter {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  static final int NO_WINDOW = 0xff << 8;

  private byte[] buf;
  private int bitPos;

  /**
   * A stream whose first {@code headerBytes} bytes are zero and reserved for a header, in a
   * buffer of {@code initialCapacity} bytes (at least the header and 8 more).
   */
  BitWriter(int headerBytes, int initialCapacity) {
    buf = new byte[Math.max(headerBytes + 8, initialCapacity)];
    bitPos = headerBytes * 8;
  }

  /** Continues a stream: copies {@code len} bytes and positions after {@code bits} bits. */
  BitWriter(byte[] src, int off, int len, int bits) {
    buf = Arrays.copyOf(Arrays.copyOfRange(src, off, off + len), len + 16);
    bitPos = bits;
    // Whatever lies after the last bit must be zero, since writes OR into the buffer.
    int lastByte = bits >>> 3;
    if ((bits & 7) != 0) {
      buf[lastByte] &= (byte) (0xff << (8 - (bits & 7)));
      lastByte++;
    }
    Arrays.fill(buf, lastByte, buf.length, (byte) 0);
  }

  void writeBit(boolean one) {
    ensure(bitPos + 1);
    if (one) {
      buf[bitPos >>> 3] |= (byte) (0x80 >>> (bitPos & 7));
    }
    bitPos++;
  }

  /** Writes the low nbits (1..64) of u, most significant first. */
  void writeBits(long u, int nbits) {
    int end = bitPos + nbits;
    ensure(end);
    int pos = bitPos;
    int idx = pos >>> 3;
    int used = pos & 7; // bits of buf[idx] already written
    byte[] b = buf;
    if (used + nbits <= 64 && idx + 8 <= b.length) {
      // One 8-byte read-modify-write: the bits fit the long starting at the current byte, and
      // ORing zeros into the bytes after the end leaves them as they are (zero).
      long bits = nbits == 64 ? u : u & ((1L << nbits) - 1);
      LONG_BE.set(b, idx, (long) LONG_BE.get(b, idx) | (bits << (64 - used - nbits)));
    } else {
      int left = nbits;
      while (left > 0) {
        int free = 8 - (pos & 7);
        int take = Math.min(free, left);
        int piece = (int) (u >>> (left - take)) & ((1 << take) - 1);
        b[pos >>> 3] |= (byte) (piece << (free - take));
        pos += take;
        left -= take;
      }
    }
    bitPos = end;
  }

  /** A Go uvarint (7 bits a byte, least significant group first), as whole 8-bit groups. */
  void writeUvarint(long x) {
    while (Long.compareUnsigned(x, 0x80) >= 0) {
      writeBits((x & 0x7f) | 0x80, 8);
      x >>>= 7;
    }
    writeBits(x, 8);
  }

  /** Whether x lies in the symmetric range -(2^(n-1)-1) .. 2^(n-1) that n varbit bits encode. */
  static boolean fits(long x, int nbits) {
    long half = 1L << (nbits - 1);
    return -(half - 1) <= x && x <= half;
  }

  /** Prometheus's putVarbitInt: 0 as '0', else a prefix of 1s naming the width, then the bits. */
  void writeVarbitInt(long v) {
    if (v == 0) {
      writeBit(false);
    } else if (fits(v, 3)) {
      writeBits((0b10L << 3) | (v & 0x7), 5);
    } else if (fits(v, 6)) {
      writeBits((0b110L << 6) | (v & 0x3f), 9);
    } else if (fits(v, 9)) {
      writeBits((0b1110L << 9) | (v & 0x1ff), 13);
    } else if (fits(v, 12)) {
      writeBits((0b11110L << 12) | (v & 0xfff), 17);
    } else if (fits(v, 18)) {
      writeBits((0b111110L << 18) | (v & 0x3ffff), 24);
    } else if (fits(v, 25)) {
      writeBits((0b1111110L << 25) | (v & 0x1ffffff), 32);
    } else if (fits(v, 56)) {
      writeBits(0b11111110, 8);
      writeBits(v, 56);
    } else {
      writeBits(0b11111111, 8);
      writeBits(v, 64);
    }
  }

  /** Prometheus's putVarbitUint: the same prefixes as {@link #writeVarbitInt}, for uint64s. */
  void writeVarbitUint(long v) {
    int lz = Long.numberOfLeadingZeros(v);
    if (v == 0) {
      writeBit(false);
    } else if (lz >= 64 - 3) {
      writeBits((0b10L << 3) | v, 5);
    } else if (lz >= 64 - 6) {
      writeBits((0b110L << 6) | v, 9);
    } else if (lz >= 64 - 9) {
      writeBits((0b1110L << 9) | v, 13);
    } else if (lz >= 64 - 12) {
      writeBits((0b11110L << 12) | v, 17);
    } else if (lz >= 64 - 18) {
      writeBits((0b111110L << 18) | v, 24);
    } else if (lz >= 64 - 25) {
      writeBits((0b1111110L << 25) | v, 32);
    } else if (lz >= 64 - 56) {
      writeBits(0b11111110, 8);
      writeBits(v, 56);
    } else {
      writeBits(0b11111111, 8);
      writeBits(v, 64);
    }
  }

  /**
   * Writes {@code newBits} XORed against {@code oldBits} (float bits) as in XOR chunks and
   * returns the window to use for the value's next XOR.
   */
  int writeXor(long newBits, long oldBits, int window) {
    long delta = newBits ^ oldBits;
    if (delta == 0) {
      writeBit(false);
      return window;
    }
    int lead = Math.min(Long.numberOfLeadingZeros(delta), 31); // 5 bits hold at most 31
    int trail = Long.numberOfTrailingZeros(delta);
    int leading = window >>> 8;
    int trailing = window & 0xff;
    // Control bits and value bits go out in one write when they fit 64 bits (most values).
    if (window != NO_WINDOW && lead >= leading && trail >= trailing) {
      int sig = 64 - leading - trailing;
      if (sig <= 62) {
        writeBits((0b10L << sig) | (delta >>> trailing), 2 + sig);
      } else {
        writeBits(0b10, 2);
        writeBits(delta >>> trailing, sig);
      }
      return window;
    }
    int sig = 64 - lead - trail;
    // '11' + 5 bits leading + 6 bits significant count (64 stored as 0)
    long control = (0b11L << 11) | ((long) lead << 6) | (sig & 63);
    if (sig <= 64 - 13) {
      writeBits((control << sig) | (delta >>> trail), 13 + sig);
    } else {
      writeBits(control, 13);
      writeBits(delta >>> trail, sig);
    }
    return (lead << 8) | trail;
  }

  private void ensure(int endBit) {
    int need = (endBit + 7) >>> 3;
    if (need > buf.length) {
      grow(need);
    }
  }

  private void grow(int minBytes) {
    // Grow by a quarter: an open chunk wastes little memory, and the copies (a few per chunk)
    // cost far less than the samples being encoded.
    buf = Arrays.copyOf(buf, Math.max(minBytes + 8, buf.length + (buf.length >>> 2) + 16));
  }

  void setByte(int index, int value) {
    buf[index] = (byte) value;
  }

  int getByte(int index) {
    return buf[index] & 0xff;
  }

  int bitLength() {
    return bitPos;
  }

  int byteLength() {
    return (bitPos + 7) >>> 3;
  }

  byte[] buffer() {
    return buf;
  }

  int capacity() {
    return buf.length;
  }

  /** Drops spare capacity (keeps a few bytes so the next write does not copy at once). */
  void trim() {
    int need = byteLength() + 1;
    if (buf.length > need + 8) {
      buf = Arrays.copyOf(buf, need);
    }
  }
}
