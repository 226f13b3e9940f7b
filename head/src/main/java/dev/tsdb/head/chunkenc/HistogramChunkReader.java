package dev.tsdb.head.chunkenc;

import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.ValueType;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What both histogram chunk iterators share: positioning on a chunk (in a byte[] or a
 * ByteBuffer), the header, sample counting, errors and seeking. Subclasses decode one sample per {@link #decodeNext()}.
 */
abstract class HistogramChunkReader implements SampleIterator {
  final BitReader r = new BitReader();
  private final ValueType type;
  CounterResetHeader header = CounterResetHeader.UNKNOWN;
  int numTotal;
  int numRead;
  private boolean done;
  private Exception err;
  HistogramLayout layout;
  long t = Long.MIN_VALUE;

  HistogramChunkReader(ValueType type) {
    this.type = type;
  }

  /** Positions on the chunk in {@code b[off, off+len)}; the sample count from its header. */
  final void position(byte[] b, int off, int len) {
    if (len < HistogramChunkWriter.HEADER_BYTES) {
      position(b, off, 0, 0);
      shorterThanHeader(len);
      return;
    }
    position(b, off, len, XorChunk.numSamples(b, off));
  }

  /** Positions on the chunk, decoding only its first {@code numSamples} samples. */
  final void position(byte[] b, int off, int len, int numSamples) {
    int end = off + len;
    r.open(b, Math.min(off + HistogramChunkWriter.HEADER_BYTES, end), end);
    start(numSamples, len >= HistogramChunkWriter.HEADER_BYTES
        ? CounterResetHeader.of(b, off) : CounterResetHeader.UNKNOWN);
  }

  /**
   * Positions on the chunk in {@code buf[off, off+len)} (absolute indices; the buffer's position
   * and byte order are ignored), for example in a memory-mapped block segment; the sample count
   * from its header.
   */
  final void position(ByteBuffer buf, int off, int len) {
    if (len < HistogramChunkWriter.HEADER_BYTES) {
      r.open(buf, off, off);
      start(0, CounterResetHeader.UNKNOWN);
      shorterThanHeader(len);
      return;
    }
    r.open(buf, off + HistogramChunkWriter.HEADER_BYTES, off + len);
    int numSamples = ((buf.get(off) & 0xff) << 8) | (buf.get(off + 1) & 0xff);
    start(numSamples, CounterResetHeader.fromByte(buf.get(off + CounterResetHeader.BYTE_INDEX)));
  }

  private void start(int numSamples, CounterResetHeader header) {
    this.header = header;
    numTotal = numSamples;
    numRead = 0;
    done = false;
    err = null;
    layout = null;
    t = Long.MIN_VALUE;
    clearState();
  }

  private void shorterThanHeader(int len) {
    err = new IOException(type + " chunk shorter than its header: " + len + " bytes");
    done = true;
  }

  /** Forgets the previous chunk's sample state. */
  abstract void clearState();

  /** Decodes the next sample (the layout first, for the first one); false when out of bits. */
  abstract boolean decodeNext();

  @Override
  public final ValueType next() {
    if (done || numRead >= numTotal) {
      done = true;
      return ValueType.NONE;
    }
    if (!decodeNext() || r.eof()) {
      done = true;
      if (err == null) {
        err = new IOException("corrupt or truncated " + type + " chunk: sample " + numRead
            + " of " + numTotal);
      }
      return ValueType.NONE;
    }
    numRead++;
    return type;
  }

  @Override
  public final ValueType seek(long target) {
    if (done) {
      return ValueType.NONE;
    }
    if (numRead > 0 && t >= target) {
      return type;
    }
    while (next() != ValueType.NONE) {
      if (t >= target) {
        return type;
      }
    }
    return ValueType.NONE;
  }

  @Override
  public final long t() {
    return t;
  }

  /** Histogram chunks hold no float samples. */
  @Override
  public final double v() {
    throw new IllegalStateException(type + " chunk iterator has no float value");
  }

  @Override
  public final Exception error() {
    return err;
  }

  /** The chunk's counter reset header. */
  public final CounterResetHeader counterResetHeader() {
    return header;
  }

  public final int numRead() {
    return numRead;
  }

  /** Samples this iterator will decode in total. */
  public final int numSamples() {
    return numTotal;
  }

  final int bitsConsumed() {
    return r.bitsConsumed();
  }
}
