package dev.tsdb.bench.gen;

/**
 * One series every simulated target exposes: metric name, labels beyond the target's own (sorted
 * by name, as name/value pairs), value kind. For histograms, {@code bucketFraction} is the share
 * of observations at or below this bucket's {@code le} and {@code group} identifies the histogram
 * within a target so its buckets, _sum and _count move together.
 */
public record SeriesTemplate(String name, String[] extraLabels, MetricKind kind,
    double bucketFraction, int group) {}
