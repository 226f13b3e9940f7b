package dev.tsdb.blocks.db;

import dev.tsdb.blocks.SourceSwitchHints;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.ValueType;

/**
 * Samples of one series held by sources whose time ranges are disjoint and in order (the usual
 * case: consecutive blocks, then the head above the newest block): each part is read to its end
 * before the next, with no per-sample comparison. Histograms pass through; one that does not
 * follow a sample of the same part gets {@link SourceSwitchHints}.
 */
final class ChainSampleIterator implements SampleIterator {
  private SampleIterator[] its = new SampleIterator[0];
  private int n;
  private int cur;
  private boolean consecutive; // the current sample follows one of the same part
  private boolean started;
  private Exception err;

  ChainSampleIterator reset(Series[] parts) {
    if (its.length < parts.length) {
      its = java.util.Arrays.copyOf(its, parts.length);
    }
    for (int i = 0; i < parts.length; i++) {
      its[i] = parts[i].iterator(its[i]);
    }
    for (int i = parts.length; i < its.length; i++) {
      its[i] = null;
    }
    n = parts.length;
    cur = 0;
    consecutive = false;
    started = false;
    err = null;
    return this;
  }

  private boolean failed(SampleIterator it) {
    if (it.error() != null) {
      err = it.error();
      cur = n;
      return true;
    }
    return false;
  }

  @Override
  public ValueType next() {
    consecutive = started;
    started = true;
    while (cur < n) {
      SampleIterator it = its[cur];
      ValueType vt = it.next();
      if (vt != ValueType.NONE) {
        return vt;
      }
      consecutive = false;
      if (failed(it)) {
        return ValueType.NONE;
      }
      cur++;
    }
    return ValueType.NONE;
  }

  @Override
  public ValueType seek(long t) {
    consecutive = false;
    started = true;
    while (cur < n) {
      SampleIterator it = its[cur];
      ValueType vt = it.seek(t);
      if (vt != ValueType.NONE) {
        return vt;
      }
      if (failed(it)) {
        return ValueType.NONE;
      }
      cur++;
    }
    return ValueType.NONE;
  }

  @Override
  public long t() {
    return its[cur].t();
  }

  @Override
  public double v() {
    return its[cur].v();
  }

  @Override
  public Histogram atHistogram(Histogram reuse) {
    return SourceSwitchHints.apply(its[cur].atHistogram(reuse), consecutive);
  }

  @Override
  public FloatHistogram atFloatHistogram(FloatHistogram reuse) {
    return SourceSwitchHints.apply(its[cur].atFloatHistogram(reuse), consecutive);
  }

  @Override
  public Exception error() {
    return err;
  }
}
