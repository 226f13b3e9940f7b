package dev.tsdb.api.handlers;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;

/**
 * The latest sample of one federated series: a float {@code v}, or a native histogram {@code h}
 * (then non-null, and {@code v} unused).
 */
record FederatedSample(Labels labels, long t, double v, FloatHistogram h) {
  boolean isHistogram() {
    return h != null;
  }
}
