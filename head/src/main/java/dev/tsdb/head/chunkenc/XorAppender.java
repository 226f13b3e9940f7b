package dev.tsdb.head.chunkenc;

import dev.tsdb.index.format.Varint;
import java.util.Arrays;

/**
 * An open XOR chunk being appended to: Prometheus's Gorilla-style float encoding, bit for bit.
 *
 * <p>Layout (see Prometheus tsdb/docs/format/chunks.md, "XOR chunk data"):
 *
 * <pre>
 * num_samples uint16 BE | ts_0 varint | v_0 64 bits | ts_1_delta uvarint | v_1 xor
 *   | ts_n dod varbit | v_n xor | ... | zero padding to a byte boundary
 * </pre>
 *
 * Timestamp delta-of-delta buckets: '0' for 0; '10'+14 bits, '110'+17 bits, '1110'+20 bits for
 * values in (-(2^(n-1)-1) .. 2^(n-1)]; '1111'+64 bits otherwise. Value XOR against the previous
 * value: '0' when equal; '10' + meaningful bits when they fit the previous leading/trailing-zero
 * window; '11' + 5 bits leading zeros (clamped to 31) + 6 bits significant-bit count (64 written
 * as 0) + the significant bits otherwise. Bits are written most significant first.
 *
 * <p>Byte length is Prometheus 3's: the bits rounded up to whole bytes. Prometheus 2.x's bstream
 * left one extra zero byte behind a whole-byte write that started on a byte boundary (always after
 * a chunk's first sample, sometimes after a value); prometheus/prometheus#14854 (in 3.0) dropped
 * it. Readers decode by the sample count in the header, so chunks with or without that byte both
 * read (here and in every Prometheus), and {@link #resume} continues either form.
 *
 * <p>Single writer. Concurrent readers are safe if they snapshot {@link #buffer()},
 * {@link #byteLength()} and {@link #numSamples()} under a lock the writer also takes, and then
 * decode only that many samples: later appends only OR bits into positions after the snapshot or
 * write into a new array.
 */
public final class XorAppender {
  static final int HEADER_BYTES = 2;
  private static final int DEFAULT_CAPACITY = 32;

  private byte[] buf;
  private int bitPos = HEADER_BYTES * 8; // bits written, header included
  private int num;
  private long t;
  private long vBits;
  private long tDelta;
  private int leading = 0xff; // 0xff: no window yet
  private int trailing;

  public XorAppender() {
    this(DEFAULT_CAPACITY);
  }

  /** An empty chunk whose buffer starts at the given capacity in bytes (at least 16). */
  public XorAppender(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  /**
   * Continues appending to an existing chunk (copied), with the state Prometheus's appender would
   * have after writing all its samples. A Prometheus 2.x chunk's extra trailing zero byte is
   * dropped: appends continue right after the last sample's bits.
   *
   * @throws IllegalArgumentException when the chunk does not decode
   */
  public static XorAppender resume(byte[] chunk, int off, int len) {
    XorAppender a = new XorAppender(len + 16);
    System.arraycopy(chunk, off, a.buf, 0, len);
    XorIterator it = new XorIterator();
    it.reset(a.buf, 0, len);
    while (it.next() != dev.tsdb.index.storage.ValueType.NONE) {
      // walk to the end to recover the appender state
    }
    if (it.error() != null) {
      throw new IllegalArgumentException("corrupt XOR chunk", it.error());
    }
    a.num = it.numRead();
    a.bitPos = HEADER_BYTES * 8 + it.bitsConsumed();
    // Bits after the last sample must be zero for later ORs to be correct.
    int lastByte = a.bitPos >>> 3;
    if ((a.bitPos & 7) != 0) {
      a.buf[lastByte] &= (byte) (0xff << (8 - (a.bitPos & 7)));
      lastByte++;
    }
    Arrays.fill(a.buf, lastByte, a.buf.length, (byte) 0);
    a.t = it.t0();
    a.vBits = it.vBits();
    a.tDelta = it.tDelta();
    // Prometheus's resumed appender would take the iterator's 0/0 window even when no window was
    // ever written, spending 64 bits on the next change; starting fresh is equally valid.
    a.leading = it.windowSeen() ? it.leading() : 0xff;
    a.trailing = it.trailing();
    return a;
  }

  public void append(long ts, double v) {
    long bits = Double.doubleToRawLongBits(v);
    if (num == 0) {
      writeUvarint(Varint.zigzag(ts));
      writeBits(bits, 64);
      tDelta = 0;
    } else if (num == 1) {
      long delta = ts - t;
      writeUvarint(delta);
      writeValue(bits);
      tDelta = delta;
    } else {
      long delta = ts - t;
      long dod = delta - tDelta;
      if (dod == 0) {
        writeBits(0, 1);
      } else if (fits(dod, 14)) {
        writeBits(0b10, 2);
        writeBits(dod, 14);
      } else if (fits(dod, 17)) {
        writeBits(0b110, 3);
        writeBits(dod, 17);
      } else if (fits(dod, 20)) {
        writeBits(0b1110, 4);
        writeBits(dod, 20);
      } else {
        writeBits(0b1111, 4);
        writeBits(dod, 64);
      }
      writeValue(bits);
      tDelta = delta;
    }
    t = ts;
    vBits = bits;
    num++;
    buf[0] = (byte) (num >>> 8);
    buf[1] = (byte) num;
  }

  /** Whether x lies in the symmetric range -(2^(n-1)-1) .. 2^(n-1) that n bits encode. */
  static boolean fits(long x, int nbits) {
    long half = 1L << (nbits - 1);
    return -(half - 1) <= x && x <= half;
  }

  private void writeValue(long bits) {
    long delta = bits ^ vBits;
    if (delta == 0) {
      writeBits(0, 1);
      return;
    }
    int lead = Long.numberOfLeadingZeros(delta);
    int trail = Long.numberOfTrailingZeros(delta);
    if (lead >= 32) {
      lead = 31; // 5 bits hold at most 31
    }
    if (leading != 0xff && lead >= leading && trail >= trailing) {
      // '10': fits the previous window
      writeBits(0b10, 2);
      writeBits(delta >>> trailing, 64 - leading - trailing);
    } else {
      leading = lead;
      trailing = trail;
      int sig = 64 - lead - trail;
      // '11' + 5 bits leading + 6 bits significant count (64 stored as 0)
      writeBits((0b11L << 11) | ((long) lead << 6) | (sig & 63), 13);
      writeBits(delta >>> trail, sig);
    }
  }

  private void writeUvarint(long x) {
    while (Long.compareUnsigned(x, 0x80) >= 0) {
      writeBits((x & 0x7f) | 0x80, 8);
      x >>>= 7;
    }
    writeBits(x, 8);
  }

  /** Writes the low nbits (1..64) of u, most significant first. */
  private void writeBits(long u, int nbits) {
    int end = bitPos + nbits;
    if (((end + 7) >>> 3) > buf.length) {
      grow((end + 7) >>> 3);
    }
    byte[] b = buf;
    int pos = bitPos;
    int left = nbits;
    while (left > 0) {
      int free = 8 - (pos & 7);
      int take = Math.min(free, left);
      int chunk = (int) (u >>> (left - take)) & ((1 << take) - 1);
      b[pos >>> 3] |= (byte) (chunk << (free - take));
      pos += take;
      left -= take;
    }
    bitPos = end;
  }

  private void grow(int minBytes) {
    // Grow by a quarter: an open chunk wastes little memory, and the copies (a few per chunk)
    // cost far less than the samples being encoded.
    int cap = Math.max(minBytes + 8, buf.length + (buf.length >>> 2) + 16);
    buf = Arrays.copyOf(buf, cap);
  }

  public int numSamples() {
    return num;
  }

  /** Length of the chunk data in bytes, as Prometheus 3's Chunk.Bytes() would have it. */
  public int byteLength() {
    return (bitPos + 7) >>> 3;
  }

  /**
   * The live backing array; bytes {@code [0, byteLength())} are the chunk. Replaced (not
   * mutated beyond the current end) when it grows.
   */
  public byte[] buffer() {
    return buf;
  }

  /** An exact-length copy of the chunk bytes. */
  public byte[] toBytes() {
    return Arrays.copyOf(buf, byteLength());
  }

  /** Drops spare capacity (keeps a few bytes so the next append does not copy at once). */
  public void trim() {
    int need = byteLength() + 1;
    if (buf.length > need + 8) {
      buf = Arrays.copyOf(buf, need);
    }
  }

  /** Bytes held by the backing array, for memory accounting. */
  public int capacity() {
    return buf.length;
  }

  public long lastTimestamp() {
    return t;
  }

  public double lastValue() {
    return Double.longBitsToDouble(vBits);
  }

  /** An iterator over what has been appended so far. */
  public XorIterator iterator(XorIterator reuse) {
    XorIterator it = reuse != null ? reuse : new XorIterator();
    it.reset(buf, 0, byteLength(), num);
    return it;
  }
}
