package dev.tsdb.wal;

/**
 * How a {@link Wal} writes.
 *
 * @param segmentSize bytes per segment before rolling over, a multiple of 32 KiB
 * @param compression record compression for writing (reading always handles every kind)
 */
public record WalOptions(int segmentSize, Compression compression) {
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

  public WalOptions withSegmentSize(int size) {
    return new WalOptions(size, compression);
  }

  public WalOptions withCompression(Compression c) {
    return new WalOptions(segmentSize, c);
  }
}
