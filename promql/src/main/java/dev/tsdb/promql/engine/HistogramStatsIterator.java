package dev.tsdb.promql.engine;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.CounterResets;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.ValueType;

/**
 * Reads a series for a consumer that only needs histogram statistics (histogram_count,
 * histogram_sum, histogram_avg): every histogram sample comes out as a float histogram holding
 * only its counter reset hint, schema, count and sum, with no spans or buckets. This is
 * Prometheus's HistogramStatsIterator contract, and its results follow from it:
 *
 * <ul>
 *   <li>Since the consumer cannot see buckets, it cannot detect counter resets itself. So an
 *       "unknown" hint (the first sample of a chunk) is resolved here, by comparing the full
 *       sample with the full previous one read through this iterator: "reset" or "not reset".
 *       Hints the chunk already knows (not reset, gauge) pass through. This is how a
 *       stats-only read can yield hints that conflict within an aggregation (and warn), where
 *       a full read would leave them "unknown".
 *   <li>Without a previous sample (the first one read, or after a {@link #seek} that moved)
 *       the hint stays "unknown".
 *   <li>Reading the same sample again gives the same answer; a stale marker is passed on and
 *       does not become the previous sample.
 * </ul>
 *
 * <p>Cost: the chunk encoding deltas every bucket against the previous sample, so the chunk
 * iterator must still decode each sample's buckets to move on, and the reset check needs the
 * previous sample's buckets. What a stats read saves is every per-sample bucket array the
 * consumer would otherwise keep: the full samples land in two buffers that this iterator swaps
 * (the previous one and the one read now), and only a bucket-less histogram is handed out.
 * Integer histograms are read as float histograms; {@link #atHistogram} is not supported.
 */
final class HistogramStatsIterator implements SampleIterator {
  /** Its (empty, shared) span and bucket arrays are what a statistics histogram holds. */
  private static final FloatHistogram NO_BUCKETS = new FloatHistogram();

  private SampleIterator in;
  /** The current sample's value type as the delegate told it (NONE before the first move). */
  private ValueType at = ValueType.NONE;
  /** The full previous histogram read (its hint as resolved here), or null when there is none. */
  private FloatHistogram previous;
  /** A buffer for the next full read; swapped with {@link #previous} after each read. */
  private FloatHistogram spare;
  /** Whether {@link #previous} is the current sample (read already). */
  private boolean previousIsCurrent;
  /** Where {@link #seekAfter} reads the bound's sample (only its side effect counts). */
  private FloatHistogram boundScratch;

  HistogramStatsIterator(SampleIterator in) {
    this.in = in;
  }

  /** Points this iterator at another series' samples, keeping its buffers. */
  HistogramStatsIterator reset(SampleIterator in) {
    this.in = in;
    at = ValueType.NONE;
    forgetPrevious();
    return this;
  }

  /** The wrapped iterator, for the next series to reuse. */
  SampleIterator delegate() {
    return in;
  }

  @Override
  public ValueType next() {
    previousIsCurrent = false;
    at = in.next();
    return asFloatHistogram(at);
  }

  @Override
  public ValueType seek(long t) {
    // A seek that moves skips samples this iterator has not compared, so the next reset check
    // would compare non-neighbours: start over without a previous sample instead.
    if (at == ValueType.NONE || t > in.t()) {
      forgetPrevious();
    }
    at = in.seek(t);
    return asFloatHistogram(at);
  }

  /**
   * Seeks to the first sample after {@code bound}, having read the sample exactly at
   * {@code bound} (if any) as the previous one. Prometheus's engine positions a range window's
   * iterator at the window's open lower bound itself and reads the sample there before dropping
   * it, so the first sample inside the window has its counter reset decided against it.
   */
  ValueType seekAfter(long bound) {
    ValueType vt = seek(bound);
    if (vt != ValueType.NONE && in.t() == bound) {
      if (vt == ValueType.FLOAT_HISTOGRAM) {
        boundScratch = atFloatHistogram(boundScratch);
      }
      vt = next();
    }
    return vt;
  }

  private void forgetPrevious() {
    if (previous != null) {
      spare = spare == null ? previous : spare;
      previous = null;
    }
    previousIsCurrent = false;
  }

  private static ValueType asFloatHistogram(ValueType vt) {
    return vt == ValueType.HISTOGRAM ? ValueType.FLOAT_HISTOGRAM : vt;
  }

  @Override
  public long t() {
    return in.t();
  }

  @Override
  public double v() {
    return in.v();
  }

  @Override
  public Histogram atHistogram(Histogram reuse) {
    throw new IllegalStateException("a histogram statistics read hands out float histograms only");
  }

  @Override
  public FloatHistogram atFloatHistogram(FloatHistogram reuse) {
    if (previousIsCurrent) {
      return statistics(previous, previous.counterResetHint, reuse);
    }
    FloatHistogram full = in.atFloatHistogram(spare);
    if (SampleBuffer.isStale(full.sum)) {
      spare = full;
      return statistics(full, full.counterResetHint, reuse);
    }
    full.counterResetHint = resolvedHint(full);
    spare = previous;
    previous = full;
    previousIsCurrent = true;
    return statistics(full, full.counterResetHint, reuse);
  }

  /** The hint of {@code current}, with "unknown" decided against the previous sample if any. */
  private CounterResetHint resolvedHint(FloatHistogram current) {
    CounterResetHint hint = current.counterResetHint;
    if (hint != CounterResetHint.UNKNOWN || previous == null) {
      return hint;
    }
    return CounterResets.detect(previous, current)
        ? CounterResetHint.COUNTER_RESET
        : CounterResetHint.NOT_COUNTER_RESET;
  }

  /** The statistics of {@code full} under {@code hint}, in {@code reuse} or a new histogram. */
  private static FloatHistogram statistics(FloatHistogram full, CounterResetHint hint,
      FloatHistogram reuse) {
    FloatHistogram out = reuse != null ? reuse : new FloatHistogram();
    out.counterResetHint = hint;
    out.schema = full.schema;
    out.count = full.count;
    out.sum = full.sum;
    out.zeroThreshold = 0;
    out.zeroCount = 0;
    out.positiveSpans = NO_BUCKETS.positiveSpans;
    out.positiveBuckets = NO_BUCKETS.positiveBuckets;
    out.negativeSpans = NO_BUCKETS.negativeSpans;
    out.negativeBuckets = NO_BUCKETS.negativeBuckets;
    out.customValues = NO_BUCKETS.customValues;
    return out;
  }

  @Override
  public Exception error() {
    return in.error();
  }
}
