package dev.tsdb.api.otlp;

import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.MetricMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps what the translator writes, for assertions; refuses series whose name is listed. */
final class RecordingWriter implements SeriesWriter {
  record Sample(Labels labels, long t, double v) {}

  record HistogramSample(Labels labels, long t, Histogram h) {}

  record ExemplarAt(Labels series, Exemplar exemplar) {}

  final List<Sample> samples = new ArrayList<>();
  final List<HistogramSample> histograms = new ArrayList<>();
  final List<ExemplarAt> exemplars = new ArrayList<>();
  final Map<String, MetricMetadata> metadata = new LinkedHashMap<>();
  final List<String> refuse = new ArrayList<>();

  @Override
  public long sample(Labels labels, long t, double v) {
    if (refuse.contains(labels.metricName())) {
      return REJECTED;
    }
    samples.add(new Sample(labels, t, v));
    return samples.size();
  }

  @Override
  public long histogram(Labels labels, long t, Histogram h) {
    histograms.add(new HistogramSample(labels, t, h));
    return histograms.size();
  }

  @Override
  public void exemplar(long ref, Labels labels, Exemplar exemplar) {
    exemplars.add(new ExemplarAt(labels, exemplar));
  }

  @Override
  public void metadata(String family, MetricMetadata md) {
    metadata.put(family, md);
  }

  Sample only(String metricName) {
    List<Sample> found = samples.stream().filter(s -> s.labels.metricName().equals(metricName))
        .toList();
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples of " + metricName + " in " + samples);
    }
    return found.get(0);
  }
}
