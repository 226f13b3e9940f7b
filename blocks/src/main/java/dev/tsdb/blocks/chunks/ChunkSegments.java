package dev.tsdb.blocks.chunks;

import java.nio.file.Path;

/**
 * Constants of the chunk segment files in a block's {@code chunks/} directory
 * (tsdb/docs/format/chunks.md):
 *
 * <pre>
 * magic 0x85BD40DD &lt;4b&gt; | version 1 &lt;1b&gt; | padding &lt;3b&gt;
 * chunk*: len(data) &lt;uvarint&gt; | encoding &lt;1b&gt; | data | CRC32C(encoding, data) &lt;4b BE&gt;
 * </pre>
 *
 * Files are named 000001, 000002, ...; a chunk reference is (file index from 0) &lt;&lt; 32 | offset.
 */
public final class ChunkSegments {
  public static final int MAGIC = 0x85BD40DD;
  public static final int VERSION = 1;
  public static final int HEADER_SIZE = 8;
  public static final long DEFAULT_SEGMENT_SIZE = 512L * 1024 * 1024;
  /** Upper bound of a chunk's length field (a uvarint of a 32-bit length). */
  public static final int MAX_LENGTH_FIELD = 5;

  private ChunkSegments() {}

  public static Path segmentFile(Path dir, int sequence) {
    return dir.resolve(String.format("%06d", sequence));
  }

  public static long ref(int segmentIndex, long offset) {
    return ((long) segmentIndex << 32) | offset;
  }

  public static int segmentIndex(long ref) {
    return (int) (ref >>> 32);
  }

  public static int offset(long ref) {
    return (int) ref;
  }
}
