package dev.tsdb.head.chunkenc;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Series of valid native histograms for tests: counters that grow (new buckets now and then,
 * occasionally omitting one empty bucket, resets, schema changes, stale markers) and gauges that
 * move both ways. Counts always add up (count = zero count + buckets), so Prometheus accepts them.
 */
public final class RandomHistograms {
  public static final double STALE_NAN = Double.longBitsToDouble(HistogramLayout.STALE_NAN_BITS);
  private static final double[] CUSTOM_BOUNDS = {0.1, 0.25, 1, 2.5, 10.123456789, 1e9};

  private final Random r;
  private final boolean gauge;
  private final boolean emptySpans; // sometimes split spans with zero-length ones
  private int schema;
  private double zeroThreshold;
  private long zeroCount;
  private double sum;
  private final TreeMap<Integer, Long> pos = new TreeMap<>();
  private final TreeMap<Integer, Long> neg = new TreeMap<>();

  public RandomHistograms(long seed, boolean gauge, boolean emptySpans) {
    this.r = new Random(seed);
    this.gauge = gauge;
    this.emptySpans = emptySpans;
    restart(pickSchema());
  }

  private int pickSchema() {
    return r.nextInt(6) == 0 ? Histogram.CUSTOM_BUCKETS_SCHEMA : r.nextInt(13) - 4;
  }

  private void restart(int newSchema) {
    schema = newSchema;
    boolean custom = schema == Histogram.CUSTOM_BUCKETS_SCHEMA;
    double[] thresholds = {0, Math.scalb(1.0, -128), 0.001, 1e-300};
    zeroThreshold = custom ? 0 : thresholds[r.nextInt(thresholds.length)];
    zeroCount = 0;
    sum = 0;
    pos.clear();
    neg.clear();
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      pos.put(custom ? r.nextInt(CUSTOM_BOUNDS.length + 1) : r.nextInt(40) - 10, (long) r.nextInt(5));
    }
    if (!custom) {
      int m = r.nextInt(5);
      for (int i = 0; i < m; i++) {
        neg.put(r.nextInt(30) - 15, (long) r.nextInt(5));
      }
    }
  }

  /** The next histogram of the series. */
  public Histogram next() {
    CounterResetHint hint = gauge ? CounterResetHint.GAUGE : CounterResetHint.UNKNOWN;
    int roll = r.nextInt(100);
    if (roll < 3) {
      Histogram stale = new Histogram();
      stale.sum = STALE_NAN;
      stale.counterResetHint = hint;
      return stale;
    }
    boolean custom = schema == Histogram.CUSTOM_BUCKETS_SCHEMA;
    if (roll < 5) {
      restart(pickSchema()); // schema (and everything else) changes
      custom = schema == Histogram.CUSTOM_BUCKETS_SCHEMA;
    } else if (roll < 9 && !gauge) {
      restart(schema); // counter reset
    } else if (roll < 20) {
      // A new bucket: the chunk layout grows.
      if (custom) {
        pos.putIfAbsent(r.nextInt(CUSTOM_BOUNDS.length + 1), 0L);
      } else if (r.nextBoolean()) {
        pos.putIfAbsent(r.nextInt(50) - 15, (long) r.nextInt(3));
      } else {
        neg.putIfAbsent(r.nextInt(40) - 20, (long) r.nextInt(3));
      }
    }
    if (gauge && r.nextInt(8) == 0 && !pos.isEmpty()) {
      pos.remove(pos.keySet().toArray(new Integer[0])[r.nextInt(pos.size())]);
    }
    grow(pos);
    grow(neg);
    if (!custom) {
      zeroCount = Math.max(0, zeroCount + (gauge ? r.nextInt(7) - 3 : r.nextInt(4)));
    }
    sum += r.nextInt(10) == 0 ? 0 : r.nextDouble() * 100 - (gauge ? 50 : 0);
    Histogram h = new Histogram();
    h.counterResetHint = hint;
    h.schema = schema;
    h.zeroThreshold = zeroThreshold;
    h.zeroCount = zeroCount;
    // A counter may omit one empty bucket the chunk already has.
    Integer omit = null;
    if (!gauge && r.nextInt(6) == 0) {
      for (var e : pos.entrySet()) {
        if (e.getValue() == 0) {
          omit = e.getKey();
          break;
        }
      }
    }
    long[] count = new long[1];
    h.positiveSpans = spans(pos, omit);
    h.positiveBuckets = deltas(pos, omit, count);
    h.negativeSpans = spans(neg, null);
    h.negativeBuckets = deltas(neg, null, count);
    h.count = count[0] + zeroCount;
    h.sum = r.nextInt(40) == 0 ? Double.NaN : sum;
    if (custom) {
      h.customValues = CUSTOM_BOUNDS.clone();
    }
    return h;
  }

  private void grow(TreeMap<Integer, Long> buckets) {
    for (var e : buckets.entrySet()) {
      long d = gauge ? r.nextInt(7) - 3 : (r.nextInt(3) == 0 ? 0 : r.nextInt(20));
      e.setValue(Math.max(0, e.getValue() + d));
    }
  }

  private int[] spans(TreeMap<Integer, Long> buckets, Integer omit) {
    List<Integer> out = new ArrayList<>();
    Integer last = null;
    for (int idx : buckets.keySet()) {
      if (omit != null && idx == omit) {
        continue;
      }
      if (last != null && idx == last + 1 && !(emptySpans && r.nextInt(5) == 0)) {
        out.set(out.size() - 1, out.get(out.size() - 1) + 1);
      } else {
        if (emptySpans && last != null && r.nextInt(4) == 0) {
          out.add(0); // a zero-length span eating the gap's first part
          out.add(0);
        }
        out.add(last == null ? idx : idx - last - 1);
        out.add(1);
      }
      last = idx;
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static long[] deltas(TreeMap<Integer, Long> buckets, Integer omit, long[] total) {
    long[] out = new long[buckets.size() - (omit != null ? 1 : 0)];
    long prev = 0;
    int i = 0;
    for (var e : buckets.entrySet()) {
      if (omit != null && e.getKey().equals(omit)) {
        continue;
      }
      out[i++] = e.getValue() - prev;
      prev = e.getValue();
      total[0] += e.getValue();
    }
    return out;
  }

  /** Float version of {@link #next()} (whole and fractional counts). */
  public FloatHistogram nextFloat() {
    Histogram h = next();
    FloatHistogram f = FloatHistogram.of(h, null);
    if (r.nextInt(3) == 0 && !HistogramLayout.isStale(h.sum)) {
      // Scale every count by the same factor so they still add up (within float rounding).
      double k = 0.5;
      f.count *= k;
      f.zeroCount *= k;
      for (int i = 0; i < f.positiveBuckets.length; i++) {
        f.positiveBuckets[i] *= k;
      }
      for (int i = 0; i < f.negativeBuckets.length; i++) {
        f.negativeBuckets[i] *= k;
      }
    }
    if (HistogramLayout.isStale(h.sum)) {
      f.sum = STALE_NAN;
    }
    return f;
  }
}
