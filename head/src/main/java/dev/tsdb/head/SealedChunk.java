package dev.tsdb.head;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A completed head chunk kept as one byte array: {@code minT int64 BE | maxT int64 BE | encoding
 * byte | chunk data} (the encoding as in {@link dev.tsdb.head.chunkenc.ChunkEncoding}). Packing
 * the time range and encoding into the array saves parallel arrays per series. Every encoding's
 * data starts with its sample count as uint16 BE.
 */
final class SealedChunk {
  static final int PREFIX = 17;
  private static final int ENCODING = 16;
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private SealedChunk() {}

  static byte[] of(long minT, long maxT, byte encoding, byte[] data, int len) {
    byte[] out = new byte[PREFIX + len];
    LONG_BE.set(out, 0, minT);
    LONG_BE.set(out, 8, maxT);
    out[ENCODING] = encoding;
    System.arraycopy(data, 0, out, PREFIX, len);
    return out;
  }

  static byte encoding(byte[] c) {
    return c[ENCODING];
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
