package dev.tsdb.api.export;

import dev.tsdb.index.labels.Labels;

/** How one exported series is written: one or more lines holding all its samples. */
public interface SeriesFormat {
  String contentType();

  /** Appends the lines of one series; {@code n > 0} samples in time order. */
  void append(StringBuilder out, Labels labels, long[] timestamps, double[] values, int n);
}
