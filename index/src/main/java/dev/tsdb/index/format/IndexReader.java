package dev.tsdb.index.format;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads a Prometheus index file (format version 2, see {@link IndexWriter} for the layout) from
 * a memory mapping, lazily: opening checks the header and TOC, samples the symbol table and the
 * postings offset table (every name, every 32nd value plus each name's last), and nothing else.
 * Postings lists, series labels and chunk metadata are decoded on demand. Thread-safe.
 *
 * <p>Malformed bytes raise {@link CorruptIndexException}; {@link #open(Path, boolean)} with
 * {@code verify} also checks every section's CRC32C up front.
 */
public final class IndexReader implements Closeable {
  private static final int SAMPLE = 32;

  private final MappedBytes b;
  private final Toc toc;
  private final int version;
  private final Symbols symbols;
  private final Map<String, NameOffsets> postingsTable;
  private final String[] labelNames; // sorted, without ""
  private final Map<Integer, String> nameSymbols = new ConcurrentHashMap<>();
  private final CachedSymbol[] symbolCache = new CachedSymbol[4096];

  private record CachedSymbol(int ref, String value) {}

  /** Sampled postings offset table entries of one label name. */
  private static final class NameOffsets {
    String[] values = new String[4];
    long[] entryPositions = new long[4]; // position of the sampled entry in the table
    int n;
    long end; // position just after the name's last entry

    void add(String value, long pos) {
      if (n == values.length) {
        values = Arrays.copyOf(values, n * 2);
        entryPositions = Arrays.copyOf(entryPositions, n * 2);
      }
      values[n] = value;
      entryPositions[n] = pos;
      n++;
    }

    void trim() {
      values = Arrays.copyOf(values, n);
      entryPositions = Arrays.copyOf(entryPositions, n);
    }
  }

  private IndexReader(MappedBytes b) {
    this.b = b;
    if (b.size() < IndexFormat.HEADER_LENGTH) {
      throw new CorruptIndexException(b.name() + ": index header too short");
    }
    if (b.getInt(0) != IndexFormat.MAGIC) {
      throw new CorruptIndexException(
          b.name() + ": invalid magic number " + Integer.toHexString(b.getInt(0)));
    }
    version = b.get(4) & 0xff;
    if (version != IndexFormat.VERSION_2) {
      throw new CorruptIndexException(b.name() + ": unsupported index version " + version);
    }
    toc = Toc.read(b);
    symbols = Symbols.read(b, toc.symbols());
    postingsTable = new HashMap<>();
    labelNames = readPostingsTable();
  }

  /** Opens an index file; with {@code verify}, checks every section's checksum first. */
  public static IndexReader open(Path file, boolean verify) throws IOException {
    MappedBytes b = MappedBytes.map(file);
    try {
      return open(b, verify);
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
  }

  /** Opens an index over already mapped bytes (taking ownership of them). */
  public static IndexReader open(MappedBytes b, boolean verify) {
    IndexReader r = new IndexReader(b);
    if (verify) {
      r.verifyChecksums();
    }
    return r;
  }

  public int version() {
    return version;
  }

  public Toc toc() {
    return toc;
  }

  public Symbols symbols() {
    return symbols;
  }

  /** Size of the index file in bytes. */
  public long size() {
    return b.size();
  }

  private String[] readPostingsTable() {
    long off = toc.postingsTable();
    if (off == 0) {
      return new String[0];
    }
    if (off + 8 > b.size()) {
      throw new CorruptIndexException(b.name() + ": postings offset table beyond end of file");
    }
    long len = b.getInt(off) & 0xffffffffL;
    long end = off + 4 + len;
    if (end + 4 > b.size()) {
      throw new CorruptIndexException(b.name() + ": postings offset table length out of range");
    }
    if (b.crc32c(off + 4, len) != b.getInt(end)) {
      throw new CorruptIndexException(b.name() + ": postings offset table checksum mismatch");
    }
    Decoder d = new Decoder(b).reset(off + 4, end);
    int count = d.be32();
    List<String> names = new ArrayList<>();
    NameOffsets cur = null;
    String curName = null;
    String lastValue = null;
    long lastPos = 0;
    int valueCount = 0;
    for (int i = 0; i < count; i++) {
      long pos = d.position();
      if (d.uvarint() != 2) {
        throw new CorruptIndexException(b.name() + ": postings offset entry with key count != 2");
      }
      String name = d.uvarintStr();
      if (!name.equals(curName)) {
        if (cur != null) {
          finishName(cur, lastValue, lastPos, valueCount, pos);
        }
        if (postingsTable.containsKey(name)) {
          throw new CorruptIndexException(b.name() + ": postings offset table not sorted");
        }
        cur = new NameOffsets();
        postingsTable.put(name, cur);
        curName = name;
        if (!name.isEmpty()) {
          names.add(name);
        }
        valueCount = 0;
      }
      String value = d.uvarintStr();
      long postingsOff = d.uvarint();
      if (postingsOff < 0 || postingsOff + 8 > b.size()) {
        throw new CorruptIndexException(b.name() + ": postings offset " + postingsOff
            + " out of range");
      }
      if (valueCount % SAMPLE == 0) {
        cur.add(value, pos);
      }
      lastValue = value;
      lastPos = pos;
      valueCount++;
    }
    if (cur != null) {
      finishName(cur, lastValue, lastPos, valueCount, d.position());
    }
    return names.toArray(new String[0]);
  }

  private static void finishName(NameOffsets no, String lastValue, long lastPos, int valueCount,
      long end) {
    if ((valueCount - 1) % SAMPLE != 0) {
      no.add(lastValue, lastPos); // always keep the last value, to bound lookups cheaply
    }
    no.end = end;
    no.trim();
  }

  /** Sorted label names of all series. */
  public List<String> labelNames() {
    return List.of(labelNames);
  }

  /** Sorted values of a label name over all series (empty if the name is unknown). */
  public List<String> labelValues(String name) {
    List<String> out = new ArrayList<>();
    forEachValue(name, "", (value, off) -> {
      out.add(value);
      return true;
    });
    return out;
  }

  /** Receives label values with the offset of their postings list; returns false to stop. */
  public interface ValueVisitor {
    boolean visit(String value, long postingsOffset);
  }

  /**
   * Visits a name's values in order, starting at the first value &gt;= {@code from} (use "" for
   * all), with the offset of each value's postings list.
   */
  public void forEachValue(String name, String from, ValueVisitor v) {
    NameOffsets no = postingsTable.get(name);
    if (no == null) {
      return;
    }
    int k = 0;
    if (!from.isEmpty()) {
      k = lastSampleAtMost(no, from);
      if (k < 0) {
        k = 0;
      }
    }
    Decoder d = new Decoder(b).reset(no.entryPositions[k], no.end);
    while (d.remaining() > 0) {
      d.uvarint();
      d.skipUvarintBytes();
      String value = d.uvarintStr();
      long off = d.uvarint();
      if (!from.isEmpty() && Utf8Order.compare(value, from) < 0) {
        continue;
      }
      if (!v.visit(value, off)) {
        return;
      }
    }
  }

  private static int lastSampleAtMost(NameOffsets no, String value) {
    int lo = 0;
    int hi = no.n - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Utf8Order.compare(no.values[mid], value);
      if (c <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Offset of the postings list of name=value, or -1 when the pair does not occur. */
  public long postingsOffset(String name, String value) {
    NameOffsets no = postingsTable.get(name);
    if (no == null) {
      return -1;
    }
    int k = lastSampleAtMost(no, value);
    if (k < 0) {
      return -1;
    }
    byte[] target = value.getBytes(StandardCharsets.UTF_8);
    Decoder d = new Decoder(b).reset(no.entryPositions[k], no.end);
    while (d.remaining() > 0) {
      d.uvarint();
      d.skipUvarintBytes();
      int c = d.compareUvarintStr(target);
      long off = d.uvarint();
      if (c == 0) {
        return off;
      }
      if (c > 0) {
        return -1;
      }
    }
    return -1;
  }

  /** The postings list of name=value; empty when the pair does not occur. */
  public IndexPostings postings(String name, String value) {
    long off = postingsOffset(name, value);
    return off < 0 ? IndexPostings.EMPTY : postingsAt(off);
  }

  /** Every series, in reference (and so label) order. */
  public IndexPostings allPostings() {
    return postings("", "");
  }

  /** The postings list starting at a file offset taken from the postings offset table. */
  public IndexPostings postingsAt(long off) {
    if (off + 8 > b.size()) {
      throw new CorruptIndexException(b.name() + ": postings offset " + off + " out of range");
    }
    long len = b.getInt(off) & 0xffffffffL;
    int n = b.getInt(off + 4);
    if (n < 0 || len != 4 + 4L * n || off + 8 + len > b.size()) {
      throw new CorruptIndexException(b.name() + ": malformed postings list at " + off);
    }
    return new IndexPostings(b, off + 8, n);
  }

  /** Union of the postings of name=v for each v in values, as a bitmap of series references. */
  public RoaringBitmap postingsBitmap(String name, Collection<String> values) {
    RoaringBitmap r = new RoaringBitmap();
    for (String v : values) {
      long off = postingsOffset(name, v);
      if (off >= 0) {
        r.or(postingsAt(off).toBitmap());
      }
    }
    return r;
  }

  private String nameSymbol(Decoder d, int ref) {
    String s = nameSymbols.get(ref);
    if (s == null) {
      s = symbols.lookup(d, ref);
      nameSymbols.put(ref, s);
    }
    return s;
  }

  private String valueSymbol(Decoder d, int ref) {
    int slot = ref & (symbolCache.length - 1);
    CachedSymbol c = symbolCache[slot];
    if (c != null && c.ref == ref) {
      return c.value;
    }
    String s = symbols.lookup(d, ref);
    symbolCache[slot] = new CachedSymbol(ref, s);
    return s;
  }

  /** The labels of the series with reference {@code ref}. */
  public Labels seriesLabels(long ref) {
    return series(ref, null);
  }

  /**
   * Decodes the series with reference {@code ref}: returns its labels and, when {@code chunks} is
   * not null, replaces its content with the series' chunk metadata.
   */
  public Labels series(long ref, ChunkMetas chunks) {
    long pos = ref * IndexFormat.SERIES_ALIGNMENT;
    if (ref < 0 || pos >= toc.labelIndices() || pos < toc.series()) {
      throw new CorruptIndexException(b.name() + ": series reference " + ref + " out of range");
    }
    Decoder d = new Decoder(b).reset(pos, b.size());
    long len = d.uvarint();
    d.reset(d.position(), d.position() + len);
    Decoder sym = new Decoder(b);
    int nl = d.uvarint32();
    String[] nv = new String[nl * 2];
    boolean sorted = true;
    for (int i = 0; i < nl; i++) {
      nv[2 * i] = nameSymbol(sym, d.uvarint32());
      nv[2 * i + 1] = valueSymbol(sym, d.uvarint32());
      if (i > 0 && nv[2 * i].compareTo(nv[2 * i - 2]) <= 0) {
        sorted = false;
      }
    }
    Labels labels;
    if (sorted) {
      labels = Labels.fromSortedUnsafe(nv);
    } else {
      LabelsBuilder lb = new LabelsBuilder();
      for (int i = 0; i < nl; i++) {
        lb.set(nv[2 * i], nv[2 * i + 1]);
      }
      labels = lb.build();
    }
    if (chunks != null) {
      chunks.clear();
      int nc = d.uvarint32();
      if (nc > 0) {
        long mint = d.varint();
        long maxt = mint + d.uvarint();
        long cref = d.uvarint();
        chunks.add(mint, maxt, cref);
        for (int i = 1; i < nc; i++) {
          mint = maxt + d.uvarint();
          maxt = mint + d.uvarint();
          cref += d.varint();
          chunks.add(mint, maxt, cref);
        }
      }
    }
    return labels;
  }

  /** Checks the CRC32C of every section and entry; throws CorruptIndexException on mismatch. */
  public void verifyChecksums() {
    Decoder d = new Decoder(b);
    // Series: 16-byte aligned entries between the series start and the label indices.
    long pos = toc.series();
    long end = toc.labelIndices();
    while (true) {
      pos = (pos + IndexFormat.SERIES_ALIGNMENT - 1) & -IndexFormat.SERIES_ALIGNMENT;
      if (pos >= end) {
        break;
      }
      d.reset(pos, end);
      long len = d.uvarint();
      long content = d.position();
      if (content + len + 4 > end) {
        throw new CorruptIndexException(b.name() + ": series entry at " + pos + " overruns");
      }
      if (b.crc32c(content, len) != b.getInt(content + len)) {
        throw new CorruptIndexException(b.name() + ": series checksum mismatch at " + pos);
      }
      pos = content + len + 4;
    }
    verifyFixedSections(toc.labelIndices(), toc.postings(), "label index");
    long postingsEnd = toc.labelIndicesTable() >= toc.postings() && toc.labelIndicesTable() != 0
        ? toc.labelIndicesTable() : toc.postingsTable();
    verifyFixedSections(toc.postings(), postingsEnd, "postings list");
    if (toc.labelIndicesTable() != 0 && toc.labelIndicesTable() != toc.postingsTable()) {
      verifyFixedSections(toc.labelIndicesTable(), toc.labelIndicesTable() + 1,
          "label offset table");
    }
  }

  /** Walks 4-aligned "len &lt;4b&gt; body CRC" sections starting in [start, end). */
  private void verifyFixedSections(long start, long end, String what) {
    long pos = start;
    while (true) {
      pos = (pos + 3) & -4L;
      if (pos >= end) {
        return;
      }
      if (pos + 4 > b.size()) {
        throw new CorruptIndexException(b.name() + ": " + what + " at " + pos + " truncated");
      }
      long len = b.getInt(pos) & 0xffffffffL;
      if (pos + 8 + len > b.size()) {
        throw new CorruptIndexException(b.name() + ": " + what + " at " + pos + " overruns");
      }
      if (b.crc32c(pos + 4, len) != b.getInt(pos + 4 + len)) {
        throw new CorruptIndexException(b.name() + ": " + what + " checksum mismatch at " + pos);
      }
      pos += 8 + len;
    }
  }

  /** Unmaps the file; no method may be called, nor any cursor used, afterwards. */
  @Override
  public void close() {
    b.close();
  }
}
