package dev.tsdb.api.otlp;

import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.MetricMetadata;

/** Where translated OTLP data goes (the storage's appender, or a test's recorder). */
interface SeriesWriter {
  /** What {@link #sample} and {@link #histogram} return when the storage refused the point. */
  long REJECTED = -1;

  /** @return a reference for {@link #exemplar}, or {@link #REJECTED} */
  long sample(Labels labels, long timestampMs, double value);

  /** @return a reference for {@link #exemplar}, or {@link #REJECTED} */
  long histogram(Labels labels, long timestampMs, Histogram h);

  /** Best effort, as in Prometheus: a refused exemplar does not fail its point. */
  void exemplar(long ref, Labels labels, Exemplar exemplar);

  void metadata(String family, MetricMetadata metadata);
}
