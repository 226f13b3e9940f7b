package dev.tsdb.api.otlp;

import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.rules.config.OtlpConfig;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Translates an OTLP export request into Prometheus series, as Prometheus 3.5's receiver does:
 * gauges and non-monotonic sums as gauges, monotonic cumulative sums as counters, explicit-bounds
 * histograms as classic {@code _bucket}/{@code _sum}/{@code _count} series (or native histograms
 * with custom buckets), exponential histograms as native histograms, summaries as
 * {@code quantile} series with {@code _sum}/{@code _count}; one {@code target_info} series per
 * resource; per-family metadata (type, help, unit). Metrics that cannot be translated (delta
 * temporality without the native-delta flag, no data points, bad scale) are left out and
 * reported; the rest of the request still goes in.
 */
final class OtlpTranslator {
  private static final int MAX_EXEMPLAR_RUNES = 128;

  private final OtlpConfig config;
  private final boolean allowDelta;
  private final MetricNamer namer;
  private final SeriesLabels labels;

  /**
   * @param allowDelta Prometheus's {@code otlp-native-delta-ingestion} feature: delta sums and
   *     histograms are stored as they come (metadata type unknown, histograms as gauge
   *     histograms) instead of being refused
   */
  OtlpTranslator(OtlpConfig config, boolean allowDelta) {
    this.config = config;
    this.allowDelta = allowDelta;
    this.namer = new MetricNamer(config.translationStrategy().escapes(),
        config.translationStrategy().addsSuffixes());
    this.labels = new SeriesLabels(config);
  }

  /** What did not go in: data points refused, and why (the first few reasons). */
  static final class Result {
    static final int MAX_ERRORS = 10;
    long rejectedPoints;
    long points;
    final List<String> errors = new ArrayList<>();

    void reject(long n, String why) {
      rejectedPoints += n;
      if (errors.size() < MAX_ERRORS && !errors.contains(why)) {
        errors.add(why);
      }
    }
  }

  Result translate(ExportMetricsServiceRequest request, SeriesWriter out) {
    return translate(request, out, new Result());
  }

  /** Translates into {@code r}, which may already hold what an earlier step refused. */
  Result translate(ExportMetricsServiceRequest request, SeriesWriter out, Result r) {
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      SeriesLabels.ResourceLabels res = labels.new ResourceLabels(rm.getResource());
      long newest = 0;
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        Map<String, String> scope = labels.scopeLabels(sm.getScope(), sm.getSchemaUrl());
        for (Metric m : sm.getMetricsList()) {
          newest = Math.max(newest, newestTimestamp(m));
          metric(m, res, scope, out, r);
        }
      }
      targetInfo(res, newest, out);
    }
    return r;
  }

  private void metric(Metric m, SeriesLabels.ResourceLabels res, Map<String, String> scope,
      SeriesWriter out, Result r) {
    int points = pointCount(m);
    r.points += points;
    if (m.getDataCase() == Metric.DataCase.DATA_NOT_SET) {
      r.reject(0, "unsupported metric type for metric \"" + m.getName() + "\"");
      return;
    }
    AggregationTemporality t = temporality(m);
    boolean delta = t == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
    if (t != null && t != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
        && !(delta && allowDelta)) {
      r.reject(points, "invalid temporality and type combination for metric \"" + m.getName()
          + "\"" + (delta ? ": delta temporality is not supported (send cumulative, or start"
              + " with --enable-feature=otlp-native-delta-ingestion)" : ""));
      return;
    }
    MetricKind kind = kind(m);
    String name = namer.build(m.getName(), m.getUnit(), kind);
    out.metadata(name, new MetricMetadata(delta ? "unknown" : kind.promType, m.getDescription(),
        m.getUnit()));
    if (points == 0) {
      r.reject(0, "empty data points. " + m.getName() + " is dropped");
      return;
    }
    Points p = new Points(res, scope, name, out, r);
    switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsList().forEach(p::number);
      case SUM -> m.getSum().getDataPointsList().forEach(p::number);
      case HISTOGRAM -> m.getHistogram().getDataPointsList().forEach(
          config.convertHistogramsToNhcb() ? pt -> p.customBuckets(pt, delta) : p::classic);
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsList()
          .forEach(pt -> p.exponential(pt, delta));
      case SUMMARY -> m.getSummary().getDataPointsList().forEach(p::summary);
      default -> throw new AssertionError(m.getDataCase());
    }
  }

  /** Writes one metric's points; each point refused in any of its series counts once. */
  private final class Points {
    final SeriesLabels.ResourceLabels res;
    final Map<String, String> scope;
    final String name;
    final SeriesWriter out;
    final Result r;

    Points(SeriesLabels.ResourceLabels res, Map<String, String> scope, String name,
        SeriesWriter out, Result r) {
      this.res = res;
      this.scope = scope;
      this.name = name;
      this.out = out;
      this.r = r;
    }

    private LabelsBuilder base(List<KeyValue> attributes) {
      return labels.point(res, scope, attributes);
    }

    void number(NumberDataPoint pt) {
      double v = switch (pt.getValueCase()) {
        case AS_INT -> (double) pt.getAsInt();
        case AS_DOUBLE -> pt.getAsDouble();
        default -> 0;
      };
      Labels l = series(base(pt.getAttributesList()), name);
      long ref = out.sample(l, millis(pt.getTimeUnixNano()), staleOr(pt.getFlags(), v));
      if (ref == SeriesWriter.REJECTED) {
        r.reject(1, "sample refused for series " + l);
        return;
      }
      for (io.opentelemetry.proto.metrics.v1.Exemplar e : pt.getExemplarsList()) {
        out.exemplar(ref, l, exemplar(e));
      }
    }

    void classic(HistogramDataPoint pt) {
      LabelsBuilder b = base(pt.getAttributesList());
      long t = millis(pt.getTimeUnixNano());
      int flags = pt.getFlags();
      boolean ok = true;
      if (pt.hasSum()) {
        ok &= out.sample(series(b, name + "_sum"), t, staleOr(flags, pt.getSum()))
            != SeriesWriter.REJECTED;
      }
      ok &= out.sample(series(b, name + "_count"), t, staleOr(flags, pt.getCount()))
          != SeriesWriter.REJECTED;
      int n = Math.min(pt.getExplicitBoundsCount(), pt.getBucketCountsCount());
      double[] bounds = new double[n + 1];
      long[] refs = new long[n + 1];
      Labels[] series = new Labels[n + 1];
      long cumulative = 0;
      for (int i = 0; i <= n; i++) {
        bounds[i] = i < n ? pt.getExplicitBounds(i) : Double.POSITIVE_INFINITY;
        cumulative = i < n ? cumulative + pt.getBucketCounts(i) : pt.getCount();
        b.set("le", i < n ? GoFloat.formatF(bounds[i]) : "+Inf");
        series[i] = series(b, name + "_bucket");
        refs[i] = out.sample(series[i], t, staleOr(flags, cumulative));
        ok &= refs[i] != SeriesWriter.REJECTED;
      }
      b.delete("le");
      if (!ok) {
        r.reject(1, "sample refused for a series of " + name);
      }
      // An exemplar goes to the first bucket whose bound holds its value (bounds ascending).
      Integer[] order = new Integer[n + 1];
      for (int i = 0; i <= n; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, (x, y) -> Double.compare(bounds[x], bounds[y]));
      for (io.opentelemetry.proto.metrics.v1.Exemplar pe : pt.getExemplarsList()) {
        Exemplar e = exemplar(pe);
        for (int i : order) {
          if (refs[i] != SeriesWriter.REJECTED && e.value() <= bounds[i]) {
            out.exemplar(refs[i], series[i], e);
            break;
          }
        }
      }
    }

    void customBuckets(HistogramDataPoint pt, boolean delta) {
      histogram(pt.getAttributesList(), pt.getTimeUnixNano(),
          NativeHistograms.customBuckets(pt, delta), pt.getExemplarsList());
    }

    void exponential(ExponentialHistogramDataPoint pt, boolean delta) {
      Histogram h;
      try {
        h = NativeHistograms.exponential(pt, delta);
      } catch (NativeHistograms.Unconvertible e) {
        r.reject(1, e.getMessage());
        return;
      }
      histogram(pt.getAttributesList(), pt.getTimeUnixNano(), h, pt.getExemplarsList());
    }

    private void histogram(List<KeyValue> attributes, long timeNanos, Histogram h,
        List<io.opentelemetry.proto.metrics.v1.Exemplar> exemplars) {
      Labels l = series(base(attributes), name);
      long ref = out.histogram(l, millis(timeNanos), h);
      if (ref == SeriesWriter.REJECTED) {
        r.reject(1, "histogram refused for series " + l);
        return;
      }
      for (io.opentelemetry.proto.metrics.v1.Exemplar e : exemplars) {
        out.exemplar(ref, l, exemplar(e));
      }
    }

    void summary(SummaryDataPoint pt) {
      LabelsBuilder b = base(pt.getAttributesList());
      long t = millis(pt.getTimeUnixNano());
      int flags = pt.getFlags();
      boolean ok = out.sample(series(b, name + "_sum"), t, staleOr(flags, pt.getSum()))
          != SeriesWriter.REJECTED;
      ok &= out.sample(series(b, name + "_count"), t, staleOr(flags, pt.getCount()))
          != SeriesWriter.REJECTED;
      for (SummaryDataPoint.ValueAtQuantile q : pt.getQuantileValuesList()) {
        b.set("quantile", GoFloat.formatF(q.getQuantile()));
        ok &= out.sample(series(b, name), t, staleOr(flags, q.getValue()))
            != SeriesWriter.REJECTED;
      }
      if (!ok) {
        r.reject(1, "sample refused for a series of " + name);
      }
    }
  }

  private void targetInfo(SeriesLabels.ResourceLabels res, long newestNanos, SeriesWriter out) {
    if (newestNanos == 0) {
      return;
    }
    Labels l = labels.targetInfo(res);
    if (l != null) {
      out.sample(l, millis(newestNanos), 1);
    }
  }

  private static Labels series(LabelsBuilder b, String name) {
    b.set(Labels.METRIC_NAME, name);
    return b.build();
  }

  /**
   * An OTLP exemplar as Prometheus keeps it: {@code trace_id} and {@code span_id} in hex, then
   * the filtered attributes unless the labels would pass 128 characters.
   */
  static Exemplar exemplar(io.opentelemetry.proto.metrics.v1.Exemplar e) {
    double v = switch (e.getValueCase()) {
      case AS_INT -> (double) e.getAsInt();
      case AS_DOUBLE -> e.getAsDouble();
      default -> 0;
    };
    LabelsBuilder b = new LabelsBuilder();
    int runes = 0;
    String trace = hex(e.getTraceId().toByteArray());
    if (trace != null) {
      b.set("trace_id", trace);
      runes += "trace_id".length() + trace.length();
    }
    String span = hex(e.getSpanId().toByteArray());
    if (span != null) {
      b.set("span_id", span);
      runes += "span_id".length() + span.length();
    }
    LabelsBuilder attrs = new LabelsBuilder(b.build());
    for (KeyValue kv : e.getFilteredAttributesList()) {
      String value = AttributeValues.asString(kv.getValue());
      runes += kv.getKey().codePointCount(0, kv.getKey().length())
          + value.codePointCount(0, value.length());
      attrs.set(kv.getKey(), value);
    }
    Labels l = runes <= MAX_EXEMPLAR_RUNES ? attrs.build() : b.build();
    return new Exemplar(l, v, millis(e.getTimeUnixNano()));
  }

  /** Lower-case hex, or null for an absent (empty or all-zero) id. */
  private static String hex(byte[] id) {
    boolean zero = true;
    for (byte x : id) {
      zero &= x == 0;
    }
    return zero ? null : java.util.HexFormat.of().formatHex(id);
  }

  static long millis(long unixNanos) {
    return unixNanos / 1_000_000;
  }

  private static double staleOr(int flags, double v) {
    return NativeHistograms.stale(flags)
        ? Double.longBitsToDouble(NativeHistograms.STALE_NAN_BITS) : v;
  }

  private static AggregationTemporality temporality(Metric m) {
    return switch (m.getDataCase()) {
      case SUM -> m.getSum().getAggregationTemporality();
      case HISTOGRAM -> m.getHistogram().getAggregationTemporality();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getAggregationTemporality();
      default -> null;
    };
  }

  private static MetricKind kind(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> MetricKind.GAUGE;
      case SUM -> m.getSum().getIsMonotonic() ? MetricKind.MONOTONIC_COUNTER
          : MetricKind.NON_MONOTONIC_COUNTER;
      case HISTOGRAM -> MetricKind.HISTOGRAM;
      case EXPONENTIAL_HISTOGRAM -> MetricKind.EXPONENTIAL_HISTOGRAM;
      default -> MetricKind.SUMMARY;
    };
  }

  private static int pointCount(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsCount();
      case SUM -> m.getSum().getDataPointsCount();
      case HISTOGRAM -> m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> m.getSummary().getDataPointsCount();
      default -> 0;
    };
  }

  private static long newestTimestamp(Metric m) {
    long t = 0;
    switch (m.getDataCase()) {
      case GAUGE -> t = m.getGauge().getDataPointsList().stream()
          .mapToLong(NumberDataPoint::getTimeUnixNano).max().orElse(0);
      case SUM -> t = m.getSum().getDataPointsList().stream()
          .mapToLong(NumberDataPoint::getTimeUnixNano).max().orElse(0);
      case HISTOGRAM -> t = m.getHistogram().getDataPointsList().stream()
          .mapToLong(HistogramDataPoint::getTimeUnixNano).max().orElse(0);
      case EXPONENTIAL_HISTOGRAM -> t = m.getExponentialHistogram().getDataPointsList().stream()
          .mapToLong(ExponentialHistogramDataPoint::getTimeUnixNano).max().orElse(0);
      case SUMMARY -> t = m.getSummary().getDataPointsList().stream()
          .mapToLong(SummaryDataPoint::getTimeUnixNano).max().orElse(0);
      default -> { }
    }
    return t;
  }
}
