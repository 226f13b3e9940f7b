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
public final class XorIterator implements SampleIterator {
  private final ChunkBytes src = new ChunkBytes();
  private int start; // first data byte (after the header)
  private int pos; // next byte to load into the bit buffer
  private int end; // one past the last byte

  private long buffer; // the low `valid` bits are unread, most significant first
  private int valid;
  private boolean eof;

  private int numTotal;
  private int numRead;
  private boolean done;
  private long t = Long.MIN_VALUE;
  private long tDelta;
  private long vBits;
  private int leading;
  private int trailing;
  private boolean windowSeen; // a '11' control set leading/trailing (for XorAppender.resume)
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
    src.use(b);
    init(off, len, numSamples);
    return this;
  }

  /** Positions on a chunk held in {@code buf[off, off+len)} (absolute indices; position ignored). */
  public XorIterator reset(ByteBuffer buf, int off, int len) {
    src.use(buf);
    if (len < XorAppender.HEADER_BYTES) {
      init(off, 0, 0);
      err = new IOException("XOR chunk shorter than its header: " + len + " bytes");
      return this;
    }
    init(off, len, src.uint16At(off));
    return this;
  }

  private XorIterator resetBroken(byte[] b, int off, int len) {
    src.use(b);
    init(off, 0, 0);
    err = new IOException("XOR chunk shorter than its header: " + len + " bytes");
    return this;
  }

  private void init(int off, int len, int numSamples) {
    start = off + XorAppender.HEADER_BYTES;
    pos = start;
    end = off + Math.max(len, XorAppender.HEADER_BYTES);
    buffer = 0;
    valid = 0;
    eof = false;
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
      if (eof) {
        return fail();
      }
      t = x;
      vBits = v;
    } else if (numRead == 1) {
      long delta = readUvarint();
      if (eof) {
        return fail();
      }
      tDelta = delta;
      t += delta;
      readValue();
    } else {
      long dod = readDod();
      if (eof) {
        return fail();
      }
      tDelta += dod;
      t += tDelta;
      readValue();
    }
    if (eof) {
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
    // Values above 2^(sz-1) are negative (see the symmetric range in XorAppender.fits).
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
        eof = true; // corrupt: more bits than a long
        return;
      }
    }
    int sig = 64 - leading - trailing;
    long bits = readBits(sig);
    vBits ^= bits << trailing;
  }

  private ValueType fail() {
    done = true;
    if (err == null) {
      err = new IOException("corrupt or truncated XOR chunk: sample " + numRead + " of " + numTotal);
    }
    return ValueType.NONE;
  }

  private long readUvarint() {
    long x = 0;
    for (int shift = 0, i = 0; i < 10; i++, shift += 7) {
      long b = readBits(8);
      if (eof) {
        return 0;
      }
      if (b < 0x80) {
        if (i == 9 && b > 1) {
          eof = true; // overflows 64 bits
          return 0;
        }
        return x | (b << shift);
      }
      x |= (b & 0x7f) << shift;
    }
    eof = true;
    return 0;
  }

  private int readBit() {
    if (valid == 0 && !refill()) {
      eof = true;
      return 0;
    }
    valid--;
    return (int) (buffer >>> valid) & 1;
  }

  /** Reads nbits (1..64) as the low bits of the result. */
  private long readBits(int nbits) {
    if (nbits <= valid) {
      valid -= nbits;
      return (buffer >>> valid) & mask(nbits);
    }
    long hi = buffer & mask(valid);
    int need = nbits - valid;
    valid = 0;
    if (!refill() || valid < need) {
      eof = true;
      return 0;
    }
    valid -= need;
    return (hi << need) | ((buffer >>> valid) & mask(need));
  }

  private static long mask(int n) {
    return n >= 64 ? -1L : (1L << n) - 1;
  }

  private boolean refill() {
    int remaining = end - pos;
    if (remaining <= 0) {
      return false;
    }
    if (remaining >= 8) {
      buffer = src.longAt(pos);
      pos += 8;
      valid = 64;
      return true;
    }
    long b = 0;
    for (int i = 0; i < remaining; i++) {
      b = (b << 8) | src.byteAt(pos + i);
    }
    buffer = b;
    pos = end;
    valid = remaining * 8;
    return true;
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
  int bitsConsumed() {
    return (pos - start) * 8 - valid;
  }

  long t0() {
    return t;
  }

  long tDelta() {
    return tDelta;
  }

  /** The value's XOR window, packed as {@link BitWriter} packs it. */
  int window() {
    return (leading << 8) | trailing;
  }

  boolean windowSeen() {
    return windowSeen;
  }
}
