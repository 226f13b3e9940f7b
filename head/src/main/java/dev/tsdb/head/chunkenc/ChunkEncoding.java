package dev.tsdb.head.chunkenc;

/**
 * Chunk encoding ids as stored in the encoding byte of a chunk on disk (Prometheus's
 * chunkenc.Encoding values).
 */
public final class ChunkEncoding {
  public static final byte NONE = 0;
  public static final byte XOR = 1;
  public static final byte HISTOGRAM = 2;
  public static final byte FLOAT_HISTOGRAM = 3;

  private ChunkEncoding() {}

  public static String name(int encoding) {
    return switch (encoding) {
      case NONE -> "none";
      case XOR -> "XOR";
      case HISTOGRAM -> "histogram";
      case FLOAT_HISTOGRAM -> "floathistogram";
      default -> "<unknown>";
    };
  }
}
