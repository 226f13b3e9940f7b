package dev.tsdb.wal.record;

import java.util.Arrays;

/**
 * Float samples as parallel primitive arrays: entry i is (refs[i], ts[i], vs[i]). Used both to
 * build a Samples record and as the decode target; reuse one instance ({@link #clear}) so neither
 * path allocates per sample. Fields are public for tight loops; only {@code [0, size)} is valid.
 */
public final class SampleBatch {
  public long[] refs;
  public long[] ts;
  public double[] vs;
  public int size;

  public SampleBatch() {
    this(64);
  }

  public SampleBatch(int capacity) {
    capacity = Math.max(1, capacity);
    refs = new long[capacity];
    ts = new long[capacity];
    vs = new double[capacity];
  }

  public void clear() {
    size = 0;
  }

  public int size() {
    return size;
  }

  public void add(long ref, long t, double v) {
    if (size == refs.length) {
      grow(size + 1);
    }
    refs[size] = ref;
    ts[size] = t;
    vs[size] = v;
    size++;
  }

  public void ensureCapacity(int n) {
    if (n > refs.length) {
      grow(n);
    }
  }

  private void grow(int min) {
    int cap = Math.max(min, refs.length * 2);
    refs = Arrays.copyOf(refs, cap);
    ts = Arrays.copyOf(ts, cap);
    vs = Arrays.copyOf(vs, cap);
  }
}
