package dev.tsdb.db;

import dev.tsdb.labels.Labels;
import dev.tsdb.storage.SampleIterator;
import dev.tsdb.storage.Series;

/** One series present in several sources, parts in priority order (see MergeSampleIterator). */
final class MergeSeries implements Series {
  private final Labels labels;
  private final Series[] parts;

  MergeSeries(Labels labels, Series[] parts) {
    this.labels = labels;
    this.parts = parts;
  }

  @Override
  public Labels labels() {
    return labels;
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    MergeSampleIterator it =
        reuse instanceof MergeSampleIterator m ? m : new MergeSampleIterator();
    return it.reset(parts);
  }
}
