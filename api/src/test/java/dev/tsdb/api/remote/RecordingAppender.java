package dev.tsdb.api.remote;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.index.storage.SampleRejectedException;
import dev.tsdb.index.storage.SampleRejectedException.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An appender that writes down every call, as text, and refuses what a head would: a sample at or
 * before the newest of its series (out of order, or a duplicate when the value differs).
 */
final class RecordingAppender implements Appender {
  final List<String> calls = new ArrayList<>();
  final Map<Labels, Long> newest = new HashMap<>();
  boolean committed;
  boolean rolledBack;

  @Override
  public long append(long ref, Labels labels, long t, double v) throws SampleRejectedException {
    check(labels, t);
    calls.add("sample " + labels + " " + t + " " + v);
    return 1;
  }

  @Override
  public long appendHistogram(long ref, Labels labels, long t, Histogram h, FloatHistogram fh)
      throws SampleRejectedException {
    check(labels, t);
    calls.add((h != null ? "histogram " : "float histogram ") + labels + " " + t + " count="
        + (h != null ? String.valueOf(h.count) : String.valueOf(fh.count)) + " schema=" + (h != null ? h.schema : fh.schema));
    return 1;
  }

  @Override
  public void appendExemplar(long ref, Labels labels, Exemplar e) {
    calls.add("exemplar " + labels + " " + e.labels() + " " + e.value() + " " + e.timestampMs());
  }

  @Override
  public void updateMetadata(long ref, Labels labels, MetricMetadata md) {
    calls.add("metadata " + labels + " " + md.type() + " " + md.help() + " " + md.unit());
  }

  private void check(Labels labels, long t) throws SampleRejectedException {
    Long last = newest.get(labels);
    if (last != null && t <= last) {
      throw SampleRejectedException.of(t == last ? Reason.DUPLICATE : Reason.OUT_OF_ORDER);
    }
    newest.put(labels, t);
  }

  @Override
  public void commit() {
    committed = true;
  }

  @Override
  public void rollback() {
    rolledBack = true;
    calls.clear();
  }
}
