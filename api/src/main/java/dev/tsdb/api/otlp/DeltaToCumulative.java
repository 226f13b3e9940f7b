package dev.tsdb.api.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Prometheus 3's {@code --enable-feature=otlp-deltatocumulative}: delta sums, histograms and
 * exponential histograms become cumulative in memory before translation, with the semantics of
 * the OpenTelemetry Collector's deltatocumulative processor that Prometheus runs.
 *
 * <p>Each stream ({@link StreamKey}) keeps its running total between requests. A stream's first
 * point is its first total; each later point is added to the total, which takes the point's
 * time and keeps the first start time. Points not newer than the total, or that start before
 * it, are dropped (reported in the answer's partial_success, where the processor only counts
 * them in its own telemetry). A stream not seen for the max-stale time is forgotten, so its next
 * point starts a new total (a counter reset to Prometheus); past the max-streams limit new
 * streams are dropped until old ones expire. Cumulative metrics pass unchanged.
 *
 * <p>Points flagged "no recorded value" pass on as they are (Prometheus stale markers) and do not
 * touch the total.
 */
public final class DeltaToCumulative {
  /** The processor's defaults: streams expire after 5 minutes, any number of them. */
  public static final long DEFAULT_MAX_STALE_MS = 5 * 60_000L;
  public static final int DEFAULT_MAX_STREAMS = Integer.MAX_VALUE;
  /** How often expired streams are swept out of memory (the processor's ticker). */
  static final long SWEEP_INTERVAL_MS = 60_000L;

  private final long maxStaleMs;
  private final int maxStreams;
  private final LongSupplier clock;
  private final Map<StreamKey, Total> totals = new HashMap<>();
  private long lastSweepMs;

  /** One stream's running total and when the stream was last seen (wall clock). */
  private static final class Total {
    Object point;
    long seenMs;

    Total(Object point, long seenMs) {
      this.point = point;
      this.seenMs = seenMs;
    }
  }

  /** @param clock wall-clock milliseconds, for stream expiry */
  public DeltaToCumulative(long maxStaleMs, int maxStreams, LongSupplier clock) {
    if (maxStaleMs <= 0 || maxStreams <= 0) {
      throw new IllegalArgumentException("max stale time and max streams must be positive");
    }
    this.maxStaleMs = maxStaleMs;
    this.maxStreams = maxStreams;
    this.clock = clock;
    this.lastSweepMs = clock.getAsLong();
  }

  public static DeltaToCumulative withDefaults(LongSupplier clock) {
    return new DeltaToCumulative(DEFAULT_MAX_STALE_MS, DEFAULT_MAX_STREAMS, clock);
  }

  /** Whether any metric of the request has delta temporality (else there is nothing to do). */
  static boolean hasDelta(ExportMetricsServiceRequest request) {
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          if (isDelta(m)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean isDelta(Metric m) {
    AggregationTemporality delta = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
    return switch (m.getDataCase()) {
      case SUM -> m.getSum().getAggregationTemporality() == delta;
      case HISTOGRAM -> m.getHistogram().getAggregationTemporality() == delta;
      case EXPONENTIAL_HISTOGRAM ->
          m.getExponentialHistogram().getAggregationTemporality() == delta;
      default -> false;
    };
  }

  /** Number of streams held (expired ones included until swept). */
  synchronized int streams() {
    return totals.size();
  }

  /**
   * The request with its delta metrics made cumulative; dropped points go to {@code dropped}.
   * Metrics left without points are left out.
   */
  synchronized ExportMetricsServiceRequest convert(ExportMetricsServiceRequest request,
      OtlpTranslator.Result dropped) {
    long now = clock.getAsLong();
    if (now - lastSweepMs >= SWEEP_INTERVAL_MS) {
      sweep(now);
    }
    ExportMetricsServiceRequest.Builder out = request.toBuilder();
    for (ResourceMetrics.Builder rm : out.getResourceMetricsBuilderList()) {
      for (ScopeMetrics.Builder sm : rm.getScopeMetricsBuilderList()) {
        List<Metric> metrics = new ArrayList<>(sm.getMetricsCount());
        for (Metric m : sm.getMetricsList()) {
          if (!isDelta(m)) {
            metrics.add(m);
            continue;
          }
          StreamKey.MetricIdentity id = StreamKey.MetricIdentity.of(rm.getResource(),
              sm.getScope(), m);
          Metric converted = cumulative(m, new Streams(id, m.getName(), now, dropped));
          if (converted != null) {
            metrics.add(converted);
          }
        }
        sm.clearMetrics().addAllMetrics(metrics);
      }
    }
    return out.build();
  }

  /** The metric with cumulative points, or null when none is left. */
  private Metric cumulative(Metric m, Streams s) {
    AggregationTemporality cumulative =
        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    Metric.Builder b = m.toBuilder();
    int left;
    switch (m.getDataCase()) {
      case SUM -> {
        Sum sum = m.getSum();
        var points = s.accumulate(sum.getDataPointsList(), DeltaPoints.NUMBER);
        left = points.size();
        b.setSum(sum.toBuilder().clearDataPoints().addAllDataPoints(points)
            .setAggregationTemporality(cumulative));
      }
      case HISTOGRAM -> {
        Histogram h = m.getHistogram();
        var points = s.accumulate(h.getDataPointsList(), DeltaPoints.HISTOGRAM);
        left = points.size();
        b.setHistogram(h.toBuilder().clearDataPoints().addAllDataPoints(points)
            .setAggregationTemporality(cumulative));
      }
      case EXPONENTIAL_HISTOGRAM -> {
        ExponentialHistogram h = m.getExponentialHistogram();
        var points = s.accumulate(h.getDataPointsList(), DeltaPoints.EXPONENTIAL);
        left = points.size();
        b.setExponentialHistogram(h.toBuilder().clearDataPoints().addAllDataPoints(points)
            .setAggregationTemporality(cumulative));
      }
      default -> throw new AssertionError(m.getDataCase());
    }
    return left == 0 && s.droppedAny ? null : b.build();
  }

  /** Accumulates the points of one metric into their streams' totals. */
  private final class Streams {
    final StreamKey.MetricIdentity id;
    final String metric;
    final long now;
    final OtlpTranslator.Result dropped;
    boolean droppedAny;

    Streams(StreamKey.MetricIdentity id, String metric, long now, OtlpTranslator.Result dropped) {
      this.id = id;
      this.metric = metric;
      this.now = now;
      this.dropped = dropped;
    }

    <P> List<P> accumulate(List<P> points, DeltaPoints<P> kind) {
      List<P> out = new ArrayList<>(points.size());
      for (P p : points) {
        P total = point(p, kind);
        if (total != null) {
          out.add(total);
        }
      }
      return out;
    }

    /** The cumulative point for a delta one, or null when it is dropped. */
    @SuppressWarnings("unchecked")
    private <P> P point(P delta, DeltaPoints<P> kind) {
      if (NativeHistograms.stale(kind.flags(delta))) {
        return delta;
      }
      StreamKey key = StreamKey.of(id, kind.attributes(delta));
      Total t = totals.get(key);
      if (t != null && now - t.seenMs > maxStaleMs) {
        totals.remove(key);
        t = null;
      }
      if (t == null) {
        if (totals.size() >= maxStreams) {
          sweep(now);
        }
        if (totals.size() >= maxStreams) {
          return drop("the limit of " + maxStreams + " delta streams is reached");
        }
        totals.put(key, new Total(kind.forState(delta), now));
        return delta;
      }
      P total = (P) t.point;
      if (kind.start(delta) < kind.start(total)) {
        return drop("its start time is before its stream's");
      }
      if (kind.time(delta) <= kind.time(total)) {
        return drop("it is not newer than its stream's last point (out of order)");
      }
      total = kind.add(total, delta);
      t.point = kind.forState(total);
      t.seenMs = now;
      return kind.forOutput(total, delta);
    }

    private <P> P drop(String why) {
      droppedAny = true;
      dropped.reject(1, "delta-to-cumulative dropped a point of metric \"" + metric + "\": "
          + why);
      return null;
    }
  }

  /** Forgets the streams not seen for longer than the max-stale time. */
  private void sweep(long now) {
    lastSweepMs = now;
    for (Iterator<Total> it = totals.values().iterator(); it.hasNext(); ) {
      if (now - it.next().seenMs > maxStaleMs) {
        it.remove();
      }
    }
  }
}
