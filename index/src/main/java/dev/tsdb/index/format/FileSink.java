package dev.tsdb.index.format;

import dev.tsdb.index.io.FileOps;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A buffered, position-tracking file writer with padding and positional overwrite. */
final class FileSink implements Closeable {
  private final Path path;
  private final FileChannel ch;
  private final ByteBuffer buf;
  private long pos;

  FileSink(Path path, int bufferSize, FileOps files) throws IOException {
    this.path = path;
    this.ch = files.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
    this.buf = ByteBuffer.allocateDirect(bufferSize);
  }

  Path path() {
    return path;
  }

  long position() {
    return pos;
  }

  FileChannel channel() {
    return ch;
  }

  void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (!buf.hasRemaining()) {
        flush();
      }
      int n = Math.min(len, buf.remaining());
      buf.put(b, off, n);
      off += n;
      len -= n;
      pos += n;
    }
  }

  void write(EncodeBuffer e) throws IOException {
    write(e.array(), 0, e.length());
  }

  private static final byte[] ZEROS = new byte[64];

  /** Appends zero bytes until the position is a multiple of {@code align}. */
  void pad(int align) throws IOException {
    int p = (int) (pos % align);
    if (p != 0) {
      int n = align - p;
      while (n > 0) {
        int k = Math.min(n, ZEROS.length);
        write(ZEROS, 0, k);
        n -= k;
      }
    }
  }

  void flush() throws IOException {
    buf.flip();
    while (buf.hasRemaining()) {
      ch.write(buf); // relative write: the channel position tracks pos after each flush
    }
    buf.clear();
  }

  /** Overwrites bytes already written (flushes first). */
  void writeAt(long at, byte[] b, int off, int len) throws IOException {
    flush();
    ByteBuffer bb = ByteBuffer.wrap(b, off, len);
    while (bb.hasRemaining()) {
      at += ch.write(bb, at);
    }
  }

  /** Appends the whole content of another file. */
  void append(FileChannel src) throws IOException {
    flush();
    long size = src.size();
    long done = 0;
    while (done < size) {
      done += src.transferTo(done, size - done, ch);
    }
    pos += size;
    ch.position(pos);
  }

  /** CRC32C of bytes [from, to) already written (flushes first). */
  int crc32c(long from, long to) throws IOException {
    flush();
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    ByteBuffer bb = ByteBuffer.allocate(1 << 16);
    while (from < to) {
      bb.clear();
      bb.limit((int) Math.min(bb.capacity(), to - from));
      int n = ch.read(bb, from);
      if (n <= 0) {
        throw new IOException(path + ": short read while checksumming");
      }
      bb.flip();
      crc.update(bb);
      from += n;
    }
    return (int) crc.getValue();
  }

  void sync() throws IOException {
    flush();
    ch.force(true);
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }
}
