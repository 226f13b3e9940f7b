package dev.tsdb.index.format;

import java.nio.charset.StandardCharsets;

/**
 * The symbol table of an index: sorted, deduplicated strings referenced by their position.
 *
 * <pre>
 * len &lt;4b&gt; | #symbols &lt;4b&gt; | (len(str) &lt;uvarint&gt; str &lt;bytes&gt;)* | CRC32C(#symbols..) &lt;4b&gt;
 * </pre>
 *
 * Only every {@value #SAMPLE}th entry's position is kept in memory; a lookup decodes forward from
 * the nearest sample, so opening costs one pass and memory stays small for millions of symbols.
 */
public final class Symbols {
  static final int SAMPLE = 32;

  private final MappedBytes b;
  private final long[] sampled; // file positions of entries 0, 32, 64, ...
  private final int count;
  private final long end; // position of the CRC

  private Symbols(MappedBytes b, long[] sampled, int count, long end) {
    this.b = b;
    this.sampled = sampled;
    this.count = count;
    this.end = end;
  }

  /** Reads and checks the table at {@code off}; throws CorruptIndexException when invalid. */
  public static Symbols read(MappedBytes b, long off) {
    if (off + 8 > b.size()) {
      throw new CorruptIndexException(b.name() + ": symbol table beyond end of file");
    }
    long len = b.getInt(off) & 0xffffffffL;
    long end = off + 4 + len;
    if (len < 4 || end + 4 > b.size()) {
      throw new CorruptIndexException(b.name() + ": symbol table length " + len + " out of range");
    }
    int want = b.getInt(end);
    int got = b.crc32c(off + 4, len);
    if (want != got) {
      throw new CorruptIndexException(b.name() + ": symbol table checksum mismatch");
    }
    Decoder d = new Decoder(b).reset(off + 4, end);
    int count = d.be32();
    if (count < 0) {
      throw new CorruptIndexException(b.name() + ": negative symbol count");
    }
    long[] sampled = new long[(count + SAMPLE - 1) / SAMPLE];
    for (int i = 0; i < count; i++) {
      if (i % SAMPLE == 0) {
        sampled[i / SAMPLE] = d.position();
      }
      d.skipUvarintBytes();
    }
    return new Symbols(b, sampled, count, end);
  }

  public int size() {
    return count;
  }

  /** All symbols in order, decoded one by one (for merging symbol tables during compaction). */
  public java.util.Iterator<String> iterator() {
    Decoder d = new Decoder(b).reset(sampled.length == 0 ? end : sampled[0], end);
    return new java.util.Iterator<>() {
      private int i;

      @Override
      public boolean hasNext() {
        return i < count;
      }

      @Override
      public String next() {
        if (i >= count) {
          throw new java.util.NoSuchElementException();
        }
        i++;
        return d.uvarintStr();
      }
    };
  }

  /** The symbol with reference {@code ref}. */
  public String lookup(int ref) {
    return lookup(new Decoder(b), ref);
  }

  String lookup(Decoder d, int ref) {
    if (ref < 0 || ref >= count) {
      throw new CorruptIndexException(b.name() + ": unknown symbol reference " + ref);
    }
    d.reset(sampled[ref / SAMPLE], end);
    for (int i = ref % SAMPLE; i > 0; i--) {
      d.skipUvarintBytes();
    }
    return d.uvarintStr();
  }

  /** The reference of {@code s}, or -1 when it is not in the table. */
  public int reverseLookup(String s) {
    return reverseLookup(new Decoder(b), s.getBytes(StandardCharsets.UTF_8));
  }

  int reverseLookup(Decoder d, byte[] utf8) {
    if (count == 0) {
      return -1;
    }
    // Last sample whose string is <= target.
    int lo = 0;
    int hi = sampled.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      d.reset(sampled[mid], end);
      int c = d.compareUvarintStr(utf8);
      if (c == 0) {
        return mid * SAMPLE;
      } else if (c < 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) {
      return -1;
    }
    d.reset(sampled[found], end);
    int ref = found * SAMPLE;
    int last = Math.min(count, ref + SAMPLE);
    for (; ref < last; ref++) {
      int c = d.compareUvarintStr(utf8);
      if (c == 0) {
        return ref;
      } else if (c > 0) {
        return -1;
      }
    }
    return -1;
  }
}
