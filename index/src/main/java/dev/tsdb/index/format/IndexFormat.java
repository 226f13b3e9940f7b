package dev.tsdb.index.format;

/** Constants of the Prometheus index file format, version 2. */
public final class IndexFormat {
  public static final int MAGIC = 0xBAAAD700;
  public static final int VERSION_2 = 2;
  public static final int HEADER_LENGTH = 5;
  /** Series entries start at multiples of this; a series reference is its offset divided by it. */
  public static final int SERIES_ALIGNMENT = 16;

  private IndexFormat() {}
}
