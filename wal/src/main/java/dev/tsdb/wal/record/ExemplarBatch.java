package dev.tsdb.wal.record;

import dev.tsdb.index.labels.Labels;
import java.util.Arrays;

/** Exemplars (ref, t, v, exemplar labels); reusable, see {@link SampleBatch}. */
public final class ExemplarBatch {
  public long[] refs;
  public long[] ts;
  public double[] vs;
  public Labels[] labels;
  public int size;

  public ExemplarBatch() {
    this(16);
  }

  public ExemplarBatch(int capacity) {
    capacity = Math.max(1, capacity);
    refs = new long[capacity];
    ts = new long[capacity];
    vs = new double[capacity];
    labels = new Labels[capacity];
  }

  public void clear() {
    Arrays.fill(labels, 0, size, null);
    size = 0;
  }

  public int size() {
    return size;
  }

  public void add(long ref, long t, double v, Labels lset) {
    if (size == refs.length) {
      int cap = refs.length * 2;
      refs = Arrays.copyOf(refs, cap);
      ts = Arrays.copyOf(ts, cap);
      vs = Arrays.copyOf(vs, cap);
      labels = Arrays.copyOf(labels, cap);
    }
    refs[size] = ref;
    ts[size] = t;
    vs[size] = v;
    labels[size] = lset;
    size++;
  }
}
