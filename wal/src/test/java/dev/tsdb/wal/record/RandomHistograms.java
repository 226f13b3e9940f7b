package dev.tsdb.wal.record;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random native histograms that Prometheus accepts (its Histogram.Validate rules: spans match
 * bucket counts, later span offsets non-negative, count = zero count + bucket counts, custom
 * buckets without zero bucket or negative side and with strictly increasing finite bounds).
 * Counts of float histograms are multiples of 0.5, so every sum of them is exact.
 */
public final class RandomHistograms {
  private final Random rnd;

  public RandomHistograms(long seed) {
    this.rnd = new Random(seed);
  }

  /** An exponential schema in -4..8, or -53 (custom buckets) when {@code custom}. */
  public Histogram intHistogram(boolean custom) {
    Histogram h = new Histogram();
    h.counterResetHint = hint();
    if (custom) {
      h.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
      h.customValues = customBounds();
      h.positiveSpans = customSpans(h.customValues.length);
    } else {
      h.schema = Histogram.MIN_EXPONENTIAL_SCHEMA
          + rnd.nextInt(Histogram.MAX_EXPONENTIAL_SCHEMA - Histogram.MIN_EXPONENTIAL_SCHEMA + 1);
      h.zeroThreshold = pick(0.0, 1e-128, 0.001, 0.25);
      h.zeroCount = rnd.nextInt(4);
      h.positiveSpans = spans();
      h.negativeSpans = spans();
    }
    long[] pos = absoluteCounts(Histogram.bucketsCovered(h.positiveSpans));
    long[] neg = absoluteCounts(Histogram.bucketsCovered(h.negativeSpans));
    h.count = h.zeroCount + total(pos) + total(neg);
    h.positiveBuckets = deltas(pos);
    h.negativeBuckets = deltas(neg);
    h.sum = h.count == 0 ? 0 : (rnd.nextInt(2001) - 1000) / 8.0;
    return h;
  }

  public FloatHistogram floatHistogram(boolean custom) {
    FloatHistogram h = new FloatHistogram();
    h.counterResetHint = hint();
    if (custom) {
      h.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
      h.customValues = customBounds();
      h.positiveSpans = customSpans(h.customValues.length);
    } else {
      h.schema = Histogram.MIN_EXPONENTIAL_SCHEMA
          + rnd.nextInt(Histogram.MAX_EXPONENTIAL_SCHEMA - Histogram.MIN_EXPONENTIAL_SCHEMA + 1);
      h.zeroThreshold = pick(0.0, 1e-128, 0.001, 0.25);
      h.zeroCount = rnd.nextInt(7) * 0.5;
      h.positiveSpans = spans();
      h.negativeSpans = spans();
    }
    h.positiveBuckets = floatCounts(Histogram.bucketsCovered(h.positiveSpans));
    h.negativeBuckets = floatCounts(Histogram.bucketsCovered(h.negativeSpans));
    h.count = h.zeroCount + total(h.positiveBuckets) + total(h.negativeBuckets);
    h.sum = h.count == 0 ? 0 : (rnd.nextInt(2001) - 1000) / 8.0;
    return h;
  }

  public boolean nextBoolean() {
    return rnd.nextBoolean();
  }

  public int nextInt(int bound) {
    return rnd.nextInt(bound);
  }

  private CounterResetHint hint() {
    // Gauge histograms may go down; our counts are independent draws, so mostly say "unknown".
    return rnd.nextInt(4) == 0 ? CounterResetHint.values()[rnd.nextInt(4)] : CounterResetHint.UNKNOWN;
  }

  private double pick(double... options) {
    return options[rnd.nextInt(options.length)];
  }

  /** 0-3 spans; the first offset may be negative, later ones are gaps >= 0. */
  private int[] spans() {
    int n = rnd.nextInt(4);
    int[] spans = new int[2 * n];
    for (int i = 0; i < n; i++) {
      spans[2 * i] = i == 0 ? rnd.nextInt(21) - 10 : rnd.nextInt(4);
      spans[2 * i + 1] = 1 + rnd.nextInt(4);
    }
    return spans;
  }

  private double[] customBounds() {
    int n = 1 + rnd.nextInt(6);
    double[] bounds = new double[n];
    double b = (rnd.nextInt(9) - 4) * 0.25;
    for (int i = 0; i < n; i++) {
      bounds[i] = b;
      b += 0.25 * (1 + rnd.nextInt(8));
    }
    return bounds;
  }

  /** Spans over a random subset of the n+1 custom buckets (the last one is +Inf). */
  private int[] customSpans(int bounds) {
    List<Integer> spans = new ArrayList<>();
    int next = 0; // first bucket index not yet covered
    int i = 0;
    while (i <= bounds) {
      if (rnd.nextInt(3) == 0) {
        i++;
        continue;
      }
      int len = 1 + rnd.nextInt(bounds + 1 - i);
      spans.add(i - next);
      spans.add(len);
      i += len;
      next = i;
      i++; // leave a gap, else this span would just continue
    }
    return spans.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Absolute bucket counts, some of them zero (empty buckets). */
  private long[] absoluteCounts(int n) {
    long[] c = new long[n];
    for (int i = 0; i < n; i++) {
      c[i] = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(50);
    }
    return c;
  }

  private double[] floatCounts(int n) {
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      c[i] = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(100) * 0.5;
    }
    return c;
  }

  private static long[] deltas(long[] absolute) {
    long[] d = new long[absolute.length];
    long prev = 0;
    for (int i = 0; i < absolute.length; i++) {
      d[i] = absolute[i] - prev;
      prev = absolute[i];
    }
    return d;
  }

  private static long total(long[] v) {
    long t = 0;
    for (long x : v) {
      t += x;
    }
    return t;
  }

  private static double total(double[] v) {
    double t = 0;
    for (double x : v) {
      t += x;
    }
    return t;
  }
}
