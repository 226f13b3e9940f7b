package dev.tsdb.blocks.db;

import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.ValueType;

/**
 * Merges the samples of one series held by several sources (blocks, head) by timestamp. When
 * sources hold a sample for the same timestamp, the one of the lowest-index source wins and the
 * others are skipped: the same rule as vertical compaction, so a query answers exactly what the
 * compacted block will hold. Allocation-free per sample; reusable across series.
 */
final class MergeSampleIterator implements SampleIterator {
  private SampleIterator[] its = new SampleIterator[0];
  private long[] ts = new long[0];
  private ValueType[] types = new ValueType[0];
  private boolean[] done = new boolean[0];
  private int n;
  private int cur = -1;
  private boolean started;
  private Exception err;

  MergeSampleIterator reset(Series[] parts) {
    int k = parts.length;
    if (its.length < k) {
      its = java.util.Arrays.copyOf(its, k);
      ts = new long[k];
      types = new ValueType[k];
      done = new boolean[k];
    }
    for (int i = 0; i < k; i++) {
      its[i] = parts[i].iterator(its[i]);
      done[i] = false;
    }
    for (int i = k; i < its.length; i++) {
      its[i] = null; // do not keep other series' iterators (and their data) reachable
    }
    n = k;
    cur = -1;
    started = false;
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
      return pick();
    }
    if (cur < 0) {
      return ValueType.NONE;
    }
    long last = ts[cur];
    for (int i = 0; i < n; i++) {
      if (!done[i] && ts[i] == last) {
        record(i, its[i].next());
      }
    }
    return pick();
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
  public Exception error() {
    return err;
  }
}
