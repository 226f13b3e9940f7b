package dev.tsdb.index.format;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A growable byte array that the file-format writers (index, WAL records, chunks) encode into.
 * Reused across records so the steady-state ingest path allocates nothing: it only grows
 * (doubling) until it fits the largest record seen.
 *
 * <p>Integers use the Go encodings Prometheus's formats use: big-endian fixed width, unsigned
 * LEB128 "uvarint" and zig-zag signed "varint" ({@link Varint}); strings are UTF-8.
 */
public final class EncodeBuffer {
  private byte[] buf;
  private int len;

  public EncodeBuffer() {
    this(1024);
  }

  public EncodeBuffer(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  public EncodeBuffer reset() {
    len = 0;
    return this;
  }

  public int length() {
    return len;
  }

  /** The backing array; bytes {@code [0, length())} hold the data. Valid until the next write. */
  public byte[] array() {
    return buf;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  /** A view of the current contents (allocates a small wrapper; not for the hot path). */
  public ByteBuffer asByteBuffer() {
    return ByteBuffer.wrap(buf, 0, len);
  }

  public void ensureSpare(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  public EncodeBuffer putByte(int b) {
    ensureSpare(1);
    buf[len++] = (byte) b;
    return this;
  }

  public EncodeBuffer putBytes(byte[] b, int off, int n) {
    ensureSpare(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
    return this;
  }

  public EncodeBuffer putBE32(int v) {
    ensureSpare(4);
    setBE32(len, v);
    len += 4;
    return this;
  }

  public EncodeBuffer putBE64(long v) {
    ensureSpare(8);
    len += 8;
    setBE64(len - 8, v);
    return this;
  }

  /** Unsigned LEB128, as Go's binary.PutUvarint (at most 10 bytes). */
  public EncodeBuffer putUvarint(long v) {
    ensureSpare(Varint.MAX_LENGTH);
    len = Varint.putUvarint(buf, len, v);
    return this;
  }

  /** Zig-zag signed varint, as Go's binary.PutVarint. */
  public EncodeBuffer putVarint(long v) {
    return putUvarint(Varint.zigzag(v));
  }

  public EncodeBuffer putUvarintBytes(byte[] b) {
    putUvarint(b.length);
    return putBytes(b, 0, b.length);
  }

  /** A uvarint byte length followed by the string's UTF-8 bytes, without allocating. */
  public EncodeBuffer putUvarintStr(String s) {
    int n = Utf8Bytes.encodedLength(s);
    putUvarint(n);
    ensureSpare(n);
    len = Utf8Bytes.encode(s, buf, len);
    return this;
  }

  /** Overwrites 4 bytes at {@code at} with a big-endian int (for lengths known afterwards). */
  public void setBE32(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  /** Overwrites 8 bytes at {@code at} (which must be below length()) big-endian. */
  public void setBE64(int at, long v) {
    if (at < 0 || at + 8 > len) {
      throw new IndexOutOfBoundsException(at);
    }
    setBE32(at, (int) (v >>> 32));
    setBE32(at + 4, (int) v);
  }

  /** CRC32C of bytes [from, length()). */
  public int crc32c(int from) {
    CRC32C c = new CRC32C();
    c.update(buf, from, len - from);
    return (int) c.getValue();
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, len);
  }
}
