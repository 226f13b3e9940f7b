package dev.tsdb.blocks;

import dev.tsdb.head.ChunkReencoder;
import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.io.FileOps;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkSeries;
import dev.tsdb.index.storage.ChunkSeriesSet;
import dev.tsdb.index.storage.SampleIterator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * Merges blocks into one new block, streaming series in label order. Chunks of a series that do
 * not overlap in time are copied unchanged; when sources overlap (vertical compaction) the
 * series' samples are merged by timestamp, keeping the first source's sample for duplicate
 * timestamps, and re-encoded as Prometheus's series-to-chunk encoding does: floats into XOR
 * chunks, histograms into (float) histogram chunks, a new chunk at a switch of sample type, at
 * {@value #SAMPLES_PER_CHUNK} samples or where the histogram appender starts one (counter reset,
 * layout change; a wider layout is recoded instead).
 * Tombstones of the sources are applied (deleted samples are gone from the result).
 */
public final class Compactor {
  public static final int SAMPLES_PER_CHUNK = 120;

  private Compactor() {}

  /**
   * Writes the merge of {@code sources} (which stay open and untouched) as a new block in
   * {@code parent}.
   *
   * @return the new block's meta, or null when the sources hold no samples at all (then no block
   *     is written and the sources can simply be deleted)
   */
  public static BlockMeta compact(Path parent, List<Block> sources) throws IOException {
    return compact(parent, sources, FileOps.REAL);
  }

  /** {@link #compact(Path, List)} writing through {@code files}. */
  public static BlockMeta compact(Path parent, List<Block> sources, FileOps files)
      throws IOException {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("nothing to compact");
    }
    List<Block> blocks = new ArrayList<>(sources);
    blocks.sort(Comparator.comparingLong(Block::minTime).thenComparing(Block::ulid));
    long minTime = Long.MAX_VALUE;
    long maxTime = Long.MIN_VALUE;
    int level = 0;
    TreeSet<String> srcUlids = new TreeSet<>();
    List<BlockMeta.Parent> parents = new ArrayList<>();
    for (Block b : blocks) {
      minTime = Math.min(minTime, b.minTime());
      maxTime = Math.max(maxTime, b.maxTime());
      level = Math.max(level, b.meta().compaction().level());
      srcUlids.addAll(b.meta().compaction().sources());
      parents.add(new BlockMeta.Parent(b.ulid(), b.minTime(), b.maxTime()));
    }

    List<ChunkQuerier> queriers = new ArrayList<>();
    BlockWriter w = BlockWriter.create(parent, Ulid.generate(), files);
    try {
      List<Iterator<String>> symbolIts = new ArrayList<>();
      for (Block b : blocks) {
        symbolIts.add(b.index().symbols().iterator());
      }
      w.addSortedSymbols(() -> mergeSorted(symbolIts));

      List<ChunkSeriesSet> sets = new ArrayList<>(blocks.size());
      for (Block b : blocks) {
        ChunkQuerier q = b.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE);
        queriers.add(q);
        sets.add(q.select(true, null));
      }
      LabelOrderMerge<ChunkSeries, IOException> merge = mergeByLabels(sets);
      long samples = 0;
      while (merge.next()) {
        ChunkSeries s = merge.at();
        for (ChunkMeta m : s.chunks()) {
          samples += m.numSamples();
        }
        w.addSeries(s.labels(), s.chunks());
      }
      Exception err = merge.inputError();
      if (err != null) {
        throw new IOException("reading source block: " + err.getMessage(), err);
      }
      if (samples == 0) {
        w.abort();
        return null;
      }
      BlockMeta.Compaction compaction = new BlockMeta.Compaction(level + 1,
          List.copyOf(srcUlids), false, parents, false, List.of());
      return w.commit(minTime, maxTime, compaction);
    } catch (IOException | RuntimeException e) {
      w.abort();
      throw e;
    } finally {
      for (ChunkQuerier q : queriers) {
        q.close();
      }
    }
  }

  private record MergedSeries(Labels labels, List<ChunkMeta> chunks) implements ChunkSeries {}

  /**
   * Chunk series sets sorted by labels (sources in priority order) merged into one: a series
   * held by several sources gets the chunks {@link #mergeChunks} makes of theirs. Used by
   * compaction and by the chunk view of a querier over several blocks and the head.
   */
  public static LabelOrderMerge<ChunkSeries, IOException> mergeByLabels(List<ChunkSeriesSet> sets) {
    List<LabelOrderMerge.Input<ChunkSeries>> inputs = new ArrayList<>(sets.size());
    for (ChunkSeriesSet s : sets) {
      inputs.add(LabelOrderMerge.Input.of(s::next, s::at, s::error));
    }
    return new LabelOrderMerge<>(inputs, ChunkSeries::labels, (labels, parts) -> {
      List<List<ChunkMeta>> perSource = new ArrayList<>(parts.size());
      for (ChunkSeries p : parts) {
        perSource.add(p.chunks());
      }
      return new MergedSeries(labels, mergeChunks(perSource));
    });
  }

  /** Merges several ascending string iterators into one ascending iterator without duplicates. */
  static Iterator<String> mergeSorted(List<Iterator<String>> its) {
    record Head(String value, Iterator<String> it) {}
    PriorityQueue<Head> heap = new PriorityQueue<>((a, b) -> Utf8Order.compare(a.value, b.value));
    for (Iterator<String> it : its) {
      if (it.hasNext()) {
        heap.add(new Head(it.next(), it));
      }
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return !heap.isEmpty();
      }

      @Override
      public String next() {
        if (heap.isEmpty()) {
          throw new NoSuchElementException();
        }
        String v = heap.peek().value;
        while (!heap.isEmpty() && heap.peek().value.equals(v)) {
          Head h = heap.poll();
          if (h.it.hasNext()) {
            heap.add(new Head(h.it.next(), h.it));
          }
        }
        return v;
      }
    };
  }

  /**
   * The chunks of one series from several sources (each in time order, sources in priority
   * order): concatenated when no two overlap, else merged sample by sample.
   */
  public static List<ChunkMeta> mergeChunks(List<List<ChunkMeta>> perSource) throws IOException {
    if (perSource.size() == 1) {
      return perSource.get(0);
    }
    List<ChunkMeta> all = new ArrayList<>();
    for (List<ChunkMeta> l : perSource) {
      all.addAll(l);
    }
    all.sort(Comparator.comparingLong(ChunkMeta::minTime));
    boolean overlap = false;
    for (int i = 1; i < all.size(); i++) {
      if (all.get(i).minTime() <= all.get(i - 1).maxTime()) {
        overlap = true;
        break;
      }
    }
    if (!overlap) {
      return all;
    }
    // Merge the sources' samples by timestamp (first source wins) and re-encode them.
    SampleIterator[] sources = new SampleIterator[perSource.size()];
    for (int i = 0; i < sources.length; i++) {
      sources[i] = new ChunkListIterator(perSource.get(i), Intervals.EMPTY);
    }
    MergeSampleIterator merged = new MergeSampleIterator().reset(sources);
    List<ChunkMeta> out = new ArrayList<>();
    ChunkReencoder.encode(merged, Long.MIN_VALUE, Long.MAX_VALUE, SAMPLES_PER_CHUNK, out);
    if (merged.error() != null) {
      throw new IOException("decoding chunk: " + merged.error().getMessage(), merged.error());
    }
    return out;
  }
}
