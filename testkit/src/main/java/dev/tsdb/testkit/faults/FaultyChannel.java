package dev.tsdb.testkit.faults;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/** A real file channel whose writes and fsyncs ask {@link FaultyFiles} first. */
final class FaultyChannel extends FileChannel {
  private final FileChannel real;
  private final Path file;
  private final FaultyFiles faults;

  FaultyChannel(FileChannel real, Path file, FaultyFiles faults) {
    this.real = real;
    this.file = file;
    this.faults = faults;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int allowed = faults.allowWrite(file, src.remaining());
    int limit = src.limit();
    src.limit(src.position() + allowed);
    try {
      int n = real.write(src);
      faults.wrote(n);
      return n;
    } finally {
      src.limit(limit);
    }
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    int allowed = faults.allowWrite(file, src.remaining());
    int limit = src.limit();
    src.limit(src.position() + allowed);
    try {
      int n = real.write(src, position);
      faults.wrote(n);
      return n;
    } finally {
      src.limit(limit);
    }
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    long n = 0;
    for (int i = offset; i < offset + length; i++) {
      if (srcs[i].hasRemaining()) {
        int w = write(srcs[i]);
        n += w;
        if (srcs[i].hasRemaining()) {
          break; // short write
        }
      }
    }
    return n;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    faults.checkFsync(file);
    real.force(metaData);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(count, 1 << 16));
    long done = 0;
    while (done < count) {
      b.clear().limit((int) Math.min(b.capacity(), count - done));
      int r = src.read(b);
      if (r <= 0) {
        break;
      }
      b.flip();
      while (b.hasRemaining()) {
        done += write(b, position + done);
      }
    }
    return done;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return real.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return real.read(dsts, offset, length);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return real.read(dst, position);
  }

  @Override
  public long position() throws IOException {
    return real.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    real.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return real.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    real.truncate(size);
    return this;
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target)
      throws IOException {
    return real.transferTo(position, count, target);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return real.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return real.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return real.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    real.close();
  }
}
