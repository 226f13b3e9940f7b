package dev.tsdb.wal.record;

import java.util.Arrays;

/** Deleted intervals (ref, mint, maxt), both ends inclusive; reusable, see {@link SampleBatch}. */
public final class TombstoneBatch {
  public long[] refs;
  public long[] mints;
  public long[] maxts;
  public int size;

  public TombstoneBatch() {
    this(16);
  }

  public TombstoneBatch(int capacity) {
    capacity = Math.max(1, capacity);
    refs = new long[capacity];
    mints = new long[capacity];
    maxts = new long[capacity];
  }

  public void clear() {
    size = 0;
  }

  public int size() {
    return size;
  }

  public void add(long ref, long mint, long maxt) {
    if (size == refs.length) {
      int cap = refs.length * 2;
      refs = Arrays.copyOf(refs, cap);
      mints = Arrays.copyOf(mints, cap);
      maxts = Arrays.copyOf(maxts, cap);
    }
    refs[size] = ref;
    mints[size] = mint;
    maxts[size] = maxt;
    size++;
  }
}
