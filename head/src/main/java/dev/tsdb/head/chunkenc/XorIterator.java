package dev.tsdb.head.chunkenc;

import dev.tsdb.index.format.Varint;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.ValueType;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Decodes an XOR chunk (format in {@link XorAppender}) from a byte[] or a ByteBuffer (for
 * example a memory-mapped block file) at an offset, without allocating per sample. Reusable via
 * the reset methods.
 */
public final class XorIterator extends BitReader implements SampleIterator {
  private int numTotal;
  private int numRead;
  private boolean done;
  private long t = Long.MIN_VALUE;
  private long tDelta;
  private long vBits;
  private int leading; // the value's XOR window: 0/0 until a '11' record, as in Prometheus
  private int trailing;
  private boolean windowSeen; // a '11' record set leading/trailing (for XorAppender.resume)
  private Exception err;

  /** Positions on a chunk held in {@code b[off, off+len)}; the sample count comes from its header. */
  public XorIterator reset(byte[] b, int off, int len) {
    if (len < XorAppender.HEADER_BYTES) {
      return resetBroken(b, off, len);
    }
    int n = ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    return reset(b, off, len, n);
  }

  /**
   * Like {@link #reset(byte[], int, int)} but decodes only the first {@code numSamples} samples,
   * ignoring the header count (for a chunk still being appended to).
   */
  public XorIterator reset(byte[] b, int off, int len, int numSamples) {
    open(b, off + XorAppender.HEADER_BYTES, off + Math.max(len, XorAppender.HEADER_BYTES));
    init(numSamples);
    return this;
  }

  /** Positions on a chunk held in {@code buf[off, off+len)} (absolute indices; position ignored). */
  public XorIterator reset(ByteBuffer buf, int off, int len) {
    if (len < XorAppender.HEADER_BYTES) {
      open(buf, off, off);
      return broken(len);
    }
    open(buf, off + XorAppender.HEADER_BYTES, off + len);
    init(((buf.get(off) & 0xff) << 8) | (buf.get(off + 1) & 0xff));
    return this;
  }

  private XorIterator resetBroken(byte[] b, int off, int len) {
    open(b, off, off);
    return broken(len);
  }

  private XorIterator broken(int len) {
    init(0);
    err = new IOException("XOR chunk shorter than its header: " + len + " bytes");
    return this;
  }

  private void init(int numSamples) {
    numTotal = numSamples;
    numRead = 0;
    done = false;
    t = Long.MIN_VALUE;
    tDelta = 0;
    vBits = 0;
    leading = 0;
    trailing = 0;
    windowSeen = false;
    err = null;
  }

  @Override
  public ValueType next() {
    if (done) {
      return ValueType.NONE;
    }
    if (numRead >= numTotal) {
      done = true;
      return ValueType.NONE;
    }
    if (numRead == 0) {
      long x = Varint.unzigzag(readUvarint());
      long v = readBits(64);
      if (eof()) {
        return fail();
      }
      t = x;
      vBits = v;
    } else if (numRead == 1) {
      long delta = readUvarint();
      if (eof()) {
        return fail();
      }
      tDelta = delta;
      t += delta;
      readValue();
    } else {
      long dod = readDod();
      if (eof()) {
        return fail();
      }
      tDelta += dod;
      t += tDelta;
      readValue();
    }
    if (eof()) {
      return fail();
    }
    numRead++;
    return ValueType.FLOAT;
  }

  private long readDod() {
    // Prefix of up to four bits: 0, 10, 110, 1110, 1111.
    int sz;
    if (readBit() == 0) {
      return 0;
    } else if (readBit() == 0) {
      sz = 14;
    } else if (readBit() == 0) {
      sz = 17;
    } else if (readBit() == 0) {
      sz = 20;
    } else {
      return readBits(64);
    }
    long bits = readBits(sz);
    // Values above 2^(sz-1) are negative (see the symmetric range in BitWriter.fits).
    if (bits > (1L << (sz - 1))) {
      bits -= 1L << sz;
    }
    return bits;
  }

  private void readValue() {
    if (readBit() == 0) {
      return; // same value
    }
    if (readBit() != 0) {
      long ctl = readBits(11);
      leading = (int) (ctl >>> 6);
      int sig = (int) (ctl & 63);
      if (sig == 0) {
        sig = 64;
      }
      trailing = 64 - leading - sig;
      windowSeen = true;
      if (trailing < 0) {
        corrupt(); // more bits than a long
        return;
      }
    }
    vBits ^= readBits(64 - leading - trailing) << trailing;
  }

  private ValueType fail() {
    done = true;
    if (err == null) {
      err = new IOException("corrupt or truncated XOR chunk: sample " + numRead + " of " + numTotal);
    }
    return ValueType.NONE;
  }

  @Override
  public ValueType seek(long target) {
    if (done) {
      return ValueType.NONE;
    }
    if (numRead > 0 && t >= target) {
      return ValueType.FLOAT;
    }
    while (next() != ValueType.NONE) {
      if (t >= target) {
        return ValueType.FLOAT;
      }
    }
    return ValueType.NONE;
  }

  @Override
  public long t() {
    return t;
  }

  @Override
  public double v() {
    return Double.longBitsToDouble(vBits);
  }

  /** Raw bits of the current value (exact, including NaN payloads). */
  public long vBits() {
    return vBits;
  }

  @Override
  public Exception error() {
    return err;
  }

  /** Number of samples decoded so far. */
  public int numRead() {
    return numRead;
  }

  /** Samples this iterator will decode in total. */
  public int numSamples() {
    return numTotal;
  }

  // State for XorAppender.resume.

  long t0() {
    return t;
  }

  long tDelta() {
    return tDelta;
  }

  /** The value's XOR window, packed as {@link BitWriter} packs it. */
  int valueWindow() {
    return (leading << 8) | trailing;
  }

  /** Whether a '11' record set the window (else it is the reader's initial 0/0). */
  boolean windowSeen() {
    return windowSeen;
  }
}
