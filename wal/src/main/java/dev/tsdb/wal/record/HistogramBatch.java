package dev.tsdb.wal.record;

import dev.tsdb.index.histogram.Histogram;

/**
 * Integer native-histogram samples for HistogramSamples (7) and CustomBucketsHistogramSamples
 * (9) records; see {@link HistogramSampleBatch} for how decoding reuses the histograms.
 */
public final class HistogramBatch extends HistogramSampleBatch<Histogram> {
  public HistogramBatch() {
    this(16);
  }

  public HistogramBatch(int capacity) {
    super(capacity, Histogram[]::new);
  }

  @Override
  Histogram newHistogram() {
    return new Histogram();
  }

  @Override
  boolean usesCustomBuckets(Histogram h) {
    return h.usesCustomBuckets();
  }
}
