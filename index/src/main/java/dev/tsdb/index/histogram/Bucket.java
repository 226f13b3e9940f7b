package dev.tsdb.index.histogram;

/**
 * One bucket of a float histogram with its boundaries, as Prometheus's bucket iterators yield it:
 * which ends belong to the bucket follows from the bucket's side (positive buckets are
 * {@code (lower, upper]}, negative ones {@code [lower, upper)}, the zero bucket
 * {@code [-threshold, threshold]}, the first custom bucket {@code [-Inf, upper]}).
 *
 * @param index the bucket's index in its schema (0 for the zero bucket, which has none)
 */
public record Bucket(double lower, double upper, boolean lowerInclusive, boolean upperInclusive,
    double count, int index) {}
