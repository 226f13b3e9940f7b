package dev.tsdb.index.format;

import java.nio.charset.StandardCharsets;

/**
 * A cursor that decodes numbers and strings from a {@link MappedBytes} between a position and a
 * limit. Reading past the limit throws {@link CorruptIndexException}. Not thread-safe; cheap to
 * create and reusable via {@link #reset}.
 */
public final class Decoder {
  private final MappedBytes b;
  private long pos;
  private long limit;
  private byte[] scratch = new byte[64];
  private final int[] n = new int[1];

  public Decoder(MappedBytes b) {
    this.b = b;
  }

  public Decoder reset(long pos, long limit) {
    this.pos = pos;
    this.limit = limit;
    return this;
  }

  public long position() {
    return pos;
  }

  public long remaining() {
    return limit - pos;
  }

  public MappedBytes bytes() {
    return b;
  }

  private void need(long k) {
    if (pos + k > limit) {
      throw new CorruptIndexException(
          b.name() + ": read of " + k + " bytes at " + pos + " beyond section end " + limit);
    }
  }

  public void skip(long k) {
    need(k);
    pos += k;
  }

  public int byte1() {
    need(1);
    return b.get(pos++) & 0xff;
  }

  public int be32() {
    need(4);
    int v = b.getInt(pos);
    pos += 4;
    return v;
  }

  public long be64() {
    need(8);
    long v = b.getLong(pos);
    pos += 8;
    return v;
  }

  public long uvarint() {
    long v = b.uvarintAt(pos, n);
    need(n[0]);
    pos += n[0];
    return v;
  }

  /** A uvarint that must fit a non-negative int. */
  public int uvarint32() {
    long v = uvarint();
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new CorruptIndexException(b.name() + ": value " + v + " too large at " + pos);
    }
    return (int) v;
  }

  public long varint() {
    return Varint.unzigzag(uvarint());
  }

  /** Skips a uvarint-length-prefixed byte string. */
  public void skipUvarintBytes() {
    skip(uvarint32());
  }

  public String uvarintStr() {
    int len = uvarint32();
    need(len);
    if (scratch.length < len) {
      scratch = new byte[Math.max(len, scratch.length * 2)];
    }
    b.copy(pos, scratch, 0, len);
    pos += len;
    return new String(scratch, 0, len, StandardCharsets.UTF_8);
  }

  /**
   * Compares the uvarint-length-prefixed string at the cursor with {@code utf8} (unsigned byte
   * order, as Go compares strings) and advances past it.
   */
  public int compareUvarintStr(byte[] utf8) {
    int len = uvarint32();
    need(len);
    int c = b.compareUtf8(pos, len, utf8);
    pos += len;
    return c;
  }
}
