package dev.tsdb.index.format;

/**
 * Go's encoding/binary variable-length integers, as every Prometheus storage format (index,
 * chunks, tombstones, WAL records, XOR chunks) writes them: "uvarint" is unsigned LEB128 (7 bits
 * a byte, least significant first, high bit set on all but the last byte, at most 10 bytes) and
 * "varint" is a uvarint of the zig-zag mapping, which keeps small negative numbers short.
 * Readers and writers keep their own loops over their own sources (arrays, mapped windows, bit
 * streams); these are the parts that are the same everywhere.
 */
public final class Varint {
  /** The most bytes a uvarint of a 64-bit value takes. */
  public static final int MAX_LENGTH = 10;

  private Varint() {}

  /** The zig-zag mapping of a signed value (0, -1, 1, -2 ... to 0, 1, 2, 3 ...). */
  public static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  /** The inverse of {@link #zigzag}. */
  public static long unzigzag(long u) {
    return (u >>> 1) ^ -(u & 1);
  }

  /**
   * Writes {@code v} as a uvarint at {@code pos} (the caller leaves {@link #MAX_LENGTH} bytes of
   * room) and returns the position after it.
   */
  public static int putUvarint(byte[] b, int pos, long v) {
    while ((v & ~0x7FL) != 0) {
      b[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[pos++] = (byte) v;
    return pos;
  }
}
