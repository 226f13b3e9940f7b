package dev.tsdb.head.chunkenc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Where a chunk iterator's bytes live: a byte[] (head chunks) or a ByteBuffer (for example a
 * memory-mapped block segment), read by absolute index and always big-endian, whatever the
 * buffer's own byte order. One object per iterator, re-pointed on each reset.
 */
final class ChunkBytes {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] arr; // exactly one of arr / bb is set
  private ByteBuffer bb;
  private boolean bbLittleEndian;

  void use(byte[] b) {
    arr = b;
    bb = null;
  }

  void use(ByteBuffer b) {
    arr = null;
    bb = b;
    bbLittleEndian = b.order() == ByteOrder.LITTLE_ENDIAN;
  }

  /** The 8 bytes at {@code i} as a big-endian long. */
  long longAt(int i) {
    if (arr != null) {
      return (long) LONG_BE.get(arr, i);
    }
    long v = bb.getLong(i);
    return bbLittleEndian ? Long.reverseBytes(v) : v;
  }

  /** The byte at {@code i}, unsigned. */
  int byteAt(int i) {
    return arr != null ? arr[i] & 0xff : bb.get(i) & 0xff;
  }
}
