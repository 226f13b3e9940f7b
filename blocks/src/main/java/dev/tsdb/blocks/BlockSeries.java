package dev.tsdb.blocks;

import dev.tsdb.blocks.chunks.ChunkReader;
import dev.tsdb.index.format.ChunkMetas;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.Series;

/** A series of a block: labels plus the chunk metadata needed to iterate its samples. */
final class BlockSeries implements Series {
  private final Labels labels;
  private final ChunkMetas metas; // null: labels only (select hint "series")
  private final Intervals deleted;
  private final ChunkReader chunks;
  private final long mint;
  private final long maxt;

  BlockSeries(Labels labels, ChunkMetas metas, Intervals deleted, ChunkReader chunks, long mint,
      long maxt) {
    this.labels = labels;
    this.metas = metas;
    this.deleted = deleted;
    this.chunks = chunks;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public Labels labels() {
    return labels;
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    if (metas == null) {
      return SampleIterator.EMPTY;
    }
    BlockSampleIterator it = reuse instanceof BlockSampleIterator b ? b : new BlockSampleIterator();
    return it.reset(chunks, metas, deleted, mint, maxt);
  }
}
