package dev.tsdb.wal.record;

import dev.tsdb.index.histogram.FloatHistogram;

/**
 * Float native-histogram samples for FloatHistogramSamples (8) and
 * CustomBucketsFloatHistogramSamples (10) records; see {@link HistogramSampleBatch} for how
 * decoding reuses the histograms.
 */
public final class FloatHistogramBatch extends HistogramSampleBatch<FloatHistogram> {
  public FloatHistogramBatch() {
    this(16);
  }

  public FloatHistogramBatch(int capacity) {
    super(capacity, FloatHistogram[]::new);
  }

  @Override
  FloatHistogram newHistogram() {
    return new FloatHistogram();
  }

  @Override
  boolean usesCustomBuckets(FloatHistogram h) {
    return h.usesCustomBuckets();
  }
}
