package dev.tsdb.blocks.db;

import dev.tsdb.blocks.BlockMeta;
import dev.tsdb.blocks.BlockWriter;
import dev.tsdb.blocks.Ulid;
import dev.tsdb.head.ChunkReencoder;
import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.io.FileOps;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkSeries;
import dev.tsdb.index.storage.ChunkSeriesSet;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.SeriesSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Persists what a querier sees (the head's samples of one block range) as a level-1 block:
 * series sorted in Go's byte order, samples re-encoded into chunks of at most 120 samples (XOR
 * for floats, histogram chunks for histograms).
 * Used to cut the head into blocks and to snapshot the head.
 */
final class QuerierBlockWriter {
  static final int SAMPLES_PER_CHUNK = 120;

  private QuerierBlockWriter() {}

  /**
   * Writes every sample of {@code q} (opened over [mint, maxt-1]) into a new block directory in
   * {@code parent} with meta range [mint, maxt).
   *
   * @return the meta, or null when the range holds no samples (no block is written)
   */
  static BlockMeta write(Path parent, Querier q, long mint, long maxt) throws IOException {
    SeriesSet set = q.select(true, null);
    List<Series> series = new ArrayList<>();
    while (set.next()) {
      series.add(set.at());
    }
    if (set.error() != null) {
      throw new IOException("reading the head: " + set.error().getMessage(), set.error());
    }
    // The head orders by Java string order; files need Go's byte order.
    series.sort((a, b) -> Utf8Order.compare(a.labels(), b.labels()));
    TreeSet<String> symbols = new TreeSet<>(Utf8Order::compare);
    for (Series s : series) {
      s.labels().forEach((n, v) -> {
        symbols.add(n);
        symbols.add(v);
      });
    }
    Ulid ulid = Ulid.generate();
    long samples = 0;
    try (BlockWriter w = BlockWriter.create(parent, ulid)) {
      w.addSortedSymbols(symbols);
      SampleIterator it = null;
      List<ChunkMeta> chunks = new ArrayList<>();
      for (Series s : series) {
        it = s.iterator(it);
        chunks.clear();
        samples += encode(it, mint, maxt - 1, chunks);
        if (it.error() != null) {
          throw new IOException("reading " + s.labels() + ": " + it.error().getMessage(),
              it.error());
        }
        w.addSeries(s.labels(), chunks);
      }
      if (samples == 0) {
        w.abort();
        return null;
      }
      return w.commit(mint, maxt,
          new BlockMeta.Compaction(1, List.of(ulid.toString())));
    }
  }

  /**
   * Writes the chunks of {@code q} (opened over [mint, maxt-1]; chunks must lie within it, not
   * overlap, and series come sorted in Go's byte order, as the head's chunk view does) into a new
   * block with meta range [mint, maxt). Chunks are written as they are, without re-encoding.
   *
   * @return the meta, or null when the range holds no samples (no block is written)
   */
  static BlockMeta writeChunks(Path parent, ChunkQuerier q, long mint, long maxt)
      throws IOException {
    return writeChunks(parent, q, mint, maxt, FileOps.REAL);
  }

  /** {@link #writeChunks(Path, ChunkQuerier, long, long)} writing through {@code files}. */
  static BlockMeta writeChunks(Path parent, ChunkQuerier q, long mint, long maxt, FileOps files)
      throws IOException {
    ChunkSeriesSet set = q.select(true, null);
    List<ChunkSeries> series = new ArrayList<>();
    TreeSet<String> symbols = new TreeSet<>(Utf8Order::compare);
    long samples = 0;
    while (set.next()) {
      ChunkSeries s = set.at();
      series.add(s);
      s.labels().forEach((n, v) -> {
        symbols.add(n);
        symbols.add(v);
      });
      for (ChunkMeta c : s.chunks()) {
        samples += c.numSamples();
      }
    }
    if (set.error() != null) {
      throw new IOException("reading the head: " + set.error().getMessage(), set.error());
    }
    if (samples == 0) {
      return null;
    }
    Ulid ulid = Ulid.generate();
    try (BlockWriter w = BlockWriter.create(parent, ulid, files)) {
      w.addSortedSymbols(symbols);
      for (ChunkSeries s : series) {
        w.addSeries(s.labels(), s.chunks());
      }
      return w.commit(mint, maxt, new BlockMeta.Compaction(1, List.of(ulid.toString())));
    }
  }

  /**
   * Encodes the iterator's samples within [mint, maxt] into chunks (floats XOR, histograms their
   * own chunk kinds; {@link ChunkReencoder}'s rules); returns the count.
   */
  static long encode(SampleIterator it, long mint, long maxt, List<ChunkMeta> out) {
    int from = out.size();
    ChunkReencoder.encode(it, mint, maxt, SAMPLES_PER_CHUNK, out);
    long n = 0;
    for (int i = from; i < out.size(); i++) {
      n += out.get(i).numSamples();
    }
    return n;
  }
}
