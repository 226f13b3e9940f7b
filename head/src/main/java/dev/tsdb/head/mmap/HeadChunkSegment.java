package dev.tsdb.head.mmap;

import dev.tsdb.index.format.Varint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One segment file of {@code chunks_head/} and its memory mapping. The segment being written is
 * mapped read-write and chunks are copied into the mapping; when one does not fit, the file is
 * mapped again, larger: twice the size from 1 MiB up to {@link #GROWTH_STEP}, then a step more at
 * a time up to {@link HeadChunkFormat#MAX_SEGMENT_SIZE}, so the allocated tail beyond its content is
 * at most one step (doubling all the way left up to half of a 64 MiB file unused, 1.8x
 * Prometheus's chunks_head bytes in the benchmark); finishing it forces the mapping and cuts the
 * file to its content. Loaded segments are mapped read-only.
 *
 * <p>Before a region is mapped for writing, it is allocated by writing zeros through the
 * channel: a store into a sparse page of a full filesystem would be a SIGBUS, not an
 * exception, and take the JVM down, while a channel write fails with "No space left on device"
 * and the chunk simply stays in memory.
 *
 * <p>Readers use absolute reads on {@link #buffer()} and never touch bytes past {@link #end()}
 * as it was when they got a reference. The mapping is never unmapped explicitly: the JVM unmaps
 * it when no reader holds the buffer any more, so a query racing a truncation cannot touch freed
 * memory.
 */
final class HeadChunkSegment {
  final int seq;
  final Path path;
  static final int FIRST_MAPPING = 1 << 20;
  static final int GROWTH_STEP = 4 << 20;
  // Replaced (never changed) when the segment being written grows; an older mapping stays valid
  // for whoever still reads through it.
  private volatile MappedByteBuffer map;
  private FileChannel writing; // open while this is the segment being written
  private volatile int end;
  private volatile long maxT = Long.MIN_VALUE;
  private final CRC32C crc = new CRC32C();
  private final byte[] lenBuf = new byte[Varint.MAX_LENGTH];

  private HeadChunkSegment(int seq, Path path, MappedByteBuffer map, FileChannel writing,
      int end) {
    this.seq = seq;
    this.path = path;
    this.map = map;
    this.writing = writing;
    this.end = end;
  }

  /** Creates segment {@code seq} in {@code dir} with its header, ready for {@link #append}. */
  static HeadChunkSegment create(Path dir, int seq) throws IOException {
    Path p = dir.resolve(HeadChunkFormat.fileName(seq));
    FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      allocate(ch, FIRST_MAPPING);
      MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, FIRST_MAPPING);
      m.putInt(0, HeadChunkFormat.MAGIC);
      m.put(4, HeadChunkFormat.VERSION); // then 3 zero bytes of padding
      return new HeadChunkSegment(seq, p, m, ch, HeadChunkFormat.HEADER_SIZE);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Maps an existing segment read-only; {@code end} is where its valid chunks end. */
  static HeadChunkSegment load(Path p, int seq, int end, long maxT) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      HeadChunkSegment s = new HeadChunkSegment(seq, p,
          ch.map(FileChannel.MapMode.READ_ONLY, 0, end), null, end);
      s.maxT = maxT;
      return s;
    }
  }

  /** Whether a record of {@code dataLen} data bytes fits. */
  boolean fits(int dataLen) {
    return (long) end + HeadChunkFormat.recordSize(dataLen) <= HeadChunkFormat.MAX_SEGMENT_SIZE;
  }

  /** Whether no chunk was written to this segment. */
  boolean isEmpty() {
    return end == HeadChunkFormat.HEADER_SIZE;
  }

  /**
   * Copies one chunk record into the mapping and returns its offset. Single writer; the caller
   * checked {@link #fits}.
   */
  int append(long seriesRef, long mint, long maxt, byte encoding, byte[] data, int off, int len)
      throws IOException {
    int start = end;
    long need = (long) start + HeadChunkFormat.recordSize(len);
    MappedByteBuffer map = this.map;
    if (need > map.capacity()) {
      long size = map.capacity();
      while (size < need) {
        size = size < GROWTH_STEP ? size * 2 : size + GROWTH_STEP;
      }
      size = Math.min(size, HeadChunkFormat.MAX_SEGMENT_SIZE);
      allocate(writing, size);
      map = writing.map(FileChannel.MapMode.READ_WRITE, 0, size);
      this.map = map;
    }
    int p = start;
    map.putLong(p, seriesRef);
    map.putLong(p + 8, mint);
    map.putLong(p + 16, maxt);
    map.put(p + 24, encoding);
    p += HeadChunkFormat.FIXED_META_SIZE;
    int n = Varint.putUvarint(lenBuf, 0, len);
    map.put(p, lenBuf, 0, n);
    p += n;
    map.put(p, data, off, len);
    p += len;
    crc.reset();
    crc.update(map.slice(start, p - start));
    map.putInt(p, (int) crc.getValue());
    end = p + HeadChunkFormat.CRC_SIZE;
    if (maxt > maxT) {
      maxT = maxt;
    }
    return start;
  }

  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10);

  /**
   * Makes the file at least {@code size} bytes of allocated zeros (written, not sparse), so the
   * mapping can be stored into; on failure (a full disk) the file keeps its previous length.
   */
  private static void allocate(FileChannel ch, long size) throws IOException {
    long from = ch.size();
    try {
      for (long pos = from; pos < size; ) {
        ByteBuffer z = ZEROS.duplicate();
        z.limit((int) Math.min(z.capacity(), size - pos));
        pos += ch.write(z, pos);
      }
    } catch (IOException e) {
      ch.truncate(from);
      throw e;
    }
  }

  /** The mapping; read with absolute indices below {@link #end()}. */
  ByteBuffer buffer() {
    return map;
  }

  int end() {
    return end;
  }

  /** Newest maxt of the chunks in this segment (Long.MIN_VALUE when empty). */
  long maxT() {
    return maxT;
  }

  /** Ends writing: forces the mapping to disk and cuts the file to its content. */
  void finish() throws IOException {
    if (writing == null) {
      return;
    }
    try (FileChannel ch = writing) {
      writing = null;
      map.force();
      ch.truncate(end);
      ch.force(true);
    }
  }
}
