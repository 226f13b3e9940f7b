package dev.tsdb.blocks.chunks;

import dev.tsdb.index.io.FileOps;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Appends chunks to numbered segment files (format in {@link ChunkSegments}), cutting a new file
 * before one would exceed the segment size. Each finished file is fsynced; the caller fsyncs the
 * directory.
 */
public final class ChunkWriter implements Closeable {
  private final Path dir;
  private final long segmentSize;
  private final FileOps files;
  private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
  private final CRC32C crc = new CRC32C();
  private FileChannel current;
  private int segmentIndex = -1;
  private long offset; // bytes written to the current segment

  public ChunkWriter(Path dir) throws IOException {
    this(dir, ChunkSegments.DEFAULT_SEGMENT_SIZE);
  }

  public ChunkWriter(Path dir, long segmentSize) throws IOException {
    this(dir, segmentSize, FileOps.REAL);
  }

  /** A writer whose segment files are opened by {@code files}. */
  public ChunkWriter(Path dir, long segmentSize, FileOps files) throws IOException {
    if (segmentSize <= ChunkSegments.HEADER_SIZE || segmentSize > 0xffffffffL) {
      throw new IllegalArgumentException("bad segment size " + segmentSize);
    }
    this.dir = dir;
    this.segmentSize = segmentSize;
    this.files = files;
    files.createDirectories(dir);
  }

  /** Writes one chunk and returns its reference. */
  public long write(byte encoding, byte[] data, int off, int len) throws IOException {
    return write(encoding, ByteBuffer.wrap(data, off, len));
  }

  /** Writes one chunk (the buffer's remaining bytes, not consumed) and returns its reference. */
  public long write(byte encoding, ByteBuffer data) throws IOException {
    int len = data.remaining();
    long need = ChunkSegments.MAX_LENGTH_FIELD + 1L + len + 4;
    if (current == null
        || (offset > ChunkSegments.HEADER_SIZE && offset + need > segmentSize)) {
      cut();
    }
    if (offset + need > 0xffffffffL) {
      throw new IOException("chunk of " + len + " bytes does not fit a segment");
    }
    long ref = ChunkSegments.ref(segmentIndex, offset);
    long v = len;
    while ((v & ~0x7FL) != 0) {
      put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    put((byte) v);
    put(encoding);
    crc.reset();
    crc.update(encoding);
    crc.update(data.duplicate());
    ByteBuffer d = data.duplicate();
    while (d.hasRemaining()) {
      if (!buf.hasRemaining()) {
        flush();
      }
      int n = Math.min(buf.remaining(), d.remaining());
      ByteBuffer part = d.slice();
      part.limit(n);
      buf.put(part);
      d.position(d.position() + n);
      offset += n;
    }
    int c = (int) crc.getValue();
    put((byte) (c >>> 24));
    put((byte) (c >>> 16));
    put((byte) (c >>> 8));
    put((byte) c);
    return ref;
  }

  private void put(byte b) throws IOException {
    if (!buf.hasRemaining()) {
      flush();
    }
    buf.put(b);
    offset++;
  }

  private void flush() throws IOException {
    buf.flip();
    while (buf.hasRemaining()) {
      current.write(buf);
    }
    buf.clear();
  }

  private void finishSegment() throws IOException {
    if (current != null) {
      flush();
      current.force(true);
      current.close();
      current = null;
    }
  }

  private void cut() throws IOException {
    finishSegment();
    segmentIndex++;
    Path f = ChunkSegments.segmentFile(dir, segmentIndex + 1);
    current = files.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    offset = 0;
    buf.putInt(ChunkSegments.MAGIC).put((byte) ChunkSegments.VERSION).put((byte) 0)
        .put((byte) 0).put((byte) 0);
    offset = ChunkSegments.HEADER_SIZE;
  }

  /** Number of segment files written so far. */
  public int segments() {
    return segmentIndex + 1;
  }

  @Override
  public void close() throws IOException {
    finishSegment();
  }
}
