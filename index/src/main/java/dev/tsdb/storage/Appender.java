package dev.tsdb.storage;

import dev.tsdb.labels.Labels;
import java.io.IOException;

/**
 * Batches samples for one transaction. Nothing appended is visible to queries or durable until
 * {@link #commit()} returns; {@link #rollback()} discards the batch. Not thread-safe: one appender
 * per writer.
 */
public interface Appender {
  /**
   * Adds a float sample.
   *
   * @param ref a series reference returned by an earlier append to the same storage, or 0 to look
   *     the series up by its labels (which must then be sorted and valid)
   * @return the series reference to pass next time, to skip the label lookup
   * @throws SampleRejectedException when the sample breaks an append rule; the batch stays usable
   */
  long append(long ref, Labels labels, long timestampMs, double value)
      throws SampleRejectedException;

  /** Adds an exemplar to a series appended in this batch. Storage may drop it if unsupported. */
  default void appendExemplar(long ref, Labels labels, Exemplar exemplar)
      throws SampleRejectedException {}

  /** Records metric-family metadata (type, help, unit) seen with a series. */
  default void updateMetadata(long ref, Labels labels, MetricMetadata metadata) {}

  /** Makes the batch durable (per the storage's sync policy) and visible. */
  void commit() throws IOException;

  void rollback();
}
