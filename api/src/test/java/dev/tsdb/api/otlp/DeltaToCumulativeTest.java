package dev.tsdb.api.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Running totals of delta streams: gaps, restarts, out-of-order points, expiry, limits. */
class DeltaToCumulativeTest {
  private static final AggregationTemporality DELTA =
      AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
  private static final AggregationTemporality CUMULATIVE =
      AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
  private static final long S = 1_000_000_000L;
  private static final long T0 = 1_700_000_000L * S;

  private final AtomicLong wallMs = new AtomicLong(1_700_000_000_000L);
  private DeltaToCumulative d2c = new DeltaToCumulative(DeltaToCumulative.DEFAULT_MAX_STALE_MS,
      DeltaToCumulative.DEFAULT_MAX_STREAMS, wallMs::get);
  private OtlpTranslator.Result dropped = new OtlpTranslator.Result();

  /** A delta point covering (start, end] seconds after T0. */
  private static NumberDataPoint.Builder delta(long start, long end, long v,
      String... method) {
    NumberDataPoint.Builder b = NumberDataPoint.newBuilder().setStartTimeUnixNano(T0 + start * S)
        .setTimeUnixNano(T0 + end * S).setAsInt(v);
    for (String m : method) {
      b.addAttributes(OtlpTranslatorTest.attr("method", m));
    }
    return b;
  }

  private static ExportMetricsServiceRequest sums(Resource r, NumberDataPoint.Builder... points) {
    return OtlpTranslatorTest.request(r, OtlpTranslatorTest.sum("requests", "1", true, DELTA,
        points));
  }

  private static ExportMetricsServiceRequest sums(NumberDataPoint.Builder... points) {
    return sums(OtlpTranslatorTest.SERVICE, points);
  }

  private static Metric only(ExportMetricsServiceRequest r) {
    return r.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
  }

  /** The cumulative values the request came out with. */
  private List<Long> convert(ExportMetricsServiceRequest r) {
    ExportMetricsServiceRequest out = d2c.convert(r, dropped);
    if (out.getResourceMetrics(0).getScopeMetrics(0).getMetricsCount() == 0) {
      return List.of();
    }
    Metric m = only(out);
    assertEquals(CUMULATIVE, m.getSum().getAggregationTemporality());
    return m.getSum().getDataPointsList().stream().map(NumberDataPoint::getAsInt).toList();
  }

  @Test
  void deltasAddUpAndKeepTheFirstStartTime() {
    assertEquals(List.of(3L, 5L), convert(sums(delta(0, 10, 3), delta(10, 20, 2))));
    ExportMetricsServiceRequest out = d2c.convert(sums(delta(20, 30, 4)), dropped);
    NumberDataPoint p = only(out).getSum().getDataPoints(0);
    assertEquals(9, p.getAsInt());
    assertEquals(T0, p.getStartTimeUnixNano());
    assertEquals(T0 + 30 * S, p.getTimeUnixNano());
    assertEquals(0, dropped.rejectedPoints);
  }

  @Test
  void streamsAreKeptApartByAttributesResourceAndMetric() {
    assertEquals(List.of(1L, 10L), convert(sums(delta(0, 10, 1, "GET"),
        delta(0, 10, 10, "POST"))));
    assertEquals(List.of(3L, 30L), convert(sums(delta(10, 20, 2, "GET"),
        delta(10, 20, 20, "POST"))));
    Resource other = OtlpTranslatorTest.resource(OtlpTranslatorTest.attr("service.name", "b"));
    assertEquals(List.of(5L), convert(sums(other, delta(10, 20, 5, "GET"))));
    assertEquals(3, d2c.streams());
  }

  @Test
  void attributeOrderDoesNotMakeANewStream() {
    NumberDataPoint.Builder a = delta(0, 10, 1).addAttributes(OtlpTranslatorTest.attr("a", "1"))
        .addAttributes(OtlpTranslatorTest.attr("b", "2"));
    NumberDataPoint.Builder b = delta(10, 20, 1).addAttributes(OtlpTranslatorTest.attr("b", "2"))
        .addAttributes(OtlpTranslatorTest.attr("a", "1"));
    convert(sums(a));
    assertEquals(List.of(2L), convert(sums(b)));
  }

  @Test
  void gapsAreBridged() {
    // Nothing was sent for (10s, 50s]: the total goes on from where it was.
    convert(sums(delta(0, 10, 3)));
    assertEquals(List.of(7L), convert(sums(delta(50, 60, 4))));
    assertEquals(0, dropped.rejectedPoints);
  }

  @Test
  void aRestartedSenderContinuesTheTotal() {
    // The sender restarted (new, later start time): its deltas still add to the total, so
    // Prometheus sees no counter reset.
    convert(sums(delta(0, 10, 3), delta(10, 20, 3)));
    assertEquals(List.of(7L, 9L), convert(sums(delta(100, 110, 1), delta(110, 120, 2))));
  }

  @Test
  void outOfOrderAndOlderStartsAreDroppedAndReported() {
    convert(sums(delta(10, 20, 3)));
    assertEquals(List.of(), convert(sums(delta(10, 20, 5))));
    assertEquals(List.of(), convert(sums(delta(5, 15, 5))));
    assertEquals(List.of(), convert(sums(delta(0, 30, 5))));
    assertEquals(3, dropped.rejectedPoints);
    assertEquals(List.of(
        "delta-to-cumulative dropped a point of metric \"requests\": it is not newer than its"
            + " stream's last point (out of order)",
        "delta-to-cumulative dropped a point of metric \"requests\": its start time is before"
            + " its stream's"), dropped.errors);
    // The total was not touched.
    assertEquals(List.of(4L), convert(sums(delta(20, 30, 1))));
  }

  @Test
  void aDroppedPointLeavesTheOthersOfItsMetric() {
    convert(sums(delta(0, 10, 1)));
    assertEquals(List.of(2L), convert(sums(delta(0, 10, 1), delta(10, 20, 1))));
    assertEquals(1, dropped.rejectedPoints);
  }

  @Test
  void staleStreamsExpireAndStartOver() {
    convert(sums(delta(0, 10, 3)));
    wallMs.addAndGet(DeltaToCumulative.DEFAULT_MAX_STALE_MS);
    assertEquals(List.of(5L), convert(sums(delta(10, 20, 2))));
    wallMs.addAndGet(DeltaToCumulative.DEFAULT_MAX_STALE_MS + 1);
    // Forgotten: the next delta is a new total (a counter reset to Prometheus).
    assertEquals(List.of(4L), convert(sums(delta(20, 30, 4))));
  }

  @Test
  void expiredStreamsAreSweptFromMemory() {
    convert(sums(delta(0, 10, 1, "GET")));
    wallMs.addAndGet(DeltaToCumulative.DEFAULT_MAX_STALE_MS + 1);
    convert(sums(delta(0, 10, 1, "POST")));
    assertEquals(1, d2c.streams());
  }

  @Test
  void newStreamsPastTheLimitAreDroppedUntilOldOnesExpire() {
    d2c = new DeltaToCumulative(60_000, 2, wallMs::get);
    assertEquals(List.of(1L, 1L), convert(sums(delta(0, 10, 1, "a"), delta(0, 10, 1, "b"))));
    assertEquals(List.of(2L), convert(sums(delta(10, 20, 1, "a"), delta(0, 10, 1, "c"))));
    assertEquals(1, dropped.rejectedPoints);
    assertEquals(List.of("delta-to-cumulative dropped a point of metric \"requests\": the limit"
        + " of 2 delta streams is reached"), dropped.errors);
    wallMs.addAndGet(60_001);
    assertEquals(List.of(1L), convert(sums(delta(10, 20, 1, "c"))));
  }

  @Test
  void noRecordedValuePassesWithoutTouchingTheTotal() {
    convert(sums(delta(0, 10, 3)));
    ExportMetricsServiceRequest out = d2c.convert(sums(delta(10, 20, 0).setFlags(1)), dropped);
    assertEquals(1, only(out).getSum().getDataPoints(0).getFlags());
    assertEquals(List.of(4L), convert(sums(delta(20, 30, 1))));
  }

  @Test
  void doublesAndIntegersMix() {
    convert(sums(delta(0, 10, 2)));
    ExportMetricsServiceRequest out = d2c.convert(sums(delta(10, 20, 0).setAsDouble(0.5)),
        dropped);
    assertEquals(2.5, only(out).getSum().getDataPoints(0).getAsDouble());
  }

  @Test
  void cumulativeAndGaugeMetricsPassUnchanged() {
    ExportMetricsServiceRequest r = OtlpTranslatorTest.request(OtlpTranslatorTest.SERVICE,
        OtlpTranslatorTest.sum("c", "1", true, CUMULATIVE, delta(0, 10, 3)),
        OtlpTranslatorTest.gauge("g", "1", delta(0, 10, 3)));
    assertFalse(DeltaToCumulative.hasDelta(r));
    assertEquals(r, d2c.convert(r, dropped));
    assertTrue(DeltaToCumulative.hasDelta(sums(delta(0, 10, 3))));
  }

  @Test
  void exemplarsStayWithTheirPoint() {
    convert(sums(delta(0, 10, 1).addExemplars(OtlpTranslatorTest.exemplar(1))));
    ExportMetricsServiceRequest out = d2c.convert(sums(delta(10, 20, 1)), dropped);
    assertEquals(0, only(out).getSum().getDataPoints(0).getExemplarsCount());
  }

  private static Metric histogram(HistogramDataPoint.Builder p) {
    return Metric.newBuilder().setName("latency").setUnit("s").setHistogram(
        io.opentelemetry.proto.metrics.v1.Histogram.newBuilder().addDataPoints(p)
            .setAggregationTemporality(DELTA)).build();
  }

  private static HistogramDataPoint.Builder explicit(long start, long end, List<Double> bounds,
      List<Long> counts, double sum) {
    return HistogramDataPoint.newBuilder().setStartTimeUnixNano(T0 + start * S)
        .setTimeUnixNano(T0 + end * S).addAllExplicitBounds(bounds).addAllBucketCounts(counts)
        .setCount(counts.stream().mapToLong(Long::longValue).sum()).setSum(sum).setMin(0.1)
        .setMax(2);
  }

  private HistogramDataPoint convertHistogram(HistogramDataPoint.Builder p) {
    Metric m = only(d2c.convert(OtlpTranslatorTest.request(OtlpTranslatorTest.SERVICE,
        histogram(p)), dropped));
    assertEquals(CUMULATIVE, m.getHistogram().getAggregationTemporality());
    return m.getHistogram().getDataPoints(0);
  }

  @Test
  void histogramsAddBucketByBucket() {
    convertHistogram(explicit(0, 10, List.of(0.5, 1.0), List.of(1L, 2L, 3L), 7));
    HistogramDataPoint p = convertHistogram(explicit(10, 20, List.of(0.5, 1.0),
        List.of(0L, 1L, 4L), 9).setMin(0.05).setMax(3));
    assertEquals(List.of(1L, 3L, 7L), p.getBucketCountsList());
    assertEquals(11, p.getCount());
    assertEquals(16, p.getSum());
    assertEquals(0.05, p.getMin());
    assertEquals(3, p.getMax());
    assertEquals(T0, p.getStartTimeUnixNano());
  }

  @Test
  void histogramWithoutSumDropsTheTotalsSum() {
    convertHistogram(explicit(0, 10, List.of(1.0), List.of(1L, 1L), 3));
    HistogramDataPoint p = convertHistogram(explicit(10, 20, List.of(1.0), List.of(1L, 0L), 0)
        .clearSum());
    assertFalse(p.hasSum());
    assertEquals(3, p.getCount());
  }

  @Test
  void otherBoundsStartTheTotalOver() {
    convertHistogram(explicit(0, 10, List.of(0.5, 1.0), List.of(1L, 2L, 3L), 7));
    HistogramDataPoint p = convertHistogram(explicit(10, 20, List.of(1.0), List.of(4L, 1L), 2));
    assertEquals(List.of(4L, 1L), p.getBucketCountsList());
    assertEquals(5, p.getCount());
    assertEquals(T0 + 10 * S, p.getStartTimeUnixNano());
    p = convertHistogram(explicit(20, 30, List.of(1.0), List.of(1L, 1L), 1));
    assertEquals(List.of(5L, 2L), p.getBucketCountsList());
  }

  private static ExponentialHistogramDataPoint.Builder expo(long start, long end, int scale,
      int offset, Long... counts) {
    return ExponentialHistogramDataPoint.newBuilder().setStartTimeUnixNano(T0 + start * S)
        .setTimeUnixNano(T0 + end * S).setScale(scale)
        .setCount(List.of(counts).stream().mapToLong(Long::longValue).sum()).setSum(1)
        .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(offset)
            .addAllBucketCounts(List.of(counts)));
  }

  @Test
  void exponentialHistogramsMergeAtTheCoarserScale() {
    convertExpo(expo(0, 10, 2, 4, 1L, 1L));
    // Scale 1: buckets 2 and 3 are scale 2's 4..5 and 6..7.
    ExponentialHistogramDataPoint p = convertExpo(expo(10, 20, 1, 3, 5L));
    assertEquals(1, p.getScale());
    assertEquals(2, p.getPositive().getOffset());
    assertEquals(List.of(2L, 5L), p.getPositive().getBucketCountsList());
    assertEquals(7, p.getCount());
    assertEquals(2, p.getSum());
    // A finer scale again: the total stays at the coarser one.
    p = convertExpo(expo(20, 30, 3, 8, 1L));
    assertEquals(1, p.getScale());
    assertEquals(List.of(3L, 5L), p.getPositive().getBucketCountsList());
  }

  private ExponentialHistogramDataPoint convertExpo(ExponentialHistogramDataPoint.Builder p) {
    Metric m = only(d2c.convert(OtlpTranslatorTest.request(OtlpTranslatorTest.SERVICE,
        OtlpTranslatorTest.exponential(p, DELTA)), dropped));
    assertEquals(CUMULATIVE, m.getExponentialHistogram().getAggregationTemporality());
    return m.getExponentialHistogram().getDataPoints(0);
  }
}
