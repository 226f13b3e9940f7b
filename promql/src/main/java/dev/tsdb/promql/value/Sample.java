package dev.tsdb.promql.value;

import dev.tsdb.index.labels.Labels;

/** One element of an instant vector. */
public record Sample(Labels metric, long timestampMs, double value) {}
