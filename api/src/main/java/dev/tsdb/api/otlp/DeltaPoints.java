package dev.tsdb.api.otlp;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.List;

/**
 * The three kinds of OTLP points that can be deltas (sums, explicit-bounds and exponential
 * histograms), seen through what accumulating them needs. OTLP's generated point classes share
 * no interface, hence one small adapter per kind.
 */
interface DeltaPoints<P> {
  List<KeyValue> attributes(P p);

  long start(P p);

  long time(P p);

  int flags(P p);

  /** The running total with {@code delta} added, at the delta's time. */
  P add(P total, P delta);

  /** The total to keep between requests: no exemplars (they belong to one point). */
  P forState(P p);

  /** The total as sent on: with the delta point's flags and exemplars. */
  P forOutput(P total, P delta);

  DeltaPoints<NumberDataPoint> NUMBER = new DeltaPoints<>() {
    @Override
    public List<KeyValue> attributes(NumberDataPoint p) {
      return p.getAttributesList();
    }

    @Override
    public long start(NumberDataPoint p) {
      return p.getStartTimeUnixNano();
    }

    @Override
    public long time(NumberDataPoint p) {
      return p.getTimeUnixNano();
    }

    @Override
    public int flags(NumberDataPoint p) {
      return p.getFlags();
    }

    @Override
    public NumberDataPoint add(NumberDataPoint total, NumberDataPoint delta) {
      NumberDataPoint.Builder b = total.toBuilder().setTimeUnixNano(delta.getTimeUnixNano());
      if (total.getValueCase() != NumberDataPoint.ValueCase.AS_DOUBLE
          && delta.getValueCase() != NumberDataPoint.ValueCase.AS_DOUBLE) {
        b.setAsInt(total.getAsInt() + delta.getAsInt());
      } else {
        // Integers stay integers; a double on either side makes the total a double.
        b.setAsDouble(value(total) + value(delta));
      }
      return b.build();
    }

    private static double value(NumberDataPoint p) {
      return p.getValueCase() == NumberDataPoint.ValueCase.AS_DOUBLE ? p.getAsDouble()
          : (double) p.getAsInt();
    }

    @Override
    public NumberDataPoint forState(NumberDataPoint p) {
      return p.getExemplarsCount() == 0 ? p : p.toBuilder().clearExemplars().build();
    }

    @Override
    public NumberDataPoint forOutput(NumberDataPoint total, NumberDataPoint delta) {
      return total.toBuilder().setFlags(delta.getFlags()).clearExemplars()
          .addAllExemplars(delta.getExemplarsList()).build();
    }
  };

  DeltaPoints<HistogramDataPoint> HISTOGRAM = new DeltaPoints<>() {
    @Override
    public List<KeyValue> attributes(HistogramDataPoint p) {
      return p.getAttributesList();
    }

    @Override
    public long start(HistogramDataPoint p) {
      return p.getStartTimeUnixNano();
    }

    @Override
    public long time(HistogramDataPoint p) {
      return p.getTimeUnixNano();
    }

    @Override
    public int flags(HistogramDataPoint p) {
      return p.getFlags();
    }

    /**
     * Adds bucket by bucket. Other bounds than the total's cannot be added: the total starts
     * over from the new point, as the processor does.
     */
    @Override
    public HistogramDataPoint add(HistogramDataPoint total, HistogramDataPoint delta) {
      if (!total.getExplicitBoundsList().equals(delta.getExplicitBoundsList())) {
        return delta;
      }
      HistogramDataPoint.Builder b = total.toBuilder()
          .setTimeUnixNano(delta.getTimeUnixNano())
          .setCount(total.getCount() + delta.getCount());
      // Equal bounds mean equally many buckets; should a sender break that, add what both have.
      int n = Math.min(total.getBucketCountsCount(), delta.getBucketCountsCount());
      for (int i = 0; i < n; i++) {
        b.setBucketCounts(i, total.getBucketCounts(i) + delta.getBucketCounts(i));
      }
      if (total.hasSum() && delta.hasSum()) {
        b.setSum(total.getSum() + delta.getSum());
      } else {
        b.clearSum();
      }
      if (total.hasMin() && delta.hasMin()) {
        b.setMin(Math.min(total.getMin(), delta.getMin()));
      } else {
        b.clearMin();
      }
      if (total.hasMax() && delta.hasMax()) {
        b.setMax(Math.max(total.getMax(), delta.getMax()));
      } else {
        b.clearMax();
      }
      return b.build();
    }

    @Override
    public HistogramDataPoint forState(HistogramDataPoint p) {
      return p.getExemplarsCount() == 0 ? p : p.toBuilder().clearExemplars().build();
    }

    @Override
    public HistogramDataPoint forOutput(HistogramDataPoint total, HistogramDataPoint delta) {
      return total.toBuilder().setFlags(delta.getFlags()).clearExemplars()
          .addAllExemplars(delta.getExemplarsList()).build();
    }
  };

  DeltaPoints<ExponentialHistogramDataPoint> EXPONENTIAL = new DeltaPoints<>() {
    @Override
    public List<KeyValue> attributes(ExponentialHistogramDataPoint p) {
      return p.getAttributesList();
    }

    @Override
    public long start(ExponentialHistogramDataPoint p) {
      return p.getStartTimeUnixNano();
    }

    @Override
    public long time(ExponentialHistogramDataPoint p) {
      return p.getTimeUnixNano();
    }

    @Override
    public int flags(ExponentialHistogramDataPoint p) {
      return p.getFlags();
    }

    @Override
    public ExponentialHistogramDataPoint add(ExponentialHistogramDataPoint total,
        ExponentialHistogramDataPoint delta) {
      return ExponentialSum.add(total, delta).toBuilder()
          .setTimeUnixNano(delta.getTimeUnixNano()).build();
    }

    @Override
    public ExponentialHistogramDataPoint forState(ExponentialHistogramDataPoint p) {
      return p.getExemplarsCount() == 0 ? p : p.toBuilder().clearExemplars().build();
    }

    @Override
    public ExponentialHistogramDataPoint forOutput(ExponentialHistogramDataPoint total,
        ExponentialHistogramDataPoint delta) {
      return total.toBuilder().setFlags(delta.getFlags()).clearExemplars()
          .addAllExemplars(delta.getExemplarsList()).build();
    }
  };
}
