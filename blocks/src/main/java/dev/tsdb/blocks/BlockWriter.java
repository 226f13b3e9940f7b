package dev.tsdb.blocks;

import dev.tsdb.blocks.chunks.ChunkWriter;
import dev.tsdb.index.format.ChunkMetas;
import dev.tsdb.index.format.IndexWriter;
import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.io.FileOps;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.ChunkMeta;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Writes one block directory the way Prometheus lays it out:
 *
 * <pre>
 * &lt;ulid&gt;/meta.json  &lt;ulid&gt;/index  &lt;ulid&gt;/chunks/000001...  &lt;ulid&gt;/tombstones
 * </pre>
 *
 * Everything is first written to {@code <ulid>.tmp-for-creation/}, fsynced (files, then the
 * directories), and renamed atomically to {@code <ulid>/} by {@link #commit}, so a crash never
 * leaves a half-written block under a valid name.
 *
 * <p>Usage: {@link #addSymbols} (every label name and value of all series, once each, in any
 * order or already sorted), then {@link #addSeries} in label order (Go's byte order: see
 * {@link Utf8Order#compare(Labels, Labels)}), then {@link #commit}. Series data streams to disk;
 * memory holds only the symbol set handed over and per-batch postings at commit.
 */
public final class BlockWriter implements Closeable {
  public static final String TMP_SUFFIX = ".tmp-for-creation";

  private final Path parent;
  private final Ulid ulid;
  private final Path tmpDir;
  private final FileOps files;
  private final ChunkWriter chunks;
  private final IndexWriter index;
  private final ChunkMetas metas = new ChunkMetas();
  private Labels lastSeries;
  private boolean symbolsAdded;
  private boolean done;
  private long numSamples;
  private long numSeries;
  private long numChunks;
  private long minTime = Long.MAX_VALUE;
  private long maxTime = Long.MIN_VALUE;

  private BlockWriter(Path parent, Ulid ulid, long segmentSize, FileOps files)
      throws IOException {
    this.parent = parent;
    this.ulid = ulid;
    this.tmpDir = parent.resolve(ulid + TMP_SUFFIX);
    this.files = files;
    files.createDirectories(parent);
    deleteRecursively(tmpDir);
    files.createDirectories(tmpDir);
    ChunkWriter cw = null;
    try {
      cw = new ChunkWriter(tmpDir.resolve("chunks"), segmentSize, files);
      this.chunks = cw;
      this.index = IndexWriter.create(tmpDir.resolve("index"), files);
    } catch (IOException | RuntimeException e) {
      // Nothing of a block that could not even start may stay behind (a full disk).
      try {
        if (cw != null) {
          cw.close();
        }
      } catch (IOException | RuntimeException e2) {
        e.addSuppressed(e2);
      }
      deleteRecursively(tmpDir);
      throw e;
    }
  }

  public static BlockWriter create(Path parent) throws IOException {
    return create(parent, Ulid.generate());
  }

  public static BlockWriter create(Path parent, Ulid ulid) throws IOException {
    return create(parent, ulid, FileOps.REAL);
  }

  /** A writer whose files are opened by {@code files} (tests inject disk errors). */
  public static BlockWriter create(Path parent, Ulid ulid, FileOps files) throws IOException {
    return new BlockWriter(parent, ulid, dev.tsdb.blocks.chunks.ChunkSegments.DEFAULT_SEGMENT_SIZE,
        files);
  }

  /** A writer with a chosen chunk segment size (tests use small ones to get many files). */
  public static BlockWriter create(Path parent, Ulid ulid, long segmentSize) throws IOException {
    return new BlockWriter(parent, ulid, segmentSize, FileOps.REAL);
  }

  public Ulid ulid() {
    return ulid;
  }

  /** Adds all symbols; they are sorted and deduplicated here. Call once, before any series. */
  public void addSymbols(Iterable<String> symbols) throws IOException {
    if (symbolsAdded) {
      throw new IllegalStateException("symbols already added");
    }
    TreeSet<String> sorted = new TreeSet<>(Utf8Order::compare);
    for (String s : symbols) {
      sorted.add(s);
    }
    addSortedSymbols(sorted);
  }

  /** Adds symbols already unique and ascending in UTF-8 byte order (streamed, no copy). */
  public void addSortedSymbols(Iterable<String> sortedSymbols) throws IOException {
    if (symbolsAdded) {
      throw new IllegalStateException("symbols already added");
    }
    symbolsAdded = true;
    for (String s : sortedSymbols) {
      index.addSymbol(s);
    }
  }

  /**
   * Writes a series' chunks and its index entry. Chunks must be in time order and must not
   * overlap. A series without chunks is skipped, as Prometheus does.
   */
  public void addSeries(Labels labels, List<ChunkMeta> seriesChunks) throws IOException {
    if (!symbolsAdded) {
      throw new IllegalStateException("addSymbols must come first");
    }
    if (seriesChunks.isEmpty()) {
      return;
    }
    if (lastSeries != null && Utf8Order.compare(labels, lastSeries) <= 0) {
      throw new IllegalArgumentException(
          "out-of-order series " + labels + " after " + lastSeries);
    }
    lastSeries = labels;
    metas.clear();
    for (ChunkMeta c : seriesChunks) {
      if (!metas.isEmptyOrBefore(c.minTime())) {
        throw new IllegalArgumentException("overlapping or unordered chunks in " + labels);
      }
      long ref = chunks.write(c.encoding(), c.data());
      metas.add(c.minTime(), c.maxTime(), ref);
      numSamples += c.numSamples();
      minTime = Math.min(minTime, c.minTime());
      maxTime = Math.max(maxTime, c.maxTime());
    }
    index.addSeries(labels, metas);
    numSeries++;
    numChunks += seriesChunks.size();
  }

  /**
   * Finishes the block with the data's own time range: [first sample, last sample + 1).
   *
   * @return the meta written, with the block now at {@code parent/<ulid>}
   */
  public BlockMeta commit() throws IOException {
    long min = numChunks == 0 ? 0 : minTime;
    long max = numChunks == 0 ? 0 : maxTime + 1;
    return commit(min, max, new BlockMeta.Compaction(1, List.of(ulid.toString())));
  }

  /** Finishes the block with an explicit [minTime, maxTime) and compaction info. */
  public BlockMeta commit(long blockMinTime, long blockMaxTime, BlockMeta.Compaction compaction)
      throws IOException {
    if (done) {
      throw new IllegalStateException("already committed or aborted");
    }
    if (!symbolsAdded) {
      addSortedSymbols(List.of());
    }
    done = true;
    boolean ok = false;
    try {
      chunks.close();
      index.close();
      BlockMeta meta = new BlockMeta(ulid.toString(), blockMinTime, blockMaxTime,
          new BlockMeta.Stats(numSamples, numSeries, numChunks), compaction, BlockMeta.VERSION);
      Tombstones.EMPTY.write(tmpDir, files);
      meta.write(tmpDir, files);
      files.syncDirectory(tmpDir.resolve("chunks"));
      files.syncDirectory(tmpDir);
      Path dest = parent.resolve(ulid.toString());
      deleteRecursively(dest);
      files.rename(tmpDir, dest, StandardCopyOption.ATOMIC_MOVE);
      files.syncDirectory(parent);
      ok = true;
      return meta;
    } finally {
      if (!ok) {
        deleteRecursively(tmpDir);
      }
    }
  }

  /** Discards everything written. */
  public void abort() throws IOException {
    if (done) {
      return;
    }
    done = true;
    try {
      chunks.close();
      index.close();
    } catch (IOException | RuntimeException e) {
      // Being discarded anyway.
    }
    deleteRecursively(tmpDir);
  }

  /** Aborts unless committed. */
  @Override
  public void close() throws IOException {
    abort();
  }

  /**
   * Writes a whole block from series given in any order, computing the symbols (for tests,
   * imports and small blocks; large writers stream through {@link #addSeries}).
   */
  public static BlockMeta write(Path parent, Map<Labels, List<ChunkMeta>> series)
      throws IOException {
    TreeMap<Labels, List<ChunkMeta>> sorted = new TreeMap<>(Utf8Order::compare);
    sorted.putAll(series);
    List<String> symbols = new ArrayList<>();
    for (Labels l : sorted.keySet()) {
      l.forEach((n, v) -> {
        symbols.add(n);
        symbols.add(v);
      });
    }
    try (BlockWriter w = create(parent)) {
      w.addSymbols(symbols);
      for (Map.Entry<Labels, List<ChunkMeta>> e : sorted.entrySet()) {
        w.addSeries(e.getKey(), e.getValue());
      }
      return w.commit();
    }
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
