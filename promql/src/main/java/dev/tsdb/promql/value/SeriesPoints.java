package dev.tsdb.promql.value;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;

/**
 * One series of a range result: parallel timestamp and value arrays of length {@code count}.
 * {@code histograms} is null when every point is a float; otherwise {@code histograms[i]} is the
 * native histogram of point i, or null where point i is a float. Prometheus's JSON lists the two
 * kinds separately ({@code values} and {@code histograms}), each in time order.
 */
public record SeriesPoints(Labels metric, long[] timestampsMs, double[] values, int count,
    FloatHistogram[] histograms) {
  /** A series of float points. */
  public SeriesPoints(Labels metric, long[] timestampsMs, double[] values, int count) {
    this(metric, timestampsMs, values, count, null);
  }

  public boolean isHistogram(int i) {
    return histograms != null && histograms[i] != null;
  }

  /** Number of float points. */
  public int floatCount() {
    if (histograms == null) {
      return count;
    }
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (histograms[i] == null) {
        n++;
      }
    }
    return n;
  }
}
