package dev.tsdb.wal.record;

import dev.tsdb.index.labels.Labels;
import java.util.Arrays;

/** Series (ref, labels) pairs for a Series record; reusable, see {@link SampleBatch}. */
public final class SeriesBatch {
  public long[] refs;
  public Labels[] labels;
  public int size;

  public SeriesBatch() {
    this(16);
  }

  public SeriesBatch(int capacity) {
    capacity = Math.max(1, capacity);
    refs = new long[capacity];
    labels = new Labels[capacity];
  }

  /** Clears and drops label references so they can be collected. */
  public void clear() {
    Arrays.fill(labels, 0, size, null);
    size = 0;
  }

  public int size() {
    return size;
  }

  public void add(long ref, Labels lset) {
    if (size == refs.length) {
      int cap = refs.length * 2;
      refs = Arrays.copyOf(refs, cap);
      labels = Arrays.copyOf(labels, cap);
    }
    refs[size] = ref;
    labels[size] = lset;
    size++;
  }
}
