package dev.tsdb.index.format;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A read-only, long-addressed view of a file mapped into memory, for files larger than the 2 GiB
 * a single {@link MappedByteBuffer} can hold.
 *
 * <p>The file is mapped as windows of {@code 1 << shift} bytes, each extended by {@code overlap}
 * bytes into the next window. A read of at most {@code overlap} bytes that starts in window i
 * therefore lies entirely in window i, so fixed-width numbers and varints are read with one
 * absolute get and no boundary check; only long reads (strings, slices) take the slow path that
 * may cross windows. All reads are absolute, so one instance may be shared by many threads.
 *
 * <p>Out-of-range reads throw {@link CorruptIndexException}: every offset read comes from the
 * file itself, so a bad offset means a bad file.
 */
public final class MappedBytes implements Closeable {
  static final int DEFAULT_SHIFT = 30; // 1 GiB windows
  static final int DEFAULT_OVERLAP = 1 << 20;

  private final String name;
  private final long size;
  private final int shift;
  private final long mask;
  private final int overlap;
  private volatile ByteBuffer[] windows;

  private MappedBytes(String name, long size, int shift, int overlap, ByteBuffer[] windows) {
    this.name = name;
    this.size = size;
    this.shift = shift;
    this.mask = (1L << shift) - 1;
    this.overlap = overlap;
    this.windows = windows;
  }

  /** Maps the whole file read-only. */
  public static MappedBytes map(Path file) throws IOException {
    return map(file, DEFAULT_SHIFT, DEFAULT_OVERLAP);
  }

  /** Maps with a chosen window size; small windows let tests exercise window crossings. */
  static MappedBytes map(Path file, int shift, int overlap) throws IOException {
    if (shift < 4 || shift > 30 || overlap < 16 || overlap > (1 << 30)) {
      throw new IllegalArgumentException("bad window geometry");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long windowSize = 1L << shift;
      int n = (int) Math.max(1, (size + windowSize - 1) >>> shift);
      ByteBuffer[] ws = new ByteBuffer[n];
      for (int i = 0; i < n; i++) {
        long start = (long) i << shift;
        long len = Math.min(size - start, windowSize + overlap);
        ws[i] = len <= 0 ? ByteBuffer.allocate(0) : ch.map(FileChannel.MapMode.READ_ONLY, start, len)
            .order(ByteOrder.BIG_ENDIAN);
      }
      return new MappedBytes(file.toString(), size, shift, overlap, ws);
    }
  }

  /** Wraps heap bytes (tests, small files). */
  public static MappedBytes wrap(byte[] bytes) {
    return new MappedBytes("<heap>", bytes.length, 30, 1 << 20,
        new ByteBuffer[] {ByteBuffer.wrap(bytes)});
  }

  public long size() {
    return size;
  }

  public String name() {
    return name;
  }

  private ByteBuffer window(long pos) {
    ByteBuffer[] ws = windows;
    if (ws == null) {
      throw new IllegalStateException(name + " is closed");
    }
    return ws[(int) (pos >>> shift)];
  }

  private void check(long pos, long len) {
    if (pos < 0 || len < 0 || pos + len > size) {
      throw new CorruptIndexException(
          name + ": read of " + len + " bytes at " + pos + " beyond size " + size);
    }
  }

  public byte get(long pos) {
    check(pos, 1);
    return window(pos).get((int) (pos & mask));
  }

  public int getInt(long pos) {
    check(pos, 4);
    return window(pos).getInt((int) (pos & mask));
  }

  public long getLong(long pos) {
    check(pos, 8);
    return window(pos).getLong((int) (pos & mask));
  }

  /** Copies {@code len} bytes at {@code pos} into {@code dst[off..]}, crossing windows if needed. */
  public void copy(long pos, byte[] dst, int off, int len) {
    check(pos, len);
    while (len > 0) {
      ByteBuffer w = window(pos);
      int in = (int) (pos & mask);
      int n = Math.min(len, w.limit() - in);
      w.get(in, dst, off, n);
      pos += n;
      off += n;
      len -= n;
    }
  }

  /**
   * The bytes at {@code pos} as a read-only buffer. No copy when they lie in one window (always
   * for files below 1 GiB), else a heap copy.
   */
  public ByteBuffer slice(long pos, int len) {
    check(pos, len);
    ByteBuffer w = window(pos);
    int in = (int) (pos & mask);
    if (in + len <= w.limit()) {
      return w.slice(in, len).asReadOnlyBuffer().order(ByteOrder.BIG_ENDIAN);
    }
    byte[] b = new byte[len];
    copy(pos, b, 0, len);
    return ByteBuffer.wrap(b).asReadOnlyBuffer();
  }

  /** CRC32-Castagnoli of {@code len} bytes at {@code pos}. */
  public int crc32c(long pos, long len) {
    check(pos, len);
    CRC32C crc = new CRC32C();
    while (len > 0) {
      ByteBuffer w = window(pos);
      int in = (int) (pos & mask);
      int n = (int) Math.min(len, w.limit() - in);
      crc.update(w.slice(in, n));
      pos += n;
      len -= n;
    }
    return (int) crc.getValue();
  }

  /** Decodes a uvarint at {@code pos}; the varint's byte length goes to {@code lenOut[0]}. */
  long uvarintAt(long pos, int[] lenOut) {
    long x = 0;
    int s = 0;
    for (int i = 0; i < 10; i++) {
      byte b = get(pos + i);
      if (b >= 0) {
        if (i == 9 && b > 1) {
          throw new CorruptIndexException(name + ": uvarint overflow at " + pos);
        }
        lenOut[0] = i + 1;
        return x | ((long) b << s);
      }
      x |= (long) (b & 0x7f) << s;
      s += 7;
    }
    throw new CorruptIndexException(name + ": uvarint overflow at " + pos);
  }

  /** Whether two strings: UTF-8 bytes at pos..pos+len compare with {@code other}, unsigned. */
  int compareUtf8(long pos, int len, byte[] other) {
    int n = Math.min(len, other.length);
    for (int i = 0; i < n; i++) {
      int a = get(pos + i) & 0xff;
      int b = other[i] & 0xff;
      if (a != b) {
        return a - b;
      }
    }
    return len - other.length;
  }

  int overlap() {
    return overlap;
  }

  /**
   * Releases the mappings. Callers must guarantee that no reader uses this instance any more:
   * touching an unmapped buffer crashes the JVM. When unmapping is unavailable the mappings are
   * left to the garbage collector.
   */
  @Override
  public void close() {
    ByteBuffer[] ws = windows;
    windows = null;
    if (ws != null) {
      for (ByteBuffer w : ws) {
        Unmapper.unmap(w);
      }
    }
  }
}
