package dev.tsdb.blocks;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.ValueType;
import java.util.Arrays;

/**
 * Merges the samples of one series held by several sources (blocks, head) by timestamp. When
 * sources hold a sample for the same timestamp, the one of the lowest-index source wins and the
 * others are skipped: the same rule for queries and for vertical compaction, so a query answers
 * exactly what the compacted block will hold. Floats and histograms pass through with their own
 * type; a histogram that does not follow a sample of the same source (the first one, one after a
 * switch of source, one reached by seek) gets {@link SourceSwitchHints}.
 * Allocation-free per sample; reusable across series.
 */
public final class MergeSampleIterator implements SampleIterator {
  private SampleIterator[] its = new SampleIterator[0];
  private long[] ts = new long[0];
  private ValueType[] types = new ValueType[0];
  private boolean[] done = new boolean[0];
  private int n;
  private int cur = -1;
  private boolean started;
  private boolean consecutive; // the current sample follows one of the same source
  private Exception err;

  /** Merges the parts' samples, reusing the iterators this one handed them before. */
  public MergeSampleIterator reset(Series[] parts) {
    int k = parts.length;
    ensureCapacity(k);
    for (int i = 0; i < k; i++) {
      its[i] = parts[i].iterator(its[i]);
    }
    return start(k);
  }

  /** Merges the given iterators (in priority order). */
  public MergeSampleIterator reset(SampleIterator... sources) {
    ensureCapacity(sources.length);
    System.arraycopy(sources, 0, its, 0, sources.length);
    return start(sources.length);
  }

  private void ensureCapacity(int k) {
    if (its.length < k) {
      its = Arrays.copyOf(its, k);
      ts = new long[k];
      types = new ValueType[k];
      done = new boolean[k];
    }
  }

  private MergeSampleIterator start(int k) {
    Arrays.fill(done, 0, k, false);
    for (int i = k; i < its.length; i++) {
      its[i] = null; // do not keep other series' iterators (and their data) reachable
    }
    n = k;
    cur = -1;
    started = false;
    consecutive = false;
    err = null;
    return this;
  }

  private void record(int i, ValueType vt) {
    if (vt == ValueType.NONE) {
      done[i] = true;
      if (err == null && its[i].error() != null) {
        err = its[i].error();
      }
    } else {
      types[i] = vt;
      ts[i] = its[i].t();
    }
  }

  private ValueType pick() {
    if (err != null) {
      cur = -1;
      return ValueType.NONE;
    }
    int best = -1;
    for (int i = 0; i < n; i++) {
      if (!done[i] && (best < 0 || ts[i] < ts[best])) {
        best = i;
      }
    }
    cur = best;
    return best < 0 ? ValueType.NONE : types[best];
  }

  @Override
  public ValueType next() {
    if (!started) {
      started = true;
      for (int i = 0; i < n; i++) {
        record(i, its[i].next());
      }
      consecutive = false;
      return pick();
    }
    if (cur < 0) {
      return ValueType.NONE;
    }
    int prev = cur;
    long last = ts[cur];
    for (int i = 0; i < n; i++) {
      if (!done[i] && ts[i] == last) {
        record(i, its[i].next());
      }
    }
    ValueType vt = pick();
    consecutive = cur == prev;
    return vt;
  }

  @Override
  public ValueType seek(long t) {
    if (started) {
      if (cur < 0) {
        return ValueType.NONE;
      }
      if (ts[cur] >= t) {
        return types[cur];
      }
    }
    for (int i = 0; i < n; i++) {
      if (!started || (!done[i] && ts[i] < t)) {
        record(i, its[i].seek(t));
      }
    }
    started = true;
    consecutive = false;
    return pick();
  }

  @Override
  public long t() {
    return ts[cur];
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
