package dev.tsdb.index.storage;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
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

  /** What storage without native-histogram support answers to {@link #appendHistogram}. */
  String HISTOGRAMS_UNSUPPORTED = "native histograms are not supported yet";

  /**
   * Adds a native histogram sample (Prometheus's AppendHistogram): exactly one of {@code h}
   * (integer counts) and {@code fh} (float counts) is non-null. Callers validate it first
   * ({@link dev.tsdb.index.histogram.HistogramValidation}); the appender may keep the instance,
   * so callers hand over one they no longer change.
   *
   * @param ref as for {@link #append}
   * @return the series reference to pass next time
   * @throws SampleRejectedException when an append rule refuses the sample; by default always,
   *     with the message {@link #HISTOGRAMS_UNSUPPORTED} (storage that keeps histograms overrides
   *     this)
   */
  default long appendHistogram(long ref, Labels labels, long timestampMs, Histogram h,
      FloatHistogram fh) throws SampleRejectedException {
    throw SampleRejectedException.withMessage(SampleRejectedException.Reason.OTHER,
        HISTOGRAMS_UNSUPPORTED);
  }

  /**
   * The storage's own label set equal to the sorted, valid name/value strings
   * {@code nameValues[0..len)} when it already holds that series, else null (also when the storage
   * cannot look series up this way). Writers that receive the full label set with every sample
   * (remote write) use it to skip building a {@link Labels} per sample; passing the result to
   * {@link #append} with ref 0 then finds the series without hashing it again.
   */
  default Labels existingLabels(String[] nameValues, int len) {
    return null;
  }

  /**
   * Adds an exemplar to a series appended in this batch or before. Storage may drop it if
   * unsupported; a duplicate of the series' newest exemplar is ignored.
   *
   * @throws SampleRejectedException {@code EXEMPLAR_OUT_OF_ORDER} when older than the series'
   *     newest exemplar, {@code EXEMPLAR_LABELS_TOO_LONG} past 128 UTF-8 characters of label
   *     names and values, {@code INVALID_LABELS} for an unknown series
   */
  default void appendExemplar(long ref, Labels labels, Exemplar exemplar)
      throws SampleRejectedException {}

  /**
   * Records metric-family metadata (type, help, unit) seen with a series; the latest wins. With
   * labels holding only {@code __name__} (remote write 1.0's per-family metadata, ref 0) it
   * applies to the whole family: series named like it, or with a suffix of its type
   * ({@code _bucket}, {@code _sum}, {@code _count}, {@code _total}, ...).
   */
  default void updateMetadata(long ref, Labels labels, MetricMetadata metadata) {}

  /** Makes the batch durable (per the storage's sync policy) and visible. */
  void commit() throws IOException;

  void rollback();
}
