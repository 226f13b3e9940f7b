package dev.tsdb.head;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A completed head chunk kept as one byte array: {@code minT int64 BE | maxT int64 BE | encoding
 * byte | chunk data} (the encoding as in {@link dev.tsdb.head.chunkenc.ChunkEncoding}). Packing
 * the time range and encoding into the array saves parallel arrays per series. Every encoding's
 * data starts with its sample count as uint16 BE.
 *
 * <p>Once written to {@code chunks_head/}, a chunk is replaced by a stub of the same prefix (its
 * encoding byte flagged {@link #MAPPED}) followed by the sample count (uint16 BE, where the data
 * would start), the chunk reference (int64 BE) and the data length (int32 BE): the data is read
 * through the mapping ({@link dev.tsdb.head.mmap.HeadChunkFiles}).
 */
final class SealedChunk {
  static final int PREFIX = 17;
  private static final int ENCODING = 16;
  /** Flag on the encoding byte of a stub whose data lives in a head chunk file. */
  static final byte MAPPED = 0x40;
  private static final int STUB_LENGTH = PREFIX + 2 + 8 + 4;
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private SealedChunk() {}

  static byte[] of(long minT, long maxT, byte encoding, byte[] data, int len) {
    byte[] out = new byte[PREFIX + len];
    LONG_BE.set(out, 0, minT);
    LONG_BE.set(out, 8, maxT);
    out[ENCODING] = encoding;
    System.arraycopy(data, 0, out, PREFIX, len);
    return out;
  }

  /** The stub standing for {@code c} once written at {@code chunkRef}. */
  static byte[] mapped(byte[] c, long chunkRef) {
    byte[] out = new byte[STUB_LENGTH];
    System.arraycopy(c, 0, out, 0, PREFIX + 2);
    out[ENCODING] = (byte) (c[ENCODING] | MAPPED);
    LONG_BE.set(out, PREFIX + 2, chunkRef);
    INT_BE.set(out, PREFIX + 10, c.length - PREFIX);
    return out;
  }

  /** A stub for a chunk loaded from a head chunk file. */
  static byte[] mapped(long minT, long maxT, byte encoding, int numSamples, long chunkRef,
      int dataLen) {
    byte[] out = new byte[STUB_LENGTH];
    LONG_BE.set(out, 0, minT);
    LONG_BE.set(out, 8, maxT);
    out[ENCODING] = (byte) (encoding | MAPPED);
    out[PREFIX] = (byte) (numSamples >>> 8);
    out[PREFIX + 1] = (byte) numSamples;
    LONG_BE.set(out, PREFIX + 2, chunkRef);
    INT_BE.set(out, PREFIX + 10, dataLen);
    return out;
  }

  static boolean isMapped(byte[] c) {
    return (c[ENCODING] & MAPPED) != 0;
  }

  /** Reference of a stub's chunk in the head chunk files. */
  static long chunkRef(byte[] c) {
    return (long) LONG_BE.get(c, PREFIX + 2);
  }

  /** Data length of a stub's chunk. */
  static int mappedLength(byte[] c) {
    return (int) INT_BE.get(c, PREFIX + 10);
  }

  static byte encoding(byte[] c) {
    return (byte) (c[ENCODING] & ~MAPPED);
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

  /** Data length of an in-memory chunk (not a stub). */
  static int dataLength(byte[] c) {
    return c.length - PREFIX;
  }
}
