package dev.tsdb.api.otlp;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets;
import java.util.Arrays;

/**
 * Adds one exponential histogram to another bucket by bucket, the way the Collector's
 * deltatocumulative processor does: both go to the coarser of their scales first; if the buckets
 * of both together would span more than {@link #MAX_BUCKETS} indexes, both are scaled down
 * further until they fit; when their zero thresholds differ, the narrower zero bucket is widened
 * to the other's, taking in the buckets it now covers.
 */
final class ExponentialSum {
  /** The processor's cap on a merged histogram's bucket range (per sign). */
  static final int MAX_BUCKETS = 160;

  private ExponentialSum() {}

  /** The total of both; time, flags and exemplars are the caller's business. */
  static ExponentialHistogramDataPoint add(ExponentialHistogramDataPoint a,
      ExponentialHistogramDataPoint b) {
    int scale = Math.min(a.getScale(), b.getScale());
    Dense aPos = Dense.of(a.getPositive()).downscale(a.getScale() - scale);
    Dense aNeg = Dense.of(a.getNegative()).downscale(a.getScale() - scale);
    Dense bPos = Dense.of(b.getPositive()).downscale(b.getScale() - scale);
    Dense bNeg = Dense.of(b.getNegative()).downscale(b.getScale() - scale);
    int fit = Math.max(Dense.scaleDownToFit(aPos, bPos), Dense.scaleDownToFit(aNeg, bNeg));
    if (fit > 0) {
      scale -= fit;
      aPos = aPos.downscale(fit);
      aNeg = aNeg.downscale(fit);
      bPos = bPos.downscale(fit);
      bNeg = bNeg.downscale(fit);
    }
    long zeroCount = a.getZeroCount() + b.getZeroCount();
    double zeroThreshold = Math.max(a.getZeroThreshold(), b.getZeroThreshold());
    if (a.getZeroThreshold() != b.getZeroThreshold()) {
      // Only the histogram with the narrower zero bucket loses buckets into it.
      boolean aNarrower = a.getZeroThreshold() < b.getZeroThreshold();
      int last = bucketIndex(zeroThreshold, scale);
      if (aNarrower) {
        zeroCount += aPos.sumUpTo(last) + aNeg.sumUpTo(last);
        aPos = aPos.from(last + 1);
        aNeg = aNeg.from(last + 1);
      } else {
        zeroCount += bPos.sumUpTo(last) + bNeg.sumUpTo(last);
        bPos = bPos.from(last + 1);
        bNeg = bNeg.from(last + 1);
      }
      zeroThreshold = upperBound(last, scale);
    }
    ExponentialHistogramDataPoint.Builder out = a.toBuilder()
        .setScale(scale)
        .setCount(a.getCount() + b.getCount())
        .setZeroCount(zeroCount)
        .setZeroThreshold(zeroThreshold)
        .setPositive(aPos.plus(bPos).toBuckets())
        .setNegative(aNeg.plus(bNeg).toBuckets());
    if (a.hasSum() && b.hasSum()) {
      out.setSum(a.getSum() + b.getSum());
    } else {
      out.clearSum();
    }
    if (a.hasMin() && b.hasMin()) {
      out.setMin(Math.min(a.getMin(), b.getMin()));
    } else {
      out.clearMin();
    }
    if (a.hasMax() && b.hasMax()) {
      out.setMax(Math.max(a.getMax(), b.getMax()));
    } else {
      out.clearMax();
    }
    return out.build();
  }

  /** The bucket (base^i, base^(i+1)] that holds v > 0, base = 2^(2^-scale). */
  static int bucketIndex(double v, int scale) {
    double log2 = Math.getExponent(v);
    if (Math.scalb(1.0, (int) log2) != v) {
      log2 = Math.log(v) / Math.log(2);
    }
    return (int) Math.ceil(Math.scalb(log2, scale)) - 1;
  }

  /** base^(i+1), the upper bound of bucket i. */
  static double upperBound(int index, int scale) {
    return Math.pow(2, Math.scalb((double) index + 1, -scale));
  }

  /** Bucket counts by index from {@code offset} on, zeros included. */
  static final class Dense {
    final int offset;
    final long[] counts;

    Dense(int offset, long[] counts) {
      this.offset = offset;
      this.counts = counts;
    }

    static Dense of(Buckets b) {
      return new Dense(b.getOffset(), b.getBucketCountsList().stream()
          .mapToLong(Long::longValue).toArray());
    }

    boolean isEmpty() {
      return counts.length == 0;
    }

    int last() {
      return offset + counts.length - 1;
    }

    /** Merges each 2^by neighbouring buckets into one (the index halves per step). */
    Dense downscale(int by) {
      if (by == 0 || isEmpty()) {
        return this;
      }
      int from = offset >> by;
      long[] out = new long[(last() >> by) - from + 1];
      for (int i = 0; i < counts.length; i++) {
        out[((offset + i) >> by) - from] += counts[i];
      }
      return new Dense(from, out);
    }

    /** How many scale steps down both need to span at most MAX_BUCKETS indexes together. */
    static int scaleDownToFit(Dense a, Dense b) {
      if (a.isEmpty() && b.isEmpty()) {
        return 0;
      }
      int lo = a.isEmpty() ? b.offset : b.isEmpty() ? a.offset : Math.min(a.offset, b.offset);
      int hi = a.isEmpty() ? b.last() : b.isEmpty() ? a.last() : Math.max(a.last(), b.last());
      int by = 0;
      while ((hi >> by) - (lo >> by) + 1 > MAX_BUCKETS) {
        by++;
      }
      return by;
    }

    /** What the buckets up to index {@code last} hold. */
    long sumUpTo(int last) {
      long sum = 0;
      for (int i = 0; i < counts.length && offset + i <= last; i++) {
        sum += counts[i];
      }
      return sum;
    }

    /** The buckets from index {@code first} on. */
    Dense from(int first) {
      if (first <= offset) {
        return this;
      }
      int skip = (int) Math.min(counts.length, (long) first - offset);
      return new Dense(offset + skip, Arrays.copyOfRange(counts, skip, counts.length));
    }

    Dense plus(Dense o) {
      if (o.isEmpty()) {
        return this;
      }
      if (isEmpty()) {
        return o;
      }
      int from = Math.min(offset, o.offset);
      long[] out = new long[Math.max(last(), o.last()) - from + 1];
      for (int i = 0; i < counts.length; i++) {
        out[offset - from + i] += counts[i];
      }
      for (int i = 0; i < o.counts.length; i++) {
        out[o.offset - from + i] += o.counts[i];
      }
      return new Dense(from, out);
    }

    Buckets toBuckets() {
      return Buckets.newBuilder().setOffset(offset)
          .addAllBucketCounts(Arrays.stream(counts).boxed().toList()).build();
    }
  }
}
