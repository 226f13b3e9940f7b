package dev.tsdb.blocks;

import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.chunkenc.FloatHistogramIterator;
import dev.tsdb.head.chunkenc.HistogramIterator;
import dev.tsdb.head.chunkenc.XorIterator;
import dev.tsdb.index.storage.SampleIterator;
import java.nio.ByteBuffer;

/**
 * One reusable decoder per chunk encoding (XOR, histogram, float histogram), so a reader that
 * walks chunks of mixed encodings allocates nothing per chunk: {@link #open} positions the one
 * matching a chunk's encoding on it.
 */
final class ChunkDecoders {
  private final XorIterator xor = new XorIterator();
  private final HistogramIterator histogram = new HistogramIterator();
  private final FloatHistogramIterator floatHistogram = new FloatHistogramIterator();

  /**
   * The decoder for {@code encoding} positioned on {@code buf[off, off+len)} (absolute indices),
   * or null when the encoding is not one blocks can hold.
   */
  SampleIterator open(byte encoding, ByteBuffer buf, int off, int len) {
    return switch (encoding) {
      case ChunkEncoding.XOR -> xor.reset(buf, off, len);
      case ChunkEncoding.HISTOGRAM -> histogram.reset(buf, off, len);
      case ChunkEncoding.FLOAT_HISTOGRAM -> floatHistogram.reset(buf, off, len);
      default -> null;
    };
  }

  /** A decoder with nothing to read, for a reader not yet positioned on any chunk. */
  SampleIterator idle() {
    return xor;
  }
}
