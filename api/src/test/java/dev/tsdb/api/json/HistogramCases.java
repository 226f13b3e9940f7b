package dev.tsdb.api.json;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import java.util.Map;
import java.util.TreeMap;

/**
 * The histograms behind the golden files in {@code golden/histograms/}: what
 * {@link HistogramJsonIT} remote-writes to Prometheus 3.5 to capture its answers, and what
 * {@link HistogramJsonTest} writes with our encoder to compare against them.
 */
final class HistogramCases {
  static final long T0 = 1_700_000_000_000L;
  /** The instant query's evaluation time: 1.5 s after the samples. */
  static final long QUERY_TIME = T0 + 1_500;
  static final long RANGE_START = T0;
  static final long RANGE_END = T0 + 60_000;
  static final long RANGE_STEP = 15_000;

  static final String VECTOR_QUERY = "{__name__=~\"h_.+\"}";
  static final String RANGE_QUERY = "{__name__=~\"h_mixed|h_float\"}";
  static final String MATRIX_QUERY = "h_mixed[1m]";

  private HistogramCases() {}

  /** One sample of series {@code name}: a float when {@code histogram} is null. */
  record Point(long t, double value, FloatHistogram histogram, boolean integer) {}

  /** The series by name (sorted, as Prometheus lists them), each with its points in time order. */
  static Map<String, Point[]> series() {
    Map<String, Point[]> m = new TreeMap<>();
    m.put("h_schema0", at(T0, true, h(0, 0.001, 2, 12.5, new int[] {0, 2, 1, 2},
        new double[] {1, 3, 2, 4}, new int[] {-1, 2}, new double[] {5, 1})));
    m.put("h_schema3", at(T0, true, h(3, 0x1p-128, 1, -1.25, new int[] {-3, 3, 5, 1},
        new double[] {1, 1, 2, 1}, new int[] {2, 2}, new double[] {1, 3})));
    double[] ones = new double[262];
    java.util.Arrays.fill(ones, 1);
    // A bit more than one octave of schema 8: every fraction of Prometheus's table shows up.
    m.put("h_schema8", at(T0, true, h(8, 0, 0, 300, new int[] {-5, 262}, ones,
        new int[0], new double[0])));
    // Zero threshold 0 with a count: the zero bucket is ["-0","0"].
    m.put("h_schema_neg4", at(T0, true, h(-4, 0, 3, 1e6, new int[] {-2, 4},
        new double[] {1, 1, 1, 1}, new int[] {0, 1}, new double[] {2})));
    FloatHistogram custom = h(Histogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 20, new int[] {0, 2, 1, 2},
        new double[] {1, 2, 3, 4}, new int[0], new double[0]);
    custom.customValues = new double[] {0.1, 0.5, 1, 5};
    m.put("h_custom", at(T0, true, custom));
    FloatHistogram gauge = h(2, 0.25, 0.5, -3.7, new int[] {1, 3},
        new double[] {1.5, 0, 2.25}, new int[] {0, 1}, new double[] {0.125});
    gauge.counterResetHint = CounterResetHint.GAUGE;
    FloatHistogram gauge2 = h(2, 0.25, 0.5, 1e-7, new int[] {1, 3},
        new double[] {0.1, 0.2, 0.3}, new int[] {0, 1}, new double[] {0.125});
    gauge2.counterResetHint = CounterResetHint.GAUGE;
    m.put("h_float", new Point[] {new Point(T0, 0, gauge, false),
        new Point(T0 + 30_000, 0, gauge2, false)});
    // Buckets below the zero threshold (lower bounds clamped up to it), tiny and huge bounds,
    // the last finite bucket (up to MaxFloat64) and the ±Inf bucket, a NaN sum.
    m.put("h_extreme", at(T0, true, h(0, 0.7, 1, Double.NaN,
        new int[] {-30, 1, 29, 1, 79, 1, 943, 2}, new double[] {1, 1, 1, 1, 1},
        new int[] {0, 1}, new double[] {1})));
    m.put("h_empty", at(T0, true, h(0, 0.001, 0, 0, new int[0], new double[0], new int[0],
        new double[0])));
    m.put("h_mixed", new Point[] {
        new Point(T0, 1, null, false),
        new Point(T0 + 15_000, 0, h(1, 0, 0, 0.5, new int[] {0, 1}, new double[] {1},
            new int[0], new double[0]), true),
        new Point(T0 + 30_000, 2.5, null, false),
        new Point(T0 + 45_000, 0, h(1, 0, 0, 3, new int[] {0, 2}, new double[] {1, 1},
            new int[0], new double[0]), true)});
    return m;
  }

  private static Point[] at(long t, boolean integer, FloatHistogram h) {
    return new Point[] {new Point(t, 0, h, integer)};
  }

  /** A histogram whose count is the sum of its buckets, as validation demands. */
  private static FloatHistogram h(int schema, double zeroThreshold, double zeroCount, double sum,
      int[] positiveSpans, double[] positive, int[] negativeSpans, double[] negative) {
    FloatHistogram h = new FloatHistogram();
    h.schema = schema;
    h.zeroThreshold = zeroThreshold;
    h.zeroCount = zeroCount;
    h.sum = sum;
    h.positiveSpans = positiveSpans;
    h.positiveBuckets = positive;
    h.negativeSpans = negativeSpans;
    h.negativeBuckets = negative;
    double count = zeroCount;
    for (double c : positive) {
      count += c;
    }
    for (double c : negative) {
      count += c;
    }
    h.count = count;
    return h;
  }
}
