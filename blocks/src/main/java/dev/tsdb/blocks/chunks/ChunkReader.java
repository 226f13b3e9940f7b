package dev.tsdb.blocks.chunks;

import dev.tsdb.index.format.Unmapper;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads chunks from a block's memory-mapped segment files (format in {@link ChunkSegments}).
 * Chunk data is returned without copying, as a position in the mapped segment. Thread-safe.
 */
public final class ChunkReader implements Closeable {
  private final Path dir;
  private volatile MappedByteBuffer[] segments;
  private final boolean verifyOnRead;
  private final long size;
  /** Chunks located so far (one count per read, not per sample): proves range pruning. */
  private final java.util.concurrent.atomic.LongAdder reads =
      new java.util.concurrent.atomic.LongAdder();

  /** Where one chunk lies: a mapped segment and the data's absolute offset and length in it. */
  public static final class ChunkView {
    ByteBuffer segment;
    int dataOffset;
    int dataLength;
    byte encoding;

    public ByteBuffer segment() {
      return segment;
    }

    public int dataOffset() {
      return dataOffset;
    }

    public int dataLength() {
      return dataLength;
    }

    public byte encoding() {
      return encoding;
    }

    /** The chunk data as a read-only slice of the mapping (no copy). */
    public ByteBuffer data() {
      return segment.slice(dataOffset, dataLength).asReadOnlyBuffer();
    }
  }

  private ChunkReader(Path dir, MappedByteBuffer[] segments, boolean verifyOnRead, long size) {
    this.dir = dir;
    this.segments = segments;
    this.verifyOnRead = verifyOnRead;
    this.size = size;
  }

  /**
   * Maps every numbered segment file in {@code dir} and checks their headers.
   *
   * @param verifyOnRead whether every chunk read checks its CRC (as Prometheus does)
   */
  public static ChunkReader open(Path dir, boolean verifyOnRead) throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          if (p.getFileName().toString().matches("[0-9]+")) {
            files.add(p);
          }
        }
      }
    }
    files.sort((a, b) -> Long.compare(Long.parseLong(a.getFileName().toString()),
        Long.parseLong(b.getFileName().toString())));
    MappedByteBuffer[] maps = new MappedByteBuffer[files.size()];
    long total = 0;
    try {
      for (int i = 0; i < files.size(); i++) {
        try (FileChannel ch = FileChannel.open(files.get(i), StandardOpenOption.READ)) {
          long n = ch.size();
          if (n > Integer.MAX_VALUE) {
            throw new IOException(files.get(i) + ": segment larger than 2 GiB");
          }
          maps[i] = ch.map(FileChannel.MapMode.READ_ONLY, 0, n);
          maps[i].order(ByteOrder.BIG_ENDIAN);
          total += n;
        }
        if (maps[i].limit() < ChunkSegments.HEADER_SIZE) {
          throw new CorruptChunkException(files.get(i) + ": segment header truncated");
        }
        if (maps[i].getInt(0) != ChunkSegments.MAGIC) {
          throw new CorruptChunkException(files.get(i) + ": invalid magic number "
              + Integer.toHexString(maps[i].getInt(0)));
        }
        if (maps[i].get(4) != ChunkSegments.VERSION) {
          throw new CorruptChunkException(files.get(i) + ": invalid chunk format version "
              + maps[i].get(4));
        }
      }
    } catch (IOException | RuntimeException e) {
      for (MappedByteBuffer m : maps) {
        if (m != null) {
          Unmapper.unmap(m);
        }
      }
      throw e;
    }
    return new ChunkReader(dir, maps, verifyOnRead, total);
  }

  public int segments() {
    return segments.length;
  }

  /** Total bytes of all segment files. */
  public long size() {
    return size;
  }

  /** Number of chunk reads since open. */
  public long chunksRead() {
    return reads.sum();
  }

  /** Locates chunk {@code ref} into {@code view} (checking its CRC if so configured). */
  public ChunkView read(long ref, ChunkView view) {
    return read(ref, view, verifyOnRead);
  }

  /** Locates chunk {@code ref} into {@code view}, checking its CRC. */
  public ChunkView readVerified(long ref, ChunkView view) {
    return read(ref, view, true);
  }

  private ChunkView read(long ref, ChunkView view, boolean verify) {
    reads.increment();
    MappedByteBuffer[] segs = segments;
    if (segs == null) {
      throw new IllegalStateException(dir + ": chunk reader closed");
    }
    int seg = ChunkSegments.segmentIndex(ref);
    long off = ref & 0xffffffffL;
    if (seg < 0 || seg >= segs.length) {
      throw new CorruptChunkException(dir + ": chunk segment index " + seg + " out of range");
    }
    ByteBuffer b = segs[seg];
    if (off < ChunkSegments.HEADER_SIZE || off >= b.limit()) {
      throw new CorruptChunkException(dir + ": chunk offset " + off + " out of range in segment "
          + seg);
    }
    int pos = (int) off;
    long len = 0;
    int shift = 0;
    while (true) {
      if (pos >= b.limit() || shift > 28) {
        throw new CorruptChunkException(dir + ": bad chunk length at " + Long.toHexString(ref));
      }
      byte x = b.get(pos++);
      len |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        break;
      }
      shift += 7;
    }
    if (pos + 1 + len + 4 > b.limit()) {
      throw new CorruptChunkException(dir + ": chunk at " + Long.toHexString(ref)
          + " extends beyond its segment (truncated file?)");
    }
    int dataLen = (int) len;
    if (verify) {
      checkCrc(b, pos, dataLen, ref);
    }
    view.segment = b;
    view.encoding = b.get(pos);
    view.dataOffset = pos + 1;
    view.dataLength = dataLen;
    return view;
  }

  private void checkCrc(ByteBuffer b, int encPos, int dataLen, long ref) {
    CRC32C crc = new CRC32C();
    crc.update(b.slice(encPos, dataLen + 1));
    int want = b.getInt(encPos + 1 + dataLen);
    if ((int) crc.getValue() != want) {
      throw new CorruptChunkException(dir + ": chunk " + Long.toHexString(ref)
          + " checksum mismatch");
    }
  }

  /** The data of chunk {@code ref} as a read-only slice of the mapping (no copy). */
  public ByteBuffer chunkData(long ref) {
    return read(ref, new ChunkView()).data();
  }

  /**
   * Walks every chunk of every segment checking lengths and CRCs; throws CorruptChunkException
   * at the first problem. Reads all the data, so it is meant for explicit verification.
   */
  public void verifyAll() {
    MappedByteBuffer[] segs = segments;
    ChunkView v = new ChunkView();
    for (int s = 0; s < segs.length; s++) {
      long pos = ChunkSegments.HEADER_SIZE;
      int limit = segs[s].limit();
      while (pos < limit) {
        if (segs[s].get((int) pos) == 0 && allZero(segs[s], (int) pos)) {
          break; // preallocated tail, as Prometheus's head chunks may leave
        }
        long ref = ChunkSegments.ref(s, pos);
        read(ref, v, true);
        pos = v.dataOffset + (long) v.dataLength + 4;
      }
    }
  }

  private static boolean allZero(ByteBuffer b, int from) {
    for (int i = from; i < b.limit(); i++) {
      if (b.get(i) != 0) {
        return false;
      }
    }
    return true;
  }

  /** Unmaps the segments; no chunk view obtained before may be used afterwards. */
  @Override
  public void close() {
    MappedByteBuffer[] segs = segments;
    segments = null;
    if (segs != null) {
      for (MappedByteBuffer m : segs) {
        Unmapper.unmap(m);
      }
    }
  }
}
