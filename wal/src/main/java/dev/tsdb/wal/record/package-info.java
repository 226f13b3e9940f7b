/**
 * WAL record payloads as Prometheus's tsdb/record: {@link dev.tsdb.wal.record.RecordEncoder}
 * writes one record into a reusable {@link dev.tsdb.wal.record.EncodeBuffer};
 * {@link dev.tsdb.wal.record.RecordDecoder} fills reusable primitive batches
 * ({@link dev.tsdb.wal.record.SampleBatch}, {@link dev.tsdb.wal.record.HistogramBatch} etc.).
 * Neither allocates per sample.
 */
package dev.tsdb.wal.record;
