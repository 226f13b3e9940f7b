package dev.tsdb.server.forward;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;

/**
 * One thing to forward, read from the WAL: a float sample, a native histogram sample (integer or
 * float) or an exemplar, with the labels it is sent under (external labels added, write
 * relabelling applied). {@code seq} numbers items in
 * WAL order, so the queue knows which WAL position every item before it has been sent up to.
 */
final class ForwardItem {
  enum Kind { SAMPLE, HISTOGRAM, EXEMPLAR }

  final long seq;
  final long ref;
  final Labels labels;
  final Kind kind;
  final long t;
  final double v;
  /** Histogram samples: exactly one of these (copies, owned by the item). */
  final Histogram h;
  final FloatHistogram fh;
  /** Exemplar labels, for {@link Kind#EXEMPLAR}. */
  final Labels exemplarLabels;

  private ForwardItem(long seq, long ref, Labels labels, Kind kind, long t, double v,
      Histogram h, FloatHistogram fh, Labels exemplarLabels) {
    this.seq = seq;
    this.ref = ref;
    this.labels = labels;
    this.kind = kind;
    this.t = t;
    this.v = v;
    this.h = h;
    this.fh = fh;
    this.exemplarLabels = exemplarLabels;
  }

  static ForwardItem sample(long seq, long ref, Labels l, long t, double v) {
    return new ForwardItem(seq, ref, l, Kind.SAMPLE, t, v, null, null, null);
  }

  static ForwardItem histogram(long seq, long ref, Labels l, long t, Histogram h) {
    return new ForwardItem(seq, ref, l, Kind.HISTOGRAM, t, 0, h, null, null);
  }

  static ForwardItem floatHistogram(long seq, long ref, Labels l, long t, FloatHistogram fh) {
    return new ForwardItem(seq, ref, l, Kind.HISTOGRAM, t, 0, null, fh, null);
  }

  static ForwardItem exemplar(long seq, long ref, Labels l, long t, double v, Labels ex) {
    return new ForwardItem(seq, ref, l, Kind.EXEMPLAR, t, v, null, null, ex);
  }
}
