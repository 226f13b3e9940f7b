package dev.tsdb.head.chunkenc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protobuf writer for the remote-write requests and remote-read queries the
 * Prometheus interop tests send.
 */
final class Proto {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A remote-write Label message. */
  static Proto label(String name, String value) {
    Proto l = new Proto();
    l.string(1, name);
    l.string(2, value);
    return l;
  }

  static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  void rawVarint(long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  void varint(int field, long v) {
    rawVarint((long) field << 3);
    rawVarint(v);
  }

  void fixed64(int field, long v) {
    rawVarint((long) field << 3 | 1);
    rawFixed64(v);
  }

  private void rawFixed64(long v) {
    for (int i = 0; i < 8; i++) {
      out.write((int) (v >>> (8 * i)));
    }
  }

  void bytes(int field, byte[] b) {
    rawVarint((long) field << 3 | 2);
    rawVarint(b.length);
    out.writeBytes(b);
  }

  void string(int field, String s) {
    bytes(field, s.getBytes(StandardCharsets.UTF_8));
  }

  void message(int field, Proto m) {
    bytes(field, m.bytes());
  }

  void packedSint(int field, long[] vs) {
    if (vs.length == 0) {
      return;
    }
    Proto p = new Proto();
    for (long v : vs) {
      p.rawVarint(zigzag(v));
    }
    bytes(field, p.bytes());
  }

  void packedDouble(int field, double[] vs) {
    if (vs.length == 0) {
      return;
    }
    Proto p = new Proto();
    for (double v : vs) {
      p.rawFixed64(Double.doubleToRawLongBits(v));
    }
    bytes(field, p.bytes());
  }

  byte[] bytes() {
    return out.toByteArray();
  }
}
