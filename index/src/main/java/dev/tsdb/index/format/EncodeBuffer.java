package dev.tsdb.index.format;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/** A growable byte buffer with the encodings the TSDB file formats use (all big-endian). */
public final class EncodeBuffer {
  private byte[] buf;
  private int len;

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

  public byte[] array() {
    return buf;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  public EncodeBuffer putByte(int b) {
    ensure(1);
    buf[len++] = (byte) b;
    return this;
  }

  public EncodeBuffer putBytes(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
    return this;
  }

  public EncodeBuffer putBE32(int v) {
    ensure(4);
    buf[len] = (byte) (v >>> 24);
    buf[len + 1] = (byte) (v >>> 16);
    buf[len + 2] = (byte) (v >>> 8);
    buf[len + 3] = (byte) v;
    len += 4;
    return this;
  }

  public EncodeBuffer putBE64(long v) {
    putBE32((int) (v >>> 32));
    return putBE32((int) v);
  }

  public EncodeBuffer putUvarint(long v) {
    ensure(Varint.MAX_LENGTH);
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

  public EncodeBuffer putUvarintStr(String s) {
    return putUvarintBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Overwrites 4 bytes at {@code at} with a big-endian int (for lengths known afterwards). */
  public void setBE32(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  /** CRC32C of bytes [from, len). */
  public int crc32c(int from) {
    CRC32C c = new CRC32C();
    c.update(buf, from, len - from);
    return (int) c.getValue();
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, len);
  }
}
