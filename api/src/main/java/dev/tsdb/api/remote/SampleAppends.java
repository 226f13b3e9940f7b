package dev.tsdb.api.remote;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.histogram.HistogramValidation;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.SampleRejectedException;
import java.io.IOException;

/**
 * Appends the messages remote write 1.0 and 2.0 share (Sample, Histogram: same fields in both)
 * and exemplars once their labels are known, counting what was appended and rejected in a
 * {@link WriteOutcome}. Refusals never fail the request: they are counted and reported.
 *
 * <p>Created timestamps (2.0) follow Prometheus's {@code created-timestamp-zero-ingestion}: a
 * zero sample at the created time, when that is before the sample's own time, marks where the
 * counter started. Its refusal (it usually is already there: long-lived counters repeat the same
 * created time) is ignored, and it is not counted as written. Not thread-safe.
 */
final class SampleAppends {
  /** Sample { double value = 1; int64 timestamp = 2; } */
  private static final int TAG_VALUE = (1 << 3) | ProtoReader.FIXED64;
  private static final int TAG_TIMESTAMP = (2 << 3) | ProtoReader.VARINT;

  private final HistogramReader histogramReader = new HistogramReader();

  /**
   * Reads one Sample message and appends it.
   *
   * @param createdTs the series' created timestamp to inject as a zero sample first, or 0
   * @return the series reference for the next append
   */
  long sample(ProtoReader m, Appender app, long ref, Labels labels, WriteOutcome out, long maxT,
      long createdTs) throws IOException {
    double v = 0;
    long t = 0;
    for (int tag; (tag = m.readTag()) != 0; ) {
      switch (tag) {
        case TAG_VALUE -> v = m.readDouble();
        case TAG_TIMESTAMP -> t = m.readVarint64();
        default -> m.skipField(tag);
      }
    }
    if (createdTs != 0 && t != 0 && createdTs < t) {
      ref = appendCreatedZero(app, ref, labels, createdTs);
    }
    if (t > maxT) {
      out.rejectSample(labels, t, SampleRejectedException.Reason.OUT_OF_BOUNDS);
      return ref;
    }
    try {
      long r = app.append(ref, labels, t, v);
      out.samplesAppended++;
      return r;
    } catch (SampleRejectedException e) {
      out.rejectSample(labels, t, e.reason());
      return ref;
    }
  }

  /**
   * Decodes, validates and appends one histogram sample. Invalid ones are rejected with
   * Prometheus's validation text; like refusals by the storage they count as rejected histograms
   * and leave the rest of the request alone.
   *
   * @param createdTs as for {@link #sample}: an empty histogram of the same kind goes there
   */
  long histogram(ProtoReader m, Appender app, long ref, Labels labels, WriteOutcome out,
      long maxT, long createdTs) throws IOException {
    HistogramReader hr = histogramReader;
    hr.read(m);
    long t = hr.timestamp;
    // Prometheus checks the time limit first, then validates.
    String problem = t > maxT ? SampleRejectedException.Reason.OUT_OF_BOUNDS.message()
        : hr.histogram != null ? HistogramValidation.problem(hr.histogram)
        : HistogramValidation.problem(hr.floatHistogram);
    if (problem != null) {
      out.rejectHistogram(labels, problem);
      return ref;
    }
    if (createdTs != 0 && t != 0 && createdTs < t) {
      try {
        ref = hr.histogram != null
            ? app.appendHistogram(ref, labels, createdTs, new Histogram(), null)
            : app.appendHistogram(ref, labels, createdTs, null, new FloatHistogram());
      } catch (SampleRejectedException e) {
        // Already there, or older than what the series holds: nothing to mark.
      }
    }
    try {
      long r = app.appendHistogram(ref, labels, t, hr.histogram, hr.floatHistogram);
      out.histogramsAppended++;
      return r;
    } catch (SampleRejectedException e) {
      out.rejectHistogram(labels, e.getMessage());
      return ref;
    }
  }

  /** Appends an exemplar whose labels were read (null: they were invalid). */
  static long exemplar(Appender app, long ref, Labels labels, Labels exemplarLabels, double v,
      long t, WriteOutcome out) {
    if (exemplarLabels == null) {
      out.exemplarsRejected++;
      return ref;
    }
    try {
      app.appendExemplar(ref, labels, new Exemplar(exemplarLabels, v, t));
      out.exemplarsAppended++;
    } catch (SampleRejectedException e) {
      out.rejectExemplar(labels, e.reason());
    }
    return ref;
  }

  private static long appendCreatedZero(Appender app, long ref, Labels labels, long createdTs) {
    try {
      return app.append(ref, labels, createdTs, 0.0);
    } catch (SampleRejectedException e) {
      return ref; // already there, or older than what the series holds: nothing to mark
    }
  }
}
