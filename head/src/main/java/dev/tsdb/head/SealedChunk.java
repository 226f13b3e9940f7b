package dev.tsdb.head;

import dev.tsdb.head.chunkenc.XorAppender;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A completed head chunk kept as one byte array: {@code minT int64 BE | maxT int64 BE | XOR chunk
 * data}. Packing the time range into the array saves two parallel arrays per series.
 */
final class SealedChunk {
  static final int PREFIX = 16;
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private SealedChunk() {}

  static byte[] of(long minT, long maxT, XorAppender app) {
    int len = app.byteLength();
    byte[] out = new byte[PREFIX + len];
    LONG_BE.set(out, 0, minT);
    LONG_BE.set(out, 8, maxT);
    System.arraycopy(app.buffer(), 0, out, PREFIX, len);
    return out;
  }

  static long minT(byte[] c) {
    return (long) LONG_BE.get(c, 0);
  }

  static long maxT(byte[] c) {
    return (long) LONG_BE.get(c, 8);
  }

  static int numSamples(byte[] c) {
    return ((c[PREFIX] & 0xff) << 8) | (c[PREFIX + 1] & 0xff);
  }

  static int dataLength(byte[] c) {
    return c.length - PREFIX;
  }
}
