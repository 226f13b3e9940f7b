package dev.tsdb.promql.engine;

import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.ValueType;
import java.util.Arrays;

/**
 * The samples of one series within a time range, copied into two primitive arrays that are reused
 * from series to series. Selectors and range functions then walk these arrays with moving
 * indexes, so evaluating a step allocates nothing.
 */
final class SampleBuffer {
  static final long STALE_NAN_BITS = 0x7ff0000000000002L;

  long[] t = new long[256];
  double[] v = new double[256];
  int n;
  private SampleIterator reuse;

  static boolean isStale(double v) {
    return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
  }

  /**
   * Loads the samples with {@code mint <= t <= maxt}.
   *
   * @param dropStale whether to leave out stale markers (range selectors ignore them)
   */
  void load(Series s, long mint, long maxt, boolean dropStale) {
    n = 0;
    SampleIterator it = s.iterator(reuse);
    reuse = it;
    ValueType vt = it.seek(mint);
    while (vt != ValueType.NONE) {
      if (vt == ValueType.FLOAT) {
        long ts = it.t();
        if (ts > maxt) {
          break;
        }
        double val = it.v();
        if (!(dropStale && isStale(val))) {
          if (n == t.length) {
            t = Arrays.copyOf(t, n * 2);
            v = Arrays.copyOf(v, n * 2);
          }
          t[n] = ts;
          v[n] = val;
          n++;
        }
      } else if (it.t() > maxt) {
        break;
      }
      vt = it.next();
    }
    Exception err = it.error();
    if (err != null) {
      throw new PromQLException(ErrorType.EXECUTION, err.getMessage(), err);
    }
  }
}
