package dev.tsdb.api.otlp;

import java.util.List;

/**
 * Dense OTLP bucket counts to Prometheus's sparse layout: (offset, length) spans and
 * delta-encoded counts.
 *
 * <p>OTLP bucket {@code offset + i} covers {@code (base^k, base^(k+1)]}, which is Prometheus's
 * bucket {@code k + 1} (shift 1); explicit-bounds buckets map one to one (shift 0). Scaling down
 * by {@code d} merges each {@code 2^d} neighbouring buckets into one. Zero buckets are left out,
 * except that gaps of up to two buckets are filled with zeros rather than opening a new span, the
 * span starts at the first bucket's index and the last bucket is always written, which keeps the
 * spans exactly as Prometheus's receiver writes them.
 */
final class BucketLayout {
  final int[] spans;
  final long[] deltas;

  private BucketLayout(int[] spans, long[] deltas) {
    this.spans = spans;
    this.deltas = deltas;
  }

  static final BucketLayout EMPTY = new BucketLayout(new int[0], new long[0]);

  static BucketLayout of(List<Long> counts, int offset, int scaleDown, int shift) {
    int n = counts.size();
    if (n == 0) {
      return EMPTY;
    }
    SpanWriter w = new SpanWriter(target(offset, scaleDown, shift));
    int lastTarget = target(offset + n - 1, scaleDown, shift);
    int current = w.start;
    long sum = 0;
    for (int i = 0; i < n; i++) {
      int t = target(offset + i, scaleDown, shift);
      if (t != current) {
        if (sum != 0) {
          w.write(current, sum);
        }
        current = t;
        sum = 0;
      }
      sum += counts.get(i);
    }
    w.write(lastTarget, sum);
    return new BucketLayout(w.spans(), w.deltas());
  }

  private static int target(int otlpIndex, int scaleDown, int shift) {
    return (otlpIndex >> scaleDown) + shift;
  }

  /** Appends buckets in increasing index order. */
  private static final class SpanWriter {
    final int start;
    private int[] spans = new int[8];
    private int spanCount;
    private long[] deltas = new long[16];
    private int bucketCount;
    private int last;
    private long previous;

    SpanWriter(int start) {
      this.start = start;
      openSpan(start);
      last = start - 1;
    }

    void write(int index, long count) {
      int gap = index - last - 1;
      if (gap > 2) {
        openSpan(gap);
      } else {
        for (int i = 0; i < gap; i++) {
          add(0);
        }
      }
      add(count);
      last = index;
    }

    private void openSpan(int offset) {
      if (spanCount * 2 + 2 > spans.length) {
        spans = java.util.Arrays.copyOf(spans, spans.length * 2);
      }
      spans[spanCount * 2] = offset;
      spans[spanCount * 2 + 1] = 0;
      spanCount++;
    }

    private void add(long count) {
      if (bucketCount == deltas.length) {
        deltas = java.util.Arrays.copyOf(deltas, deltas.length * 2);
      }
      deltas[bucketCount++] = count - previous;
      previous = count;
      spans[spanCount * 2 - 1]++;
    }

    int[] spans() {
      return java.util.Arrays.copyOf(spans, spanCount * 2);
    }

    long[] deltas() {
      return java.util.Arrays.copyOf(deltas, bucketCount);
    }
  }
}
