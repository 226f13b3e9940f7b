package dev.tsdb.api.otlp;

import dev.tsdb.api.metadata.MetadataStore;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.histogram.HistogramValidation;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.index.storage.SampleRejectedException;

/**
 * Writes translated series into one storage transaction. Samples and histograms past
 * {@code maxTimestampMs} are refused as out of bounds (Prometheus's limit of ten minutes ahead);
 * metadata is stored per family as remote write 1.0 stores it.
 */
final class AppenderWriter implements SeriesWriter {
  private final Appender app;
  private final MetadataStore metadata;
  private final long maxTimestampMs;
  long samples;
  long histograms;
  long exemplars;
  /** The first storage refusal, for the response. */
  String firstProblem;

  /**
   * @param metadata also receives the metadata when the storage does not keep it (else null)
   */
  AppenderWriter(Appender app, MetadataStore metadata, long maxTimestampMs) {
    this.app = app;
    this.metadata = metadata;
    this.maxTimestampMs = maxTimestampMs;
  }

  @Override
  public long sample(Labels labels, long timestampMs, double value) {
    if (labels.metricName().isEmpty()) {
      return refuse(labels, "invalid metric name \"\"");
    }
    if (timestampMs > maxTimestampMs) {
      return refuse(labels, SampleRejectedException.Reason.OUT_OF_BOUNDS.message()
          + ": timestamp is too far in the future");
    }
    try {
      long ref = app.append(0, labels, timestampMs, value);
      samples++;
      return ref;
    } catch (SampleRejectedException e) {
      return refuse(labels, e.getMessage());
    }
  }

  @Override
  public long histogram(Labels labels, long timestampMs, Histogram h) {
    if (labels.metricName().isEmpty()) {
      return refuse(labels, "invalid metric name \"\"");
    }
    if (timestampMs > maxTimestampMs) {
      return refuse(labels, SampleRejectedException.Reason.OUT_OF_BOUNDS.message()
          + ": timestamp is too far in the future");
    }
    String problem = HistogramValidation.problem(h);
    if (problem != null) {
      return refuse(labels, problem);
    }
    try {
      long ref = app.appendHistogram(0, labels, timestampMs, h, null);
      histograms++;
      return ref;
    } catch (SampleRejectedException e) {
      return refuse(labels, e.getMessage());
    }
  }

  @Override
  public void exemplar(long ref, Labels labels, Exemplar exemplar) {
    if (exemplar.timestampMs() > maxTimestampMs) {
      return;
    }
    try {
      app.appendExemplar(ref, labels, exemplar);
      exemplars++;
    } catch (SampleRejectedException e) {
      // As Prometheus: a refused exemplar is not an error of the request.
    }
  }

  @Override
  public void metadata(String family, MetricMetadata md) {
    app.updateMetadata(0, Labels.of(Labels.METRIC_NAME, family), md);
    if (metadata != null) {
      metadata.put(family, md);
    }
  }

  private long refuse(Labels labels, String why) {
    if (firstProblem == null) {
      firstProblem = why + " for series " + labels;
    }
    return REJECTED;
  }
}
