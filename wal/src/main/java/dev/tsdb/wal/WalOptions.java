package dev.tsdb.wal;

/**
 * How a {@link Wal} writes.
 *
 * @param segmentSize bytes per segment before rolling over, a multiple of 32 KiB
 * @param compression record compression for writing (reading always handles every kind)
 * @param metrics where the WAL counts flushes, fsyncs, truncations...; null: a private instance
 *     ({@link Wal#metrics()})
 */
public record WalOptions(int segmentSize, Compression compression, WalMetrics metrics) {
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
  }

  public WalOptions(int segmentSize, Compression compression) {
    this(segmentSize, compression, null);
  }

  public WalOptions withSegmentSize(int size) {
    return new WalOptions(size, compression, metrics);
  }

  public WalOptions withCompression(Compression c) {
    return new WalOptions(segmentSize, c, metrics);
  }

  public WalOptions withMetrics(WalMetrics m) {
    return new WalOptions(segmentSize, compression, m);
  }
}
