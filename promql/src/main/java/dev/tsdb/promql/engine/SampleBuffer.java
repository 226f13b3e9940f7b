package dev.tsdb.promql.engine;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.index.storage.QueryCancellation;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.ValueType;
import java.util.Arrays;

/**
 * The samples of one series within a time range, copied into primitive arrays that are reused
 * from series to series. Selectors and range functions then walk these arrays with moving
 * indexes, so evaluating a step allocates nothing for float samples.
 *
 * <p>Native histogram samples are read as float histograms into {@code h} (null where the sample
 * is a float); each is a new object, since results keep them. {@code h} is null after a load that
 * met no histogram, so float-only series cost nothing extra.
 */
final class SampleBuffer {
  static final long STALE_NAN_BITS = 0x7ff0000000000002L;

  long[] t = new long[256];
  double[] v = new double[256];
  FloatHistogram[] h;
  int n;
  private FloatHistogram[] histograms = new FloatHistogram[0];
  private SampleIterator reuse;
  /** The query's --query.max-samples. */
  long maxSamples = Long.MAX_VALUE;

  static boolean isStale(double v) {
    return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
  }

  /** A stale marker of either kind: a float stale NaN, or a histogram whose sum is one. */
  static boolean isStale(double v, FloatHistogram h) {
    return h == null ? isStale(v) : isStale(h.sum);
  }

  /** Whether point i is a stale marker. */
  boolean isStaleAt(int i) {
    return isStale(v[i], h == null ? null : h[i]);
  }

  /** The histogram at point i, or null when it is a float. */
  FloatHistogram h(int i) {
    return h == null ? null : h[i];
  }

  /**
   * Loads the samples with {@code mint <= t <= maxt}.
   *
   * @param dropStale whether to leave out stale markers (range selectors ignore them); also
   *     marks the load as a range window, whose open lower bound is {@code mint - 1}
   */
  void load(Series s, long mint, long maxt, boolean dropStale) {
    if (h != null) {
      Arrays.fill(h, 0, n, null);
      h = null;
    }
    n = 0;
    SampleIterator it = s.iterator(reuse);
    reuse = it;
    ValueType vt = dropStale && it instanceof HistogramStatsIterator stats
        // A range window (mint - 1, maxt]: a statistics read decides counter resets against
        // the sample on the open bound too, as Prometheus's window iterators read it.
        ? stats.seekAfter(mint - 1)
        : it.seek(mint);
    long read = 0;
    while (vt != ValueType.NONE) {
      // Decoding a long range is a query's time too: stop it there when the query is done.
      QueryCancellation.checkEvery(++read);
      long ts = it.t();
      if (ts > maxt) {
        break;
      }
      if (vt == ValueType.FLOAT) {
        double val = it.v();
        if (!(dropStale && isStale(val))) {
          append(ts, val, null);
        }
      } else {
        FloatHistogram fh = it.atFloatHistogram(null);
        if (!(dropStale && isStale(fh.sum))) {
          append(ts, 0, fh);
        }
      }
      vt = it.next();
    }
    Exception err = it.error();
    if (err != null) {
      throw new PromQLException(ErrorType.EXECUTION, err.getMessage(), err);
    }
  }

  private void append(long ts, double val, FloatHistogram fh) {
    if (n == t.length) {
      if (n >= maxSamples) {
        // One window holding more points than the query may load exceeds the limit whatever
        // else the query holds: stop before decoding (and allocating) the rest of a long range.
        throw QueryContext.tooManySamples();
      }
      t = Arrays.copyOf(t, n * 2);
      v = Arrays.copyOf(v, n * 2);
    }
    if (fh != null && h == null) {
      if (histograms.length < t.length) {
        histograms = new FloatHistogram[t.length];
      }
      h = histograms;
    }
    if (h != null) {
      if (n == h.length) {
        histograms = Arrays.copyOf(h, t.length);
        h = histograms;
      }
      h[n] = fh;
    }
    t[n] = ts;
    v[n] = val;
    n++;
  }
}
