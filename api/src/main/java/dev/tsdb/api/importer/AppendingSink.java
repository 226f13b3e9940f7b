package dev.tsdb.api.importer;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.SampleRejectedException;
import java.util.Map;

/**
 * Adds the request's {@code extra_label}s to every decoded sample and appends it; refusals by
 * the storage's rules (out of bounds, out of order, duplicates, too far in the future) are
 * counted and the first one is kept for the answer, as remote write does.
 */
final class AppendingSink implements SampleSink {
  private final Appender app;
  private final Map<String, String> extraLabels;
  private final long maxT;
  int line;
  long appended;
  long rejected;
  String firstRejection;
  private Labels lastInput;
  private Labels lastSeries;
  private long lastRef;

  /** @param maxT samples after this are refused as out of bounds */
  AppendingSink(Appender app, Map<String, String> extraLabels, long maxT) {
    this.app = app;
    this.extraLabels = extraLabels;
    this.maxT = maxT;
  }

  @Override
  public void add(Labels labels, long t, double v) {
    if (labels != lastInput) { // decoders hand over one instance per series line
      lastInput = labels;
      lastSeries = withExtraLabels(labels);
      lastRef = 0;
    }
    if (t > maxT) {
      reject(t, SampleRejectedException.Reason.OUT_OF_BOUNDS.message());
      return;
    }
    try {
      lastRef = app.append(lastRef, lastSeries, t, v);
      appended++;
    } catch (SampleRejectedException e) {
      reject(t, e.getMessage());
    }
  }

  private Labels withExtraLabels(Labels labels) {
    if (extraLabels.isEmpty()) {
      return labels;
    }
    LabelsBuilder b = new LabelsBuilder(labels);
    extraLabels.forEach(b::set);
    return b.build();
  }

  private void reject(long t, String reason) {
    rejected++;
    if (firstRejection == null) {
      firstRejection = "line " + line + ": " + lastSeries + " at " + t + ": " + reason;
    }
  }
}
