package dev.tsdb.index.storage;

import dev.tsdb.index.labels.Labels;

/** One series: its labels and its samples within the querier's range. */
public interface Series {
  Labels labels();

  /**
   * An iterator over the samples in time order. Pass the iterator from a previous series to let
   * the implementation reuse it (no allocation per series); pass null for a fresh one.
   */
  SampleIterator iterator(SampleIterator reuse);
}
