package dev.tsdb.wal.record;

import dev.tsdb.index.histogram.FloatHistogram;
import java.util.Arrays;

/**
 * Float native-histogram samples (ref, t, histogram) for FloatHistogramSamples and
 * CustomBucketsFloatHistogramSamples records; reusable, see {@link SampleBatch}.
 *
 * <p>Two ways to fill it: {@link #add} stores the caller's histogram by reference (to encode
 * it); the decoder uses {@link #refill}, which hands out a histogram owned by the batch and
 * kept across {@link #clear()}, so a replay loop refills the same objects (and their arrays when
 * the shape repeats). A decoded histogram is valid until the next decode into this batch;
 * {@link FloatHistogram#copy()} it to keep it. Histograms given to {@link #add} are never
 * refilled.
 */
public final class FloatHistogramBatch {
  public long[] refs;
  public long[] ts;
  public FloatHistogram[] histograms;
  public int size;
  /** Whether {@code histograms[i]} belongs to the batch (may be refilled) or to a caller. */
  private boolean[] owned;

  public FloatHistogramBatch() {
    this(16);
  }

  public FloatHistogramBatch(int capacity) {
    capacity = Math.max(1, capacity);
    refs = new long[capacity];
    ts = new long[capacity];
    histograms = new FloatHistogram[capacity];
    owned = new boolean[capacity];
  }

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
  public void add(long ref, long t, FloatHistogram h) {
    ensureRoom();
    refs[size] = ref;
    ts[size] = t;
    histograms[size] = h;
    owned[size] = false;
    size++;
  }

  /** Appends a sample and returns its histogram for the caller to overwrite in place. */
  public FloatHistogram refill(long ref, long t) {
    ensureRoom();
    FloatHistogram h = histograms[size];
    if (h == null || !owned[size]) {
      h = new FloatHistogram();
      histograms[size] = h;
      owned[size] = true;
    }
    refs[size] = ref;
    ts[size] = t;
    size++;
    return h;
  }

  /** Whether any sample uses custom buckets, i.e. the batch needs a record of type 10. */
  public boolean hasCustomBuckets() {
    for (int i = 0; i < size; i++) {
      if (histograms[i].usesCustomBuckets()) {
        return true;
      }
    }
    return false;
  }

  /** Whether any sample uses an exponential schema, i.e. the batch needs a record of type 8. */
  public boolean hasExponential() {
    for (int i = 0; i < size; i++) {
      if (!histograms[i].usesCustomBuckets()) {
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
