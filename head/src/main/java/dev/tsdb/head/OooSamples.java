package dev.tsdb.head;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.ValueType;

/**
 * Time-sorted samples without duplicate timestamps, floats and native histograms mixed: the
 * out-of-order samples a reader sees ({@link OooChunks#collect}) or a buffer being sealed. Entry
 * i is a float {@code vs[i]} when {@code hs} is null or {@code hs[i]} is null, else a
 * {@link Histogram} or {@link FloatHistogram} that is never mutated (readers get copies).
 */
final class OooSamples {
  static final OooSamples EMPTY = new OooSamples(new long[0], new double[0], null, 0);

  final long[] ts;
  final double[] vs;
  final Object[] hs; // null: all floats
  final int n;

  OooSamples(long[] ts, double[] vs, Object[] hs, int n) {
    this.ts = ts;
    this.vs = vs;
    this.hs = hs;
    this.n = n;
  }

  /** The sample type of entry i. */
  ValueType type(int i) {
    Object h = hs == null ? null : hs[i];
    if (h == null) {
      return ValueType.FLOAT;
    }
    return h instanceof Histogram ? ValueType.HISTOGRAM : ValueType.FLOAT_HISTOGRAM;
  }

  /** A copy of entry i's integer histogram (the stored one is shared with other readers). */
  Histogram histogram(int i) {
    return ((Histogram) hs[i]).copy();
  }

  /** Entry i's histogram as float counts, in a new instance. */
  FloatHistogram floatHistogram(int i) {
    Object h = hs[i];
    return h instanceof Histogram ih ? FloatHistogram.of(ih, null) : ((FloatHistogram) h).copy();
  }

  /** A cursor over the samples (for re-encoding them into chunks). */
  SampleIterator iterator() {
    return new SampleIterator() {
      private int i = -1;

      @Override
      public ValueType next() {
        return ++i < n ? type(i) : ValueType.NONE;
      }

      @Override
      public ValueType seek(long t) {
        if (i < 0) {
          i = 0;
        }
        while (i < n && ts[i] < t) {
          i++;
        }
        return i < n ? type(i) : ValueType.NONE;
      }

      @Override
      public long t() {
        return ts[i];
      }

      @Override
      public double v() {
        return vs[i];
      }

      @Override
      public Histogram atHistogram(Histogram reuse) {
        return histogram(i);
      }

      @Override
      public FloatHistogram atFloatHistogram(FloatHistogram reuse) {
        return floatHistogram(i);
      }
    };
  }
}
