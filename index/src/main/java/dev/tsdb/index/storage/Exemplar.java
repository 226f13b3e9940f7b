package dev.tsdb.index.storage;

import dev.tsdb.index.labels.Labels;

/** An exemplar attached to a sample: its own labels (e.g. trace_id), value and time. */
public record Exemplar(Labels labels, double value, long timestampMs) {}
