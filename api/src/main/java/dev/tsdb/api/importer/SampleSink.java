package dev.tsdb.api.importer;

import dev.tsdb.index.labels.Labels;

/** Receives the samples a line decoder finds. */
interface SampleSink {
  void add(Labels labels, long timestampMs, double value);
}
