package dev.tsdb.storage;

import dev.tsdb.labels.Labels;

/** An exemplar attached to a sample: its own labels (e.g. trace_id), value and time. */
public record Exemplar(Labels labels, double value, long timestampMs) {}
