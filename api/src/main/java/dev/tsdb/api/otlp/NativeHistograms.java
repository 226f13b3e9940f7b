package dev.tsdb.api.otlp;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.Histogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;

/**
 * OTLP histogram points as Prometheus native histograms: exponential ones with their scale as
 * schema (scaled down to 8 when finer, refused below -4), explicit-bounds ones (with
 * {@code convert_histograms_to_nhcb}) with custom buckets. Delta points are gauge histograms.
 */
final class NativeHistograms {
  /** Prometheus's receiver sets this zero threshold whatever the point says. */
  static final double ZERO_THRESHOLD = 1e-128;
  static final long STALE_NAN_BITS = 0x7ff0000000000002L;
  static final int FLAG_NO_RECORDED_VALUE = 1;

  private NativeHistograms() {}

  /** Thrown for a point that has no native-histogram equivalent. */
  static final class Unconvertible extends Exception {
    Unconvertible(String message) {
      super(message, null, false, false);
    }
  }

  static Histogram exponential(ExponentialHistogramDataPoint p, boolean delta)
      throws Unconvertible {
    int scale = p.getScale();
    if (scale < Histogram.MIN_EXPONENTIAL_SCHEMA) {
      throw new Unconvertible("cannot convert exponential to native histogram. Scale must be"
          + " >= -4, was " + scale);
    }
    int scaleDown = Math.max(0, scale - Histogram.MAX_EXPONENTIAL_SCHEMA);
    Histogram h = new Histogram();
    h.schema = scale - scaleDown;
    h.zeroThreshold = ZERO_THRESHOLD;
    h.counterResetHint = delta ? CounterResetHint.GAUGE : CounterResetHint.UNKNOWN;
    if (stale(p.getFlags())) {
      return staleMarker(h);
    }
    BucketLayout pos = BucketLayout.of(p.getPositive().getBucketCountsList(),
        p.getPositive().getOffset(), scaleDown, 1);
    BucketLayout neg = BucketLayout.of(p.getNegative().getBucketCountsList(),
        p.getNegative().getOffset(), scaleDown, 1);
    h.positiveSpans = pos.spans;
    h.positiveBuckets = pos.deltas;
    h.negativeSpans = neg.spans;
    h.negativeBuckets = neg.deltas;
    h.zeroCount = p.getZeroCount();
    h.count = p.getCount();
    h.sum = p.hasSum() ? p.getSum() : 0;
    return h;
  }

  static Histogram customBuckets(HistogramDataPoint p, boolean delta) {
    Histogram h = new Histogram();
    h.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
    h.counterResetHint = delta ? CounterResetHint.GAUGE : CounterResetHint.UNKNOWN;
    h.customValues = p.getExplicitBoundsList().stream().mapToDouble(Double::doubleValue)
        .toArray();
    if (stale(p.getFlags())) {
      return staleMarker(h);
    }
    java.util.List<Long> counts = p.getBucketCountsList();
    int first = 0;
    while (first < counts.size() && counts.get(first) == 0) {
      first++;
    }
    BucketLayout pos = BucketLayout.of(counts.subList(first, counts.size()), first, 0, 0);
    h.positiveSpans = pos.spans;
    h.positiveBuckets = pos.deltas;
    h.count = p.getCount();
    h.sum = p.hasSum() ? p.getSum() : 0;
    return h;
  }

  static boolean stale(int flags) {
    return (flags & FLAG_NO_RECORDED_VALUE) != 0;
  }

  /** A point flagged "no recorded value": the series ended (Prometheus's stale marker). */
  private static Histogram staleMarker(Histogram h) {
    h.sum = Double.longBitsToDouble(STALE_NAN_BITS);
    return h;
  }
}
