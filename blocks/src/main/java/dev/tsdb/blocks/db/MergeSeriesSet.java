package dev.tsdb.blocks.db;

import dev.tsdb.blocks.LabelOrderMerge;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.SeriesSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Series sets sorted by labels merged into one ({@link LabelOrderMerge}): series with equal
 * labels in several sets come out once, as a {@link MergeSeries} whose parts keep the sets'
 * order (lower index = higher priority for duplicate timestamps).
 */
final class MergeSeriesSet implements SeriesSet {
  private final SeriesSet[] sets;
  private final LabelOrderMerge<Series, RuntimeException> merge;

  /** @param disjoint whether the sets' time ranges are disjoint and ascending */
  MergeSeriesSet(SeriesSet[] sets, boolean disjoint) {
    this.sets = sets;
    List<LabelOrderMerge.Input<Series>> inputs = new ArrayList<>(sets.length);
    for (SeriesSet s : sets) {
      inputs.add(LabelOrderMerge.Input.of(s::next, s::at, s::error));
    }
    this.merge = new LabelOrderMerge<>(inputs, Series::labels,
        (labels, parts) -> new MergeSeries(labels, parts.toArray(new Series[0]), disjoint));
  }

  @Override
  public boolean next() {
    return merge.next();
  }

  @Override
  public Series at() {
    return merge.at();
  }

  @Override
  public Exception error() {
    return merge.inputError();
  }

  @Override
  public List<String> warnings() {
    LinkedHashSet<String> w = new LinkedHashSet<>();
    for (SeriesSet s : sets) {
      w.addAll(s.warnings());
    }
    return new ArrayList<>(w);
  }
}
