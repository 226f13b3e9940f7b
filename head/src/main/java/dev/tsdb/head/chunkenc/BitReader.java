package dev.tsdb.head.chunkenc;

import java.nio.ByteBuffer;

/**
 * Reads what {@link BitWriter} writes, for every chunk encoding, from a byte[] or ByteBuffer range
 * (see {@link ChunkBytes}), through a 64-bit buffer. Running past the end sets {@link #eof()} and
 * yields zeros; callers check it once per sample rather than per field. {@link #readXor} leaves
 * the value's new window in {@link #window()}.
 *
 * <p>{@link XorIterator} extends it rather than holding one: the bit state then lives in the
 * iterator itself, which keeps float decoding as fast as a private copy of this code was.
 */
class BitReader {
  private final ChunkBytes src = new ChunkBytes();
  private int start;
  private int pos; // next byte to load into the buffer
  private int end;
  private long buffer; // the low `valid` bits are unread, most significant first
  private int valid;
  private boolean eof;
  private int window;

  final void open(byte[] b, int from, int to) {
    src.use(b);
    rewind(from, to);
  }

  /** Reads {@code b[from, to)} by absolute index (the buffer's position and order are ignored). */
  final void open(ByteBuffer b, int from, int to) {
    src.use(b);
    rewind(from, to);
  }

  private void rewind(int from, int to) {
    start = from;
    pos = from;
    end = to;
    buffer = 0;
    valid = 0;
    eof = false;
  }

  final boolean eof() {
    return eof;
  }

  /** Marks the stream as unreadable: a field decoded to something impossible. */
  final void corrupt() {
    eof = true;
  }

  /** Bits read since {@link #reset}. */
  int bitsConsumed() {
    return (pos - start) * 8 - valid;
  }

  int window() {
    return window;
  }

  final int readBit() {
    if (valid == 0 && !refill()) {
      eof = true;
      return 0;
    }
    valid--;
    return (int) (buffer >>> valid) & 1;
  }

  /** Reads nbits (1..64) as the low bits of the result. */
  final long readBits(int nbits) {
    if (nbits <= valid) {
      valid -= nbits;
      return (buffer >>> valid) & mask(nbits);
    }
    long hi = buffer & mask(valid);
    int need = nbits - valid;
    valid = 0;
    if (!refill() || valid < need) {
      eof = true;
      valid = 0;
      return 0;
    }
    valid -= need;
    return (hi << need) | ((buffer >>> valid) & mask(need));
  }

  /** The number of leading 1 bits, up to {@code max}, consuming them and the 0 that ends them. */
  private int readPrefix(int max) {
    if (valid >= max + 1) {
      // Fast path: count the leading ones among the next max+1 buffered bits.
      long next = buffer << (64 - valid); // unread bits at the top
      int ones = Math.min(Long.numberOfLeadingZeros(~next), max);
      valid -= ones < max ? ones + 1 : ones;
      return ones;
    }
    int ones = 0;
    while (ones < max && readBit() == 1) {
      ones++;
    }
    return ones;
  }

  private static final int[] WIDTHS = {0, 3, 6, 9, 12, 18, 25, 56, 64};

  long readVarbitInt() {
    int ones = readPrefix(8);
    if (ones == 0) {
      return 0;
    }
    int sz = WIDTHS[ones];
    long bits = readBits(sz);
    if (sz < 64 && bits > (1L << (sz - 1))) {
      bits -= 1L << sz; // the upper half of the range is negative (see BitWriter.fits)
    }
    return bits;
  }

  /** A Go uvarint written as whole 8-bit groups ({@link BitWriter#writeUvarint}). */
  long readUvarint() {
    long x = 0;
    for (int shift = 0, i = 0; i < 10; i++, shift += 7) {
      long b = readBits(8);
      if (eof) {
        return 0;
      }
      if (b < 0x80) {
        if (i == 9 && b > 1) {
          eof = true; // overflows 64 bits
          return 0;
        }
        return x | (b << shift);
      }
      x |= (b & 0x7f) << shift;
    }
    eof = true;
    return 0;
  }

  long readVarbitUint() {
    int ones = readPrefix(8);
    return ones == 0 ? 0 : readBits(WIDTHS[ones]);
  }

  /**
   * The float bits after applying one XOR record to {@code oldBits}; a '10' record before any
   * window is corrupt. ({@link XorIterator} decodes its single value stream itself, with fields
   * rather than a packed window: measurably faster on the float query path.)
   */
  long readXor(long oldBits, int window) {
    this.window = window;
    if (readBit() == 0) {
      return oldBits;
    }
    if (readBit() == 1) {
      long ctl = readBits(11);
      int leading = (int) (ctl >>> 6);
      int sig = (int) (ctl & 63);
      if (sig == 0) {
        sig = 64;
      }
      int trailing = 64 - leading - sig;
      if (trailing < 0) {
        eof = true; // corrupt: more bits than a long
        return oldBits;
      }
      this.window = (leading << 8) | trailing;
    } else if (window == BitWriter.NO_WINDOW) {
      eof = true; // '10' before any window: corrupt
      return oldBits;
    }
    int leading = this.window >>> 8;
    int trailing = this.window & 0xff;
    return oldBits ^ (readBits(64 - leading - trailing) << trailing);
  }

  private static long mask(int n) {
    return n >= 64 ? -1L : (1L << n) - 1;
  }

  private boolean refill() {
    int remaining = end - pos;
    if (remaining <= 0) {
      return false;
    }
    if (remaining >= 8) {
      buffer = src.longAt(pos);
      pos += 8;
      valid = 64;
      return true;
    }
    long b = 0;
    for (int i = 0; i < remaining; i++) {
      b = (b << 8) | src.byteAt(pos + i);
    }
    buffer = b;
    pos = end;
    valid = remaining * 8;
    return true;
  }
}
