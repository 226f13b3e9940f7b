package dev.tsdb.promql.value;

import dev.tsdb.index.labels.Labels;

/** One series of a range result: parallel timestamp and value arrays of length {@code count}. */
public record SeriesPoints(Labels metric, long[] timestampsMs, double[] values, int count) {}
