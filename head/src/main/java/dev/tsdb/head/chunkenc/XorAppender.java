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

  private final BitWriter w;
  private int num;
  private long t;
  private long vBits;
  private long tDelta;
  private int window = BitWriter.NO_WINDOW; // the value's XOR window (see BitWriter)

  public XorAppender() {
    this(DEFAULT_CAPACITY);
  }

  /** An empty chunk whose buffer starts at the given capacity in bytes (at least 16). */
  public XorAppender(int initialCapacity) {
    this(new BitWriter(HEADER_BYTES, Math.max(16, initialCapacity)));
  }

  private XorAppender(BitWriter w) {
    this.w = w;
  }

  /**
   * Continues appending to an existing chunk (copied), with the state Prometheus's appender would
   * have after writing all its samples. A Prometheus 2.x chunk's extra trailing zero byte is
   * dropped: appends continue right after the last sample's bits.
   *
   * @throws IllegalArgumentException when the chunk does not decode
   */
  public static XorAppender resume(byte[] chunk, int off, int len) {
    XorIterator it = new XorIterator();
    it.reset(chunk, off, len);
    while (it.next() != dev.tsdb.index.storage.ValueType.NONE) {
      // walk to the end to recover the appender state
    }
    if (it.error() != null) {
      throw new IllegalArgumentException("corrupt XOR chunk", it.error());
    }
    XorAppender a =
        new XorAppender(new BitWriter(chunk, off, len, HEADER_BYTES * 8 + it.bitsConsumed()));
    a.num = it.numRead();
    a.t = it.t0();
    a.vBits = it.vBits();
    a.tDelta = it.tDelta();
    // Prometheus's resumed appender would take the iterator's 0/0 window even when no window was
    // ever written, spending 64 bits on the next change; starting fresh is equally valid.
    a.window = it.windowSeen() ? it.valueWindow() : BitWriter.NO_WINDOW;
    return a;
  }

  public void append(long ts, double v) {
    long bits = Double.doubleToRawLongBits(v);
    BitWriter w = this.w;
    if (num == 0) {
      w.writeUvarint(Varint.zigzag(ts));
      w.writeBits(bits, 64);
      tDelta = 0;
    } else if (num == 1) {
      long delta = ts - t;
      w.writeUvarint(delta);
      window = w.writeXor(bits, vBits, window);
      tDelta = delta;
    } else {
      long delta = ts - t;
      writeDod(w, delta - tDelta);
      window = w.writeXor(bits, vBits, window);
      tDelta = delta;
    }
    t = ts;
    vBits = bits;
    num++;
    w.setByte(0, num >>> 8);
    w.setByte(1, num);
  }

  /** A timestamp delta-of-delta: its bucket's prefix and bits in one write where they fit. */
  private static void writeDod(BitWriter w, long dod) {
    if (dod == 0) {
      w.writeBits(0, 1);
    } else if (BitWriter.fits(dod, 14)) {
      w.writeBits((0b10L << 14) | (dod & 0x3fff), 16);
    } else if (BitWriter.fits(dod, 17)) {
      w.writeBits((0b110L << 17) | (dod & 0x1ffff), 20);
    } else if (BitWriter.fits(dod, 20)) {
      w.writeBits((0b1110L << 20) | (dod & 0xfffff), 24);
    } else {
      w.writeBits(0b1111, 4);
      w.writeBits(dod, 64);
    }
  }

  public int numSamples() {
    return num;
  }

  /** Length of the chunk data in bytes, as Prometheus 3's Chunk.Bytes() would have it. */
  public int byteLength() {
    return w.byteLength();
  }

  /**
   * The live backing array; bytes {@code [0, byteLength())} are the chunk. Replaced (not
   * mutated beyond the current end) when it grows.
   */
  public byte[] buffer() {
    return w.buffer();
  }

  /** An exact-length copy of the chunk bytes. */
  public byte[] toBytes() {
    return Arrays.copyOf(w.buffer(), w.byteLength());
  }

  /** Drops spare capacity (keeps a few bytes so the next append does not copy at once). */
  public void trim() {
    w.trim();
  }

  /** Bytes held by the backing array, for memory accounting. */
  public int capacity() {
    return w.capacity();
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
    it.reset(w.buffer(), 0, w.byteLength(), num);
    return it;
  }
}
