package dev.tsdb.promql.engine;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.Series;

/** A series read through a {@link HistogramStatsIterator}: histograms without their buckets. */
record HistogramStatsSeries(Series series) implements Series {
  @Override
  public Labels labels() {
    return series.labels();
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    if (reuse instanceof HistogramStatsIterator stats) {
      return stats.reset(series.iterator(stats.delegate()));
    }
    return new HistogramStatsIterator(series.iterator(reuse));
  }
}
