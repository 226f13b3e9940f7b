package dev.tsdb.index.format;

import dev.tsdb.index.io.FileOps;
import dev.tsdb.index.labels.Labels;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes a Prometheus index file, format version 2 (tsdb/docs/format/index.md):
 *
 * <pre>
 * magic 0xBAAAD700 &lt;4b&gt; | version 2 &lt;1b&gt;
 * symbol table      len &lt;4b&gt; #symbols &lt;4b&gt; (uvarint-prefixed UTF-8)* CRC32C
 * series            per series, 16-byte aligned (ref = offset/16):
 *                   len &lt;uvarint&gt; #labels &lt;uvarint&gt; (nameRef valueRef &lt;uvarint32&gt;)*
 *                   #chunks &lt;uvarint&gt; mint &lt;varint&gt; maxt-mint &lt;uvarint&gt; ref &lt;uvarint&gt;
 *                   (mint-prevMaxt &lt;uvarint&gt; maxt-mint &lt;uvarint&gt; refDelta &lt;varint&gt;)* CRC32C
 * label indices     per name, 4-aligned: len &lt;4b&gt; 1 &lt;4b&gt; #values &lt;4b&gt; valueRef &lt;4b&gt;* CRC32C
 * postings          per label pair, 4-aligned: len &lt;4b&gt; #refs &lt;4b&gt; seriesRef &lt;4b&gt;* CRC32C
 * label offset tbl  len &lt;4b&gt; #entries &lt;4b&gt; (1 &lt;uvarint&gt; name offset &lt;uvarint&gt;)* CRC32C
 * postings offset   len &lt;4b&gt; #entries &lt;4b&gt; (2 &lt;uvarint&gt; name value offset &lt;uvarint&gt;)* CRC32C
 * TOC               six section offsets &lt;8b each&gt; CRC32C
 * </pre>
 *
 * Every "len" counts the bytes between itself and the trailing CRC, which covers exactly them.
 * The label indices and their offset table are no longer read by Prometheus but are written as
 * Prometheus 2.x did, so older readers are happy too.
 *
 * <p>Usage: {@link #addSymbol} every string used in labels, strictly ascending in UTF-8 byte
 * order; then {@link #addSeries} in label order; then {@link #close}. Memory stays bounded: the
 * symbol table is consulted through a mapping of the file, and postings are computed on close by
 * re-reading the series section in batches of label names holding at most one entry per series,
 * spilling postings and their offset table to temporary files.
 */
public final class IndexWriter implements Closeable {
  private enum Stage { SYMBOLS, SERIES, DONE }

  private final Path file;
  private final FileSink out;
  private final FileOps files;
  private final EncodeBuffer buf1 = new EncodeBuffer(1 << 12);
  private final EncodeBuffer buf2 = new EncodeBuffer(1 << 12);
  private Stage stage = Stage.SYMBOLS;

  private final long symbolsStart;
  private int numSymbols;
  private byte[] lastSymbol;
  private MappedBytes symbolMap;
  private Symbols symbols;
  private Decoder symbolDecoder;

  private long seriesStart;
  private Labels lastSeries;
  private int numSeries;
  private final Map<String, NameStats> names = new HashMap<>();
  private int[] labelRefs = new int[32];
  private NameStats[] labelStats = new NameStats[16];

  /** Per label name: its symbol, usage count, and the last value's symbol (a lookup cache). */
  private static final class NameStats {
    final String name;
    final int ref;
    long count;
    String lastValue;
    int lastValueRef;

    NameStats(String name, int ref) {
      this.name = name;
      this.ref = ref;
    }
  }

  private IndexWriter(Path file, FileOps files) throws IOException {
    this.file = file;
    this.files = files;
    Files.deleteIfExists(file);
    this.out = new FileSink(file, 1 << 20, files);
    buf1.reset().putBE32(IndexFormat.MAGIC).putByte(IndexFormat.VERSION_2);
    out.write(buf1);
    symbolsStart = out.position();
    buf1.reset().putBE32(0).putBE32(0); // length and count, filled in later
    out.write(buf1);
  }

  public static IndexWriter create(Path file) throws IOException {
    return new IndexWriter(file, FileOps.REAL);
  }

  /** A writer whose files (the index and its temporary postings) are opened by {@code files}. */
  public static IndexWriter create(Path file, FileOps files) throws IOException {
    return new IndexWriter(file, files);
  }

  /** Adds the next symbol; symbols must be unique and ascending in UTF-8 byte order. */
  public void addSymbol(String symbol) throws IOException {
    if (stage != Stage.SYMBOLS) {
      throw new IllegalStateException("symbols must be added before series");
    }
    byte[] utf8 = symbol.getBytes(StandardCharsets.UTF_8);
    if (lastSymbol != null && Arrays.compareUnsigned(lastSymbol, utf8) >= 0) {
      throw new IllegalArgumentException("symbol out of order: \"" + symbol + "\"");
    }
    lastSymbol = utf8;
    numSymbols++;
    buf1.reset().putUvarintBytes(utf8);
    out.write(buf1);
  }

  private void finishSymbols() throws IOException {
    long len = out.position() - symbolsStart - 4;
    if (len > 0xffffffffL) {
      throw new IOException("symbol table exceeds 4 GiB");
    }
    buf1.reset().putBE32((int) len).putBE32(numSymbols);
    out.writeAt(symbolsStart, buf1.array(), 0, 8);
    int crc = out.crc32c(symbolsStart + 4, out.position());
    buf1.reset().putBE32(crc);
    out.write(buf1);
    out.flush();
    symbolMap = MappedBytes.map(file);
    symbols = Symbols.read(symbolMap, symbolsStart);
    symbolDecoder = new Decoder(symbolMap);
    seriesStart = out.position();
    stage = Stage.SERIES;
  }

  /**
   * Adds a series with its chunks. Series must come in strictly increasing label order
   * (Prometheus's labels.Compare); chunks in time order, not overlapping.
   *
   * @return the series reference (its offset / 16) used in postings
   */
  public long addSeries(Labels labels, ChunkMetas chunks) throws IOException {
    if (stage == Stage.SYMBOLS) {
      finishSymbols();
    } else if (stage != Stage.SERIES) {
      throw new IllegalStateException("writer is closed");
    }
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("series without labels");
    }
    if (lastSeries != null && Utf8Order.compare(labels, lastSeries) <= 0) {
      throw new IllegalArgumentException(
          "out-of-order series added with label set " + labels + ", last " + lastSeries);
    }
    for (int i = 0; i < chunks.size(); i++) {
      if (chunks.maxTime(i) < chunks.minTime(i)) {
        throw new IllegalArgumentException("chunk maxT " + chunks.maxTime(i)
            + " is less than minT " + chunks.minTime(i) + " in " + labels);
      }
      if (i > 0 && chunks.minTime(i) <= chunks.maxTime(i - 1)) {
        throw new IllegalArgumentException("chunk minT " + chunks.minTime(i)
            + " is not higher than previous chunk maxT " + chunks.maxTime(i - 1) + " in " + labels);
      }
    }
    out.pad(IndexFormat.SERIES_ALIGNMENT);
    long ref = out.position() / IndexFormat.SERIES_ALIGNMENT;
    if (ref > 0xffffffffL) {
      throw new IOException("index exceeds 64 GiB");
    }

    // Resolve every symbol before touching any state, so a rejected series leaves none behind.
    if (labelRefs.length < labels.size() * 2) {
      labelRefs = new int[labels.size() * 2];
      labelStats = new NameStats[labels.size()];
    }
    for (int i = 0; i < labels.size(); i++) {
      String name = labels.name(i);
      String value = labels.value(i);
      NameStats ns = names.get(name);
      labelRefs[2 * i] = ns != null ? ns.ref : symbolRef(name);
      labelRefs[2 * i + 1] = ns != null && value.equals(ns.lastValue) ? ns.lastValueRef
          : symbolRef(value);
      labelStats[i] = ns;
    }
    buf2.reset().putUvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      NameStats ns = labelStats[i];
      if (ns == null) {
        ns = new NameStats(labels.name(i), labelRefs[2 * i]);
        names.put(ns.name, ns);
      }
      ns.count++;
      ns.lastValue = labels.value(i);
      ns.lastValueRef = labelRefs[2 * i + 1];
      buf2.putUvarint(labelRefs[2 * i]).putUvarint(labelRefs[2 * i + 1]);
    }
    buf2.putUvarint(chunks.size());
    if (chunks.size() > 0) {
      buf2.putVarint(chunks.minTime(0));
      buf2.putUvarint(chunks.maxTime(0) - chunks.minTime(0));
      buf2.putUvarint(chunks.ref(0));
      long t0 = chunks.maxTime(0);
      long ref0 = chunks.ref(0);
      for (int i = 1; i < chunks.size(); i++) {
        buf2.putUvarint(chunks.minTime(i) - t0);
        buf2.putUvarint(chunks.maxTime(i) - chunks.minTime(i));
        t0 = chunks.maxTime(i);
        buf2.putVarint(chunks.ref(i) - ref0);
        ref0 = chunks.ref(i);
      }
    }
    int crc = buf2.crc32c(0);
    buf1.reset().putUvarint(buf2.length());
    buf2.putBE32(crc);
    out.write(buf1);
    out.write(buf2);
    lastSeries = labels;
    numSeries++;
    return ref;
  }

  private int symbolRef(String s) {
    int ref = symbols.reverseLookup(symbolDecoder, s.getBytes(StandardCharsets.UTF_8));
    if (ref < 0) {
      throw new IllegalArgumentException("symbol entry for \"" + s + "\" does not exist");
    }
    return ref;
  }

  /** Writes postings, label indices, offset tables and the TOC, then syncs and closes the file. */
  @Override
  public void close() throws IOException {
    if (stage == Stage.DONE) {
      return;
    }
    try {
      if (stage == Stage.SYMBOLS) {
        finishSymbols();
      }
      finish();
    } finally {
      stage = Stage.DONE;
      if (symbolMap != null) {
        symbolMap.close();
      }
      out.close();
      Files.deleteIfExists(tmpPostingsPath());
      Files.deleteIfExists(tmpOffsetsPath());
    }
  }

  private Path tmpPostingsPath() {
    return file.resolveSibling(file.getFileName() + "_tmp_p");
  }

  private Path tmpOffsetsPath() {
    return file.resolveSibling(file.getFileName() + "_tmp_po");
  }

  private void finish() throws IOException {
    out.flush();
    long labelIndicesStart = out.position();
    List<long[]> labelIndexOffsets = new ArrayList<>(); // {nameRef, offset}
    long postingsStart;
    long labelTableStart;
    long postingsTableStart;
    try (MappedBytes series = MappedBytes.map(file);
        FileSink tmpP = new FileSink(tmpPostingsPath(), 1 << 20, files);
        FileSink tmpPO = new FileSink(tmpOffsetsPath(), 1 << 16, files)) {
      PostingsSpill spill = new PostingsSpill(tmpP, tmpPO);
      Decoder d = new Decoder(series);

      int[] all = new int[numSeries];
      int[] n = {0};
      walkSeries(d, seriesStart, labelIndicesStart, (ref, dec) -> all[n[0]++] = (int) ref);
      spill.write("", "", all, 0, numSeries);

      List<NameStats> sorted = new ArrayList<>(names.values());
      sorted.sort((a, b) -> Integer.compare(a.ref, b.ref));
      int i = 0;
      while (i < sorted.size()) {
        // A batch of names whose postings together hold at most one entry per series.
        int j = i;
        long total = 0;
        while (j < sorted.size() && (j == i || total + sorted.get(j).count <= numSeries)) {
          total += sorted.get(j).count;
          j++;
        }
        writeBatch(sorted.subList(i, j), d, labelIndicesStart, spill, labelIndexOffsets);
        i = j;
      }

      out.flush();
      long tocPostings = out.position();
      out.pad(4);
      postingsStart = out.position();
      tmpP.flush();
      out.append(tmpP.channel());

      labelTableStart = out.position();
      writeLabelOffsetTable(labelIndexOffsets);

      postingsTableStart = out.position();
      tmpPO.flush();
      writePostingsOffsetTable(spill.count, postingsStart);

      Toc toc = new Toc(symbolsStart, seriesStart, labelIndicesStart, labelTableStart,
          tocPostings, postingsTableStart);
      buf1.reset();
      toc.write(buf1);
      out.write(buf1);
      out.sync();
    }
  }

  interface SeriesVisitor {
    void visit(long ref, Decoder atLabels);
  }

  /** Calls the visitor for each series entry with a decoder positioned at its label count. */
  static void walkSeries(Decoder d, long start, long end, SeriesVisitor v) {
    MappedBytes b = d.bytes();
    long pos = start;
    while (true) {
      pos = (pos + IndexFormat.SERIES_ALIGNMENT - 1) & -IndexFormat.SERIES_ALIGNMENT;
      if (pos >= end) {
        return;
      }
      d.reset(pos, end);
      long len = d.uvarint();
      long next = d.position() + len + 4;
      v.visit(pos / IndexFormat.SERIES_ALIGNMENT, d);
      pos = next;
      if (pos > b.size()) {
        throw new CorruptIndexException(b.name() + ": series entry overruns section");
      }
    }
  }

  private void writeBatch(List<NameStats> batch, Decoder d, long end, PostingsSpill spill,
      List<long[]> labelIndexOffsets) throws IOException {
    int[] nameRefs = new int[batch.size()];
    long[][] pairs = new long[batch.size()][];
    int[] fill = new int[batch.size()];
    for (int k = 0; k < batch.size(); k++) {
      nameRefs[k] = batch.get(k).ref; // ascending: batch is sorted by ref
      pairs[k] = new long[(int) batch.get(k).count];
    }
    walkSeries(d, seriesStart, end, (ref, dec) -> {
      int nl = dec.uvarint32();
      for (int l = 0; l < nl; l++) {
        int nameRef = dec.uvarint32();
        int valueRef = dec.uvarint32();
        int k = Arrays.binarySearch(nameRefs, nameRef);
        if (k >= 0) {
          pairs[k][fill[k]++] = ((long) valueRef << 32) | ref;
        }
      }
    });
    int[] refs = new int[0];
    for (int k = 0; k < batch.size(); k++) {
      long[] p = pairs[k];
      if (fill[k] != p.length) {
        throw new IllegalStateException("label " + batch.get(k).name + " counted " + p.length
            + " uses but found " + fill[k]);
      }
      Arrays.sort(p);
      if (refs.length < p.length) {
        refs = new int[p.length];
      }
      // Label index entry for this name, in the main file.
      out.pad(4);
      labelIndexOffsets.add(new long[] {nameRefs[k], out.position()});
      buf1.reset().putBE32(0).putBE32(1).putBE32(0);
      int values = 0;
      int s = 0;
      while (s < p.length) {
        int valueRef = (int) (p[s] >>> 32);
        int e = s;
        while (e < p.length && (int) (p[e] >>> 32) == valueRef) {
          refs[e - s] = (int) p[e];
          e++;
        }
        String value = symbols.lookup(symbolDecoder, valueRef);
        spill.write(batch.get(k).name, value, refs, 0, e - s);
        buf1.putBE32(valueRef);
        values++;
        s = e;
      }
      buf1.setBE32(0, buf1.length() - 4);
      buf1.setBE32(8, values);
      int crc = buf1.crc32c(4);
      buf1.putBE32(crc);
      out.write(buf1);
      pairs[k] = null; // let the batch's memory go as we proceed
    }
  }

  /** Streams postings lists and their offset-table entries to two temporary files. */
  private static final class PostingsSpill {
    final FileSink postings;
    final FileSink offsets;
    final EncodeBuffer e = new EncodeBuffer(1 << 16);
    long count;

    PostingsSpill(FileSink postings, FileSink offsets) {
      this.postings = postings;
      this.offsets = offsets;
    }

    void write(String name, String value, int[] refs, int from, int to) throws IOException {
      postings.pad(4);
      e.reset().putUvarint(2).putUvarintStr(name).putUvarintStr(value)
          .putUvarint(postings.position());
      offsets.write(e);
      count++;
      int n = to - from;
      e.reset().putBE32(4 + 4 * n);
      postings.write(e);
      CRC32C crc = new CRC32C();
      e.reset().putBE32(n);
      for (int i = from; i < to; i++) {
        e.putBE32(refs[i]);
        if (e.length() >= (1 << 16) - 4) {
          crc.update(e.array(), 0, e.length());
          postings.write(e);
          e.reset();
        }
      }
      crc.update(e.array(), 0, e.length());
      postings.write(e);
      e.reset().putBE32((int) crc.getValue());
      postings.write(e);
    }
  }

  private void writeLabelOffsetTable(List<long[]> entries) throws IOException {
    buf1.reset().putBE32(0).putBE32(entries.size());
    for (long[] en : entries) {
      buf1.putUvarint(1);
      buf1.putUvarintStr(symbols.lookup(symbolDecoder, (int) en[0]));
      buf1.putUvarint(en[1]);
    }
    buf1.setBE32(0, buf1.length() - 4);
    buf1.putBE32(buf1.crc32c(4));
    out.write(buf1);
  }

  private void writePostingsOffsetTable(long count, long postingsStart) throws IOException {
    if (count > Integer.MAX_VALUE) {
      throw new IOException("too many postings lists: " + count);
    }
    long start = out.position();
    CRC32C crc = new CRC32C();
    buf1.reset().putBE32(0).putBE32((int) count);
    crc.update(buf1.array(), 4, 4);
    out.write(buf1);
    try (MappedBytes tmp = MappedBytes.map(tmpOffsetsPath())) {
      Decoder d = new Decoder(tmp).reset(0, tmp.size());
      buf1.reset();
      for (long i = 0; i < count; i++) {
        buf1.putUvarint(d.uvarint());
        int nameLen = d.uvarint32();
        buf1.putUvarint(nameLen);
        copyBytes(tmp, d, nameLen);
        int valueLen = d.uvarint32();
        buf1.putUvarint(valueLen);
        copyBytes(tmp, d, valueLen);
        buf1.putUvarint(d.uvarint() + postingsStart);
        if (buf1.length() >= 1 << 16) {
          crc.update(buf1.array(), 0, buf1.length());
          out.write(buf1);
          buf1.reset();
        }
      }
      crc.update(buf1.array(), 0, buf1.length());
      out.write(buf1);
    }
    long len = out.position() - start - 4;
    if (len > 0xffffffffL) {
      throw new IOException("postings offset table exceeds 4 GiB");
    }
    buf1.reset().putBE32((int) len);
    out.writeAt(start, buf1.array(), 0, 4);
    buf1.reset().putBE32((int) crc.getValue());
    out.write(buf1);
  }

  private byte[] copyScratch = new byte[256];

  private void copyBytes(MappedBytes src, Decoder d, int len) {
    if (copyScratch.length < len) {
      copyScratch = new byte[len];
    }
    src.copy(d.position(), copyScratch, 0, len);
    d.skip(len);
    buf1.putBytes(copyScratch, 0, len);
  }
}
