package dev.tsdb.index.storage;

import dev.tsdb.index.labels.Matcher;
import java.io.IOException;
import java.util.List;

/** Storage that keeps exemplars and can select them (Prometheus's ExemplarQuerier). */
public interface ExemplarQueryable {
  /**
   * Exemplars with timestamps in [start, end] (ms, inclusive) of the series matching any of the
   * matcher sets (a series is selected when every matcher of one set matches it). Series are
   * sorted by labels (Go byte order), exemplars oldest first; series without exemplars in range
   * are left out.
   */
  List<ExemplarSeries> selectExemplars(long start, long end, List<List<Matcher>> matcherSets)
      throws IOException;
}
