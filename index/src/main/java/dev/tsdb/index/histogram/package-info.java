/**
 * Prometheus's native histograms as data: {@link dev.tsdb.index.histogram.Histogram} (integer
 * counts, delta-encoded buckets) and {@link dev.tsdb.index.histogram.FloatHistogram} (float
 * counts), with the counter-reset hint their writers attach. Every layer (remote write, WAL
 * records, chunk encodings, PromQL) speaks these two types.
 */
package dev.tsdb.index.histogram;
