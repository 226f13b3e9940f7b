package dev.tsdb.wal;

import java.nio.file.Path;

/**
 * Constants of Prometheus's WAL disk format (tsdb/docs/format/wal.md, tsdb/wlog).
 *
 * <pre>
 * dir/00000000, dir/00000001, ...   segments, 8-digit decimal index, up to segmentSize bytes
 * segment = page*                   pages of 32 KiB; only the last page of a segment may be short
 * page    = fragment* zero-padding  a fragment never crosses a page, a record never a segment
 * fragment: type 1B | length 2B BE | CRC32-Castagnoli(data) 4B BE | data
 *   type bits 0-2: 0 = rest of page is zero, 1 full, 2 first, 3 middle, 4 last
 *   bit 3 (0x08): record is Snappy (block format) compressed; bit 4 (0x10): zstd (frame format)
 *   Compression applies to the whole record before it is split into fragments.
 * </pre>
 * A writer pads the rest of a page with zeros when fewer than 7 bytes (a header) remain.
 */
public final class WalFormat {
  public static final int PAGE_SIZE = 32 * 1024;
  public static final int HEADER_SIZE = 7;
  public static final int DEFAULT_SEGMENT_SIZE = 128 * 1024 * 1024;

  static final int TYPE_PAGE_TERM = 0;
  static final int TYPE_FULL = 1;
  static final int TYPE_FIRST = 2;
  static final int TYPE_MIDDLE = 3;
  static final int TYPE_LAST = 4;
  static final int TYPE_MASK = 0x07;
  static final int SNAPPY_FLAG = 0x08;
  static final int ZSTD_FLAG = 0x10;

  private WalFormat() {}

  /** {@code dir/NNNNNNNN}. */
  public static Path segmentPath(Path dir, int index) {
    return dir.resolve(segmentName(index));
  }

  public static String segmentName(int index) {
    return String.format("%08d", index);
  }
}
