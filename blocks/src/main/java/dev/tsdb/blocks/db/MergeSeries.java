package dev.tsdb.blocks.db;

import dev.tsdb.blocks.MergeSampleIterator;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.Series;

/**
 * One series present in several sources, parts in priority order (see MergeSampleIterator), or
 * in time order with disjoint ranges when {@code chained} (see ChainSampleIterator).
 */
final class MergeSeries implements Series {
  private final Labels labels;
  private final Series[] parts;
  private final boolean chained;

  MergeSeries(Labels labels, Series[] parts, boolean chained) {
    this.labels = labels;
    this.parts = parts;
    this.chained = chained;
  }

  @Override
  public Labels labels() {
    return labels;
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    if (chained) {
      ChainSampleIterator c =
          reuse instanceof ChainSampleIterator x ? x : new ChainSampleIterator();
      return c.reset(parts);
    }
    MergeSampleIterator it =
        reuse instanceof MergeSampleIterator m ? m : new MergeSampleIterator();
    return it.reset(parts);
  }
}
