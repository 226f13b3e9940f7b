package dev.tsdb.promql.value;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;

/**
 * One element of an instant vector: a float {@code value}, or a native {@code histogram} (then
 * non-null, and {@code value} is meaningless).
 */
public record Sample(Labels metric, long timestampMs, double value, FloatHistogram histogram) {
  /** A float sample. */
  public Sample(Labels metric, long timestampMs, double value) {
    this(metric, timestampMs, value, null);
  }

  public boolean isHistogram() {
    return histogram != null;
  }
}
