package dev.tsdb.wal.record;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Native-histogram samples (ref, t, histogram) as parallel arrays; {@link HistogramBatch} and
 * {@link FloatHistogramBatch} fix the histogram type. Reusable, see {@link SampleBatch}.
 *
 * <p>Two ways to fill it: {@link #add} stores the caller's histogram by reference (to encode
 * it); the decoder uses {@link #refill}, which hands out a histogram owned by the batch and
 * kept across {@link #clear()}, so a replay loop refills the same objects (and their arrays when
 * the shape repeats). A decoded histogram is valid until the next decode into this batch; copy
 * it to keep it. Histograms given to {@link #add} are never refilled.
 *
 * @param <H> the histogram type
 */
public abstract class HistogramSampleBatch<H> {
  public long[] refs;
  public long[] ts;
  public H[] histograms;
  public int size;
  /** Whether {@code histograms[i]} belongs to the batch (may be refilled) or to a caller. */
  private boolean[] owned;

  HistogramSampleBatch(int capacity, IntFunction<H[]> newArray) {
    capacity = Math.max(1, capacity);
    refs = new long[capacity];
    ts = new long[capacity];
    histograms = newArray.apply(capacity);
    owned = new boolean[capacity];
  }

  abstract H newHistogram();

  abstract boolean usesCustomBuckets(H h);

  /** Empties the batch; drops references to callers' histograms, keeps its own for reuse. */
  public void clear() {
    for (int i = 0; i < size; i++) {
      if (!owned[i]) {
        histograms[i] = null;
      }
    }
    size = 0;
  }

  public int size() {
    return size;
  }

  /** Appends a sample holding {@code h} itself (not a copy). */
  public void add(long ref, long t, H h) {
    ensureRoom();
    refs[size] = ref;
    ts[size] = t;
    histograms[size] = h;
    owned[size] = false;
    size++;
  }

  /** Appends a sample and returns its histogram for the caller to overwrite in place. */
  public H refill(long ref, long t) {
    ensureRoom();
    H h = histograms[size];
    if (h == null || !owned[size]) {
      h = newHistogram();
      histograms[size] = h;
      owned[size] = true;
    }
    refs[size] = ref;
    ts[size] = t;
    size++;
    return h;
  }

  /** Whether any sample uses custom buckets, i.e. the batch needs a record of type 9 or 10. */
  public boolean hasCustomBuckets() {
    for (int i = 0; i < size; i++) {
      if (usesCustomBuckets(histograms[i])) {
        return true;
      }
    }
    return false;
  }

  private void ensureRoom() {
    if (size == refs.length) {
      int cap = refs.length * 2;
      refs = Arrays.copyOf(refs, cap);
      ts = Arrays.copyOf(ts, cap);
      histograms = Arrays.copyOf(histograms, cap);
      owned = Arrays.copyOf(owned, cap);
    }
  }
}
