package dev.tsdb.wal;

import static dev.tsdb.wal.WalFormat.HEADER_SIZE;
import static dev.tsdb.wal.WalFormat.PAGE_SIZE;

import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads whole records from a sequence of segments (see {@link WalFormat}), possibly from
 * several directories (a checkpoint followed by the WAL). Validates every fragment's CRC, the
 * fragment sequence (full | first middle* last), page padding, and that no record is left
 * unfinished at the end of a segment. Snappy and zstd compressed records are decompressed.
 *
 * <p>A segment that ends in the middle of a page after a complete record is fine (that is how
 * a live or killed Prometheus leaves it). Any damage throws {@link WalCorruptionException} with
 * the segment and the offset where the damaged record starts; records returned before it are
 * intact.
 *
 * <pre>
 * try (WalReader r = WalReader.open(walDir)) {
 *   while (r.next()) { decode(r.record(), r.recordLength()); }
 * }
 * </pre>
 * Not thread-safe. Allocates only while its buffers grow to the largest record.
 */
public final class WalReader implements Closeable {
  private static final int READ_PAGES = 16;
  private static final int MAX_ZSTD_RECORD = 1 << 30;

  private final List<SegmentRef> segments;
  /** Tailing a segment that may still be written: see {@link #tail}. */
  private final boolean live;
  private final long startOffset;
  private final byte[] buf = new byte[READ_PAGES * PAGE_SIZE];
  private final ByteBuffer bufWrap = ByteBuffer.wrap(buf);
  private final CRC32C crc = new CRC32C();
  private SnappyDecompressor snappy;
  private ZstdDecompressor zstd;

  private int segPos = -1; // index into segments of the open segment
  private FileChannel channel;
  private long fileSize;
  private long bufStart; // segment offset of buf[0]
  private int bufLen;
  private long pos; // read position in the current segment

  private byte[] rec = new byte[PAGE_SIZE];
  private int recLen;
  private byte[] comp = new byte[0];
  private int compLen;
  private long recOffset = -1;
  private long records;

  private WalReader(List<SegmentRef> segments) {
    this(segments, false, 0);
  }

  private WalReader(List<SegmentRef> segments, boolean live, long startOffset) {
    this.segments = List.copyOf(segments);
    this.live = live;
    this.startOffset = startOffset;
  }

  /**
   * Tails one segment from byte {@code offset} (0 or a {@link #position()} from an earlier
   * reader), as a WAL watcher does: {@link #next()} returns false when no further complete
   * record is there yet (a record being written is not an error) and can be called again later
   * to pick up what was appended since. Damage before the end still throws.
   */
  public static WalReader tail(SegmentRef segment, long offset) {
    return new WalReader(List.of(segment), true, offset);
  }

  /** Reads all segments of {@code dir}. */
  public static WalReader open(Path dir) throws IOException {
    return new WalReader(Segments.list(dir));
  }

  /** Reads segments of {@code dir} with index in {@code [first, last]}; -1 leaves an end open. */
  public static WalReader open(Path dir, int first, int last) throws IOException {
    return new WalReader(Segments.list(dir, first, last));
  }

  /** Reads the given segments in order. */
  public static WalReader open(List<SegmentRef> segments) {
    return new WalReader(segments);
  }

  /**
   * Reads the given segments in order, the first one from byte {@code firstOffset} (a record
   * boundary, e.g. where a chunk snapshot was taken) instead of its start.
   */
  public static WalReader open(List<SegmentRef> segments, long firstOffset) {
    return new WalReader(segments, false, firstOffset);
  }

  /**
   * Advances to the next record.
   *
   * @return false at the clean end of the last segment
   * @throws WalCorruptionException on damage; the reader must not be used afterwards
   */
  public boolean next() throws IOException {
    recLen = 0;
    compLen = 0;
    boolean inRecord = false;
    int flags = 0;
    long start = -1;
    while (true) {
      if (live && (channel == null || pos >= fileSize)) {
        if (tailMore(inRecord ? start : pos)) {
          inRecord = false;
          recLen = 0;
          compLen = 0;
          continue;
        }
        return false;
      }
      if (channel == null || pos >= fileSize) {
        if (inRecord) {
          throw corrupt(start, "last record is torn: segment ends inside a record", null);
        }
        if (!openNextSegment()) {
          return false;
        }
        continue;
      }
      long pageEnd = pos - pos % PAGE_SIZE + PAGE_SIZE;
      int i = buffered(pos);
      int typeByte = buf[i] & 0xFF;
      int type = typeByte & WalFormat.TYPE_MASK;
      if (type == WalFormat.TYPE_PAGE_TERM) {
        // The rest of the page must be zero padding (a short final page counts as padded).
        long end = Math.min(pageEnd, fileSize);
        int n = (int) (end - pos);
        for (int k = 0; k < n; k++) {
          if (buf[i + k] != 0) {
            throw corrupt(inRecord ? start : pos, "unexpected non-zero byte in padded page", null);
          }
        }
        pos = end;
        continue;
      }
      long errAt = inRecord ? start : pos;
      if (type > WalFormat.TYPE_LAST || (typeByte & ~0x1F) != 0) {
        throw corrupt(errAt, "invalid fragment type byte 0x" + Integer.toHexString(typeByte), null);
      }
      int fragFlags = typeByte & (WalFormat.SNAPPY_FLAG | WalFormat.ZSTD_FLAG);
      if (fragFlags == (WalFormat.SNAPPY_FLAG | WalFormat.ZSTD_FLAG)) {
        throw corrupt(errAt, "fragment flagged both snappy and zstd", null);
      }
      if (pageEnd - pos < HEADER_SIZE) {
        throw corrupt(errAt, "fragment header crosses a page boundary", null);
      }
      boolean headerThere = pos + HEADER_SIZE <= fileSize;
      if (!headerThere && !live) {
        throw corrupt(errAt, "torn fragment header at end of segment", null);
      }
      int len = headerThere ? ((buf[i + 1] & 0xFF) << 8) | (buf[i + 2] & 0xFF) : 0;
      int want = ((buf[i + 3] & 0xFF) << 24) | ((buf[i + 4] & 0xFF) << 16)
          | ((buf[i + 5] & 0xFF) << 8) | (buf[i + 6] & 0xFF);
      if (pos + HEADER_SIZE + len > pageEnd) {
        throw corrupt(errAt, "fragment of " + len + " bytes crosses a page boundary", null);
      }
      if (!headerThere || pos + HEADER_SIZE + len > fileSize) {
        if (live) { // not all written yet: wait for the rest
          if (tailMore(errAt)) {
            inRecord = false;
            recLen = 0;
            compLen = 0;
            continue;
          }
          return false;
        }
        throw corrupt(errAt, "torn fragment: " + len + " bytes announced, "
            + (fileSize - pos - HEADER_SIZE) + " present", null);
      }
      if (type == WalFormat.TYPE_FULL || type == WalFormat.TYPE_FIRST) {
        if (inRecord) {
          throw corrupt(start, "unexpected " + fragmentName(type) + " fragment inside a record", null);
        }
        inRecord = true;
        start = pos;
        flags = fragFlags;
      } else {
        if (!inRecord) {
          throw corrupt(pos, "unexpected " + fragmentName(type) + " fragment without a first", null);
        }
        if (fragFlags != flags) {
          throw corrupt(start, "compression flags change within a record", null);
        }
      }
      crc.reset();
      crc.update(buf, i + HEADER_SIZE, len);
      int got = (int) crc.getValue();
      if (got != want) {
        throw corrupt(start, String.format("unexpected checksum %08x, expected %08x", got, want), null);
      }
      if (flags == 0) {
        rec = ensure(rec, recLen + len);
        System.arraycopy(buf, i + HEADER_SIZE, rec, recLen, len);
        recLen += len;
      } else {
        comp = ensure(comp, compLen + len);
        System.arraycopy(buf, i + HEADER_SIZE, comp, compLen, len);
        compLen += len;
      }
      pos += HEADER_SIZE + len;
      if (type == WalFormat.TYPE_FULL || type == WalFormat.TYPE_LAST) {
        recOffset = start;
        if (flags == WalFormat.SNAPPY_FLAG) {
          decompressSnappy(start);
        } else if (flags == WalFormat.ZSTD_FLAG) {
          decompressZstd(start);
        }
        records++;
        return true;
      }
    }
  }

  /** The current record's bytes are {@code record()[0, recordLength())}; valid until next(). */
  public byte[] record() {
    return rec;
  }

  public int recordLength() {
    return recLen;
  }

  /** A copy of the current record. */
  public byte[] recordCopy() {
    return Arrays.copyOf(rec, recLen);
  }

  /** The segment holding the current record (or being read). */
  public SegmentRef segment() {
    return segPos >= 0 && segPos < segments.size() ? segments.get(segPos) : null;
  }

  /** Byte offset of the current record's first fragment in its segment. */
  public long offset() {
    return recOffset;
  }

  /**
   * Where reading goes on: after the last record returned (possibly at page padding), or, in
   * {@link #tail} mode after next() returned false, the start of the record not complete yet.
   * A new {@link #tail} reader from this offset continues without loss or repetition.
   */
  public long position() {
    return pos;
  }

  /**
   * Tail mode: makes bytes appended since the last look visible. Reading restarts at
   * {@code resumeAt} (the start of an unfinished record, or where reading stopped); returns
   * whether the segment has grown since the last look and holds bytes past it.
   */
  private boolean tailMore(long resumeAt) throws IOException {
    if (channel == null) {
      segPos = 0;
      channel = FileChannel.open(segments.get(0).path(), StandardOpenOption.READ);
      resumeAt = startOffset;
      fileSize = 0;
    }
    pos = resumeAt;
    long size = channel.size();
    if (size <= fileSize) {
      return false; // nothing new: the caller polls again later
    }
    fileSize = size;
    bufLen = 0; // bytes past the old size may not have been read yet
    bufStart = 0;
    return pos < fileSize;
  }

  /** Number of records returned so far. */
  public long recordsRead() {
    return records;
  }

  /**
   * A corruption error located at the current record, for callers whose decoding of a
   * CRC-valid record failed (Prometheus treats that as corruption too).
   */
  public WalCorruptionException corruptionAtRecord(String message, Throwable cause) {
    return corrupt(recOffset, message, cause);
  }

  private WalCorruptionException corrupt(long offset, String message, Throwable cause) {
    SegmentRef s = segments.get(segPos);
    return new WalCorruptionException(s.dir(), s.index(), offset, message, cause);
  }

  private static String fragmentName(int type) {
    switch (type) {
      case WalFormat.TYPE_FULL: return "full";
      case WalFormat.TYPE_FIRST: return "first";
      case WalFormat.TYPE_MIDDLE: return "middle";
      default: return "last";
    }
  }

  private boolean openNextSegment() throws IOException {
    closeChannel();
    if (segPos + 1 >= segments.size()) {
      segPos = segments.size(); // stays past the end
      return false;
    }
    segPos++;
    channel = FileChannel.open(segments.get(segPos).path(), StandardOpenOption.READ);
    fileSize = channel.size();
    pos = segPos == 0 ? Math.min(startOffset, fileSize) : 0;
    bufStart = 0;
    bufLen = 0;
    return true;
  }

  /**
   * Makes the page holding {@code at} available and returns its index in buf. Reads start at
   * page boundaries and fill whole pages, so a fragment (which never crosses a page) is always
   * entirely in the buffer.
   */
  private int buffered(long at) throws IOException {
    if (at < bufStart || at >= bufStart + bufLen) {
      bufStart = at - at % PAGE_SIZE;
      bufWrap.clear();
      long p = bufStart;
      while (bufWrap.hasRemaining() && p < fileSize) {
        int n = channel.read(bufWrap, p);
        if (n < 0) {
          break;
        }
        p += n;
      }
      bufLen = bufWrap.position();
      if (at >= bufStart + bufLen) {
        throw new IOException("segment " + segments.get(segPos) + " shrank while reading");
      }
    }
    return (int) (at - bufStart);
  }

  private void decompressSnappy(long start) throws WalCorruptionException {
    if (snappy == null) {
      snappy = new SnappyDecompressor();
    }
    try {
      int n = SnappyDecompressor.getUncompressedLength(comp, 0);
      if (n < 0) {
        throw new IllegalStateException("negative uncompressed length");
      }
      rec = ensure(rec, n);
      recLen = snappy.decompress(comp, 0, compLen, rec, 0, rec.length);
    } catch (RuntimeException e) {
      throw corrupt(start, "snappy decoding failed: " + e.getMessage(), e);
    }
  }

  private void decompressZstd(long start) throws WalCorruptionException {
    if (zstd == null) {
      zstd = new ZstdDecompressor();
    }
    long size;
    try {
      size = ZstdDecompressor.getDecompressedSize(comp, 0, compLen);
    } catch (RuntimeException e) {
      throw corrupt(start, "zstd decoding failed: " + e.getMessage(), e);
    }
    int cap = size >= 0 && size <= MAX_ZSTD_RECORD ? (int) size : Math.max(4 * compLen, PAGE_SIZE);
    while (true) {
      rec = ensure(rec, cap);
      try {
        recLen = zstd.decompress(comp, 0, compLen, rec, 0, rec.length);
        return;
      } catch (RuntimeException e) {
        // Unknown content size: retry with a bigger buffer until a sane limit.
        if (size >= 0 || rec.length >= MAX_ZSTD_RECORD) {
          throw corrupt(start, "zstd decoding failed: " + e.getMessage(), e);
        }
        cap = rec.length * 2;
      }
    }
  }

  private static byte[] ensure(byte[] a, int n) {
    return a.length >= n ? a : Arrays.copyOf(a, Math.max(n, a.length * 2));
  }

  private void closeChannel() throws IOException {
    if (channel != null) {
      FileChannel c = channel;
      channel = null;
      c.close();
    }
  }

  @Override
  public void close() throws IOException {
    closeChannel();
  }
}
