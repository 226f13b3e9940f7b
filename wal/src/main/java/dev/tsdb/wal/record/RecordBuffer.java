package dev.tsdb.wal.record;

import dev.tsdb.index.format.Varint;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable byte array that encoders write one record into. Reused across records so the
 * steady-state ingest path allocates nothing: it only grows (doubling) until it fits the largest
 * record seen.
 *
 * <p>Integers use the Go encodings Prometheus uses: big-endian fixed width, unsigned LEB128
 * "uvarint", and zig-zag signed "varint" (encoding/binary.PutVarint).
 */
public final class RecordBuffer {
  private byte[] buf;
  private int size;

  public RecordBuffer() {
    this(1024);
  }

  public RecordBuffer(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  public RecordBuffer clear() {
    size = 0;
    return this;
  }

  public int size() {
    return size;
  }

  /** The backing array; bytes {@code [0, size())} hold the record. Valid until the next write. */
  public byte[] array() {
    return buf;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  /** A view of the current contents (allocates a small wrapper; not for the hot path). */
  public ByteBuffer asByteBuffer() {
    return ByteBuffer.wrap(buf, 0, size);
  }

  public void ensureSpare(int n) {
    int need = size + n;
    if (need > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
    }
  }

  public void putByte(int b) {
    ensureSpare(1);
    buf[size++] = (byte) b;
  }

  public void putBytes(byte[] src, int off, int len) {
    ensureSpare(len);
    System.arraycopy(src, off, buf, size, len);
    size += len;
  }

  public void putBE32(int v) {
    ensureSpare(4);
    buf[size] = (byte) (v >>> 24);
    buf[size + 1] = (byte) (v >>> 16);
    buf[size + 2] = (byte) (v >>> 8);
    buf[size + 3] = (byte) v;
    size += 4;
  }

  public void putBE64(long v) {
    ensureSpare(8);
    byte[] b = buf;
    int p = size;
    b[p] = (byte) (v >>> 56);
    b[p + 1] = (byte) (v >>> 48);
    b[p + 2] = (byte) (v >>> 40);
    b[p + 3] = (byte) (v >>> 32);
    b[p + 4] = (byte) (v >>> 24);
    b[p + 5] = (byte) (v >>> 16);
    b[p + 6] = (byte) (v >>> 8);
    b[p + 7] = (byte) v;
    size = p + 8;
  }

  /** Overwrites 8 bytes at {@code at} (which must be below size()) big-endian. */
  public void setBE64(int at, long v) {
    if (at < 0 || at + 8 > size) {
      throw new IndexOutOfBoundsException(at);
    }
    for (int i = 7; i >= 0; i--) {
      buf[at + i] = (byte) v;
      v >>>= 8;
    }
  }

  /** Unsigned LEB128, as Go's binary.PutUvarint (at most 10 bytes). */
  public void putUvarint(long v) {
    ensureSpare(Varint.MAX_LENGTH);
    size = Varint.putUvarint(buf, size, v);
  }

  /** Zig-zag signed varint, as Go's binary.PutVarint. */
  public void putVarint(long v) {
    putUvarint(Varint.zigzag(v));
  }

  /** A uvarint byte length followed by the string's UTF-8 bytes, without allocating. */
  public void putUvarintString(String s) {
    int n = Utf8.encodedLength(s);
    putUvarint(n);
    ensureSpare(n);
    size = Utf8.encode(s, buf, size);
  }
}
