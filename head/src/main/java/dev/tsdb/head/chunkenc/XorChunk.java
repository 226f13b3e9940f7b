package dev.tsdb.head.chunkenc;

import java.util.Arrays;

/**
 * A complete XOR chunk held in {@code bytes[offset, offset+length)} (a view, not a copy). The
 * bytes are the chunk data exactly as stored in a block's chunk file between the encoding byte
 * and the CRC.
 */
public final class XorChunk {
  private final byte[] bytes;
  private final int offset;
  private final int length;

  private XorChunk(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < XorAppender.HEADER_BYTES || offset + length > bytes.length) {
      throw new IllegalArgumentException("bad chunk slice: off=" + offset + " len=" + length);
    }
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
  }

  public static XorChunk wrap(byte[] bytes) {
    return new XorChunk(bytes, 0, bytes.length);
  }

  public static XorChunk wrap(byte[] bytes, int offset, int length) {
    return new XorChunk(bytes, offset, length);
  }

  /** Encodes the given samples into a new chunk (timestamps must increase). */
  public static XorChunk encode(long[] ts, double[] vs, int from, int to) {
    XorAppender a = new XorAppender(16 + (to - from) * 2);
    for (int i = from; i < to; i++) {
      a.append(ts[i], vs[i]);
    }
    return wrap(a.toBytes());
  }

  public byte encoding() {
    return ChunkEncoding.XOR;
  }

  public int numSamples() {
    return numSamples(bytes, offset);
  }

  /** The sample count from a chunk's big-endian uint16 header at {@code off}. */
  public static int numSamples(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  public byte[] array() {
    return bytes;
  }

  public int offset() {
    return offset;
  }

  public int length() {
    return length;
  }

  public byte[] toByteArray() {
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }

  public XorIterator iterator(XorIterator reuse) {
    XorIterator it = reuse != null ? reuse : new XorIterator();
    return it.reset(bytes, offset, length);
  }

  /** An appender continuing this chunk (on a copy of its bytes). */
  public XorAppender appender() {
    return XorAppender.resume(bytes, offset, length);
  }
}
