package dev.tsdb.wal;

import dev.tsdb.index.io.FileOps;

/**
 * How a {@link Wal} writes.
 *
 * @param segmentSize bytes per segment before rolling over, a multiple of 32 KiB
 * @param compression record compression for writing (reading always handles every kind)
 * @param metrics where the WAL counts flushes, fsyncs, truncations...; null: a private instance
 *     ({@link Wal#metrics()})
 * @param files opens the segment files; null: the platform's (tests inject failing ones)
 */
public record WalOptions(int segmentSize, Compression compression, WalMetrics metrics,
    FileOps files) {
  public enum Compression { NONE, SNAPPY }

  public static final WalOptions DEFAULT = new WalOptions(WalFormat.DEFAULT_SEGMENT_SIZE, Compression.NONE);

  public WalOptions {
    if (segmentSize <= 0 || segmentSize % WalFormat.PAGE_SIZE != 0) {
      throw new IllegalArgumentException("segment size must be a positive multiple of "
          + WalFormat.PAGE_SIZE + ": " + segmentSize);
    }
    if (compression == null) {
      compression = Compression.NONE;
    }
    files = FileOps.orReal(files);
  }

  public WalOptions(int segmentSize, Compression compression, WalMetrics metrics) {
    this(segmentSize, compression, metrics, null);
  }

  public WalOptions(int segmentSize, Compression compression) {
    this(segmentSize, compression, null);
  }

  public WalOptions withSegmentSize(int size) {
    return new WalOptions(size, compression, metrics, files);
  }

  public WalOptions withCompression(Compression c) {
    return new WalOptions(segmentSize, c, metrics, files);
  }

  public WalOptions withMetrics(WalMetrics m) {
    return new WalOptions(segmentSize, compression, m, files);
  }

  public WalOptions withFiles(FileOps f) {
    return new WalOptions(segmentSize, compression, metrics, f);
  }
}
