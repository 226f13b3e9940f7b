package dev.tsdb.index.histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs and expected texts from Prometheus's own validation tests (model/histogram), each checked
 * on the integer histogram and, unless the case says otherwise, on its float form.
 */
class HistogramValidationTest {
  private static final String SPANS = ": histogram spans specify different number of buckets"
      + " than provided";
  private static final String NEG_OFFSET = ": histogram has a span whose offset is negative";
  private static final String NEG_BUCKET = ": histogram has a bucket whose observation count is"
      + " negative";
  private static final String MISMATCH = ": histogram's observation count should equal the"
      + " number of observations found in the buckets (in absence of NaN)";

  /** A histogram built field by field, so each case reads like Prometheus's struct literal. */
  private static Histogram h(int schema, long count, long zeroCount, double zeroThreshold,
      double sum, int[] pSpans, long[] pDeltas, int[] nSpans, long[] nDeltas, double[] custom) {
    Histogram h = new Histogram();
    h.schema = schema;
    h.count = count;
    h.zeroCount = zeroCount;
    h.zeroThreshold = zeroThreshold;
    h.sum = sum;
    h.positiveSpans = pSpans;
    h.positiveBuckets = pDeltas;
    h.negativeSpans = nSpans;
    h.negativeBuckets = nDeltas;
    h.customValues = custom;
    return h;
  }

  private static final int[] NONE = {};
  private static final long[] NO_DELTAS = {};
  private static final double[] NO_BOUNDS = {};
  private static final int[] TWO_SPANS = {0, 2, 1, 2};
  private static final long[] FOUR = {1, 1, -1, 0};

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("valid histogram", true,
            h(1, 12, 2, 0.001, 19.4, TWO_SPANS, FOUR, TWO_SPANS, FOUR, NO_BOUNDS), null),
        Arguments.of("NaN observations: count above the buckets' total", true,
            h(0, 4, 2, 0, Double.NaN, new int[] {0, 1}, new long[] {1}, NONE, NO_DELTAS,
                NO_BOUNDS), null),
        Arguments.of("count above the buckets' total without NaN", false,
            h(0, 4, 2, 0, 333, new int[] {0, 1}, new long[] {1}, NONE, NO_DELTAS, NO_BOUNDS),
            "3 observations found in buckets, but the Count field is 4" + MISMATCH),
        Arguments.of("too few negative buckets", true,
            h(0, 0, 0, 0, 0, NONE, NO_DELTAS, new int[] {0, 1}, NO_DELTAS, NO_BOUNDS),
            "negative side: spans need 1 buckets, have 0 buckets" + SPANS),
        Arguments.of("too few positive buckets", true,
            h(0, 0, 0, 0, 0, new int[] {0, 1}, NO_DELTAS, NONE, NO_DELTAS, NO_BOUNDS),
            "positive side: spans need 1 buckets, have 0 buckets" + SPANS),
        Arguments.of("too many negative buckets", true,
            h(0, 0, 0, 0, 0, NONE, NO_DELTAS, new int[] {0, 1}, new long[] {1, 2}, NO_BOUNDS),
            "negative side: spans need 1 buckets, have 2 buckets" + SPANS),
        Arguments.of("too many positive buckets", true,
            h(0, 0, 0, 0, 0, new int[] {0, 1}, new long[] {1, 2}, NONE, NO_DELTAS, NO_BOUNDS),
            "positive side: spans need 1 buckets, have 2 buckets" + SPANS),
        Arguments.of("negative span with negative offset", true,
            h(0, 0, 0, 0, 0, NONE, NO_DELTAS, new int[] {-1, 1, -1, 1}, new long[] {1, 2},
                NO_BOUNDS),
            "negative side: span number 2 with offset -1" + NEG_OFFSET),
        Arguments.of("positive span with negative offset", true,
            h(0, 0, 0, 0, 0, new int[] {-1, 1, -1, 1}, new long[] {1, 2}, NONE, NO_DELTAS,
                NO_BOUNDS),
            "positive side: span number 2 with offset -1" + NEG_OFFSET),
        Arguments.of("negative bucket with negative count", true,
            h(0, 0, 0, 0, 0, NONE, NO_DELTAS, new int[] {-1, 1}, new long[] {-1}, NO_BOUNDS),
            "negative side: bucket number 1 has observation count of -1" + NEG_BUCKET),
        Arguments.of("positive bucket with negative count", true,
            h(0, 0, 0, 0, 0, new int[] {-1, 1}, new long[] {-1}, NONE, NO_DELTAS, NO_BOUNDS),
            "positive side: bucket number 1 has observation count of -1" + NEG_BUCKET),
        Arguments.of("count below the buckets' total", false,
            h(0, 0, 0, 0, 0, new int[] {-1, 1}, new long[] {1}, new int[] {-1, 1},
                new long[] {1}, NO_BOUNDS),
            "2 observations found in buckets, but the Count field is 0" + MISMATCH),
        Arguments.of("zero bucket not in the count", false,
            h(0, 2, 1, 0, 0, new int[] {-1, 1}, new long[] {1}, new int[] {-1, 1},
                new long[] {1}, NO_BOUNDS),
            "3 observations found in buckets, but the Count field is 2" + MISMATCH),
        Arguments.of("exponential layout with custom buckets schema", true,
            h(-53, 12, 2, 0.001, 19.4, TWO_SPANS, FOUR, TWO_SPANS, FOUR, NO_BOUNDS),
            "custom buckets: only 0 custom bounds defined which is insufficient to cover total"
                + " span length of 5: histogram custom bounds are too few"),
        Arguments.of("custom bounds with exponential schema", false,
            h(0, 5, 0, 0, 19.4, TWO_SPANS, FOUR, NONE, NO_DELTAS, new double[] {1, 2, 3, 4}),
            "histogram with exponential schema must not have custom bounds"),
        Arguments.of("custom buckets with zero and negative buckets", false,
            h(-53, 12, 2, 0.001, 19.4, TWO_SPANS, FOUR, TWO_SPANS, FOUR,
                new double[] {1, 2, 3, 4}),
            "custom buckets: must have zero count of 0"),
        Arguments.of("custom buckets, negative offset in the first span", true,
            h(-53, 5, 0, 0, 19.4, new int[] {-1, 2, 1, 2}, FOUR, NONE, NO_DELTAS,
                new double[] {1, 2, 3, 4}),
            "custom buckets: span number 1 with offset -1" + NEG_OFFSET),
        Arguments.of("custom buckets, negative offset in a later span", true,
            h(-53, 5, 0, 0, 19.4, new int[] {0, 2, -1, 2}, FOUR, NONE, NO_DELTAS,
                new double[] {1, 2, 3, 4}),
            "custom buckets: span number 2 with offset -1" + NEG_OFFSET),
        Arguments.of("custom buckets, spans and buckets disagree", true,
            h(-53, 5, 0, 0, 19.4, TWO_SPANS, new long[] {1, 1, -1}, NONE, NO_DELTAS,
                new double[] {1, 2, 3, 4}),
            "custom buckets: spans need 4 buckets, have 3 buckets" + SPANS),
        Arguments.of("custom buckets, too few bounds", true,
            h(-53, 5, 0, 0, 19.4, TWO_SPANS, FOUR, NONE, NO_DELTAS, new double[] {1, 2, 3}),
            "custom buckets: only 3 custom bounds defined which is insufficient to cover total"
                + " span length of 5: histogram custom bounds are too few"),
        Arguments.of("valid custom buckets", true,
            h(-53, 5, 0, 0, 19.4, TWO_SPANS, FOUR, NONE, NO_DELTAS, new double[] {1, 2, 3, 4}),
            null),
        Arguments.of("valid custom buckets with extra bounds", true,
            h(-53, 5, 0, 0, 19.4, TWO_SPANS, FOUR, NONE, NO_DELTAS,
                new double[] {1, 2, 3, 4, 5, 6, 7, 8}), null),
        Arguments.of("custom bounds not increasing", true,
            h(-53, 0, 0, 0, 0, NONE, NO_DELTAS, NONE, NO_DELTAS, new double[] {0, 0}),
            "custom buckets: previous bound is 0.000000 and current is 0.000000: histogram"
                + " custom bounds must be in strictly increasing order"),
        Arguments.of("explicit +Inf bound", true,
            h(-53, 0, 0, 0, 0, NONE, NO_DELTAS, NONE, NO_DELTAS,
                new double[] {1, Double.POSITIVE_INFINITY}),
            "custom buckets: last +Inf bound must not be explicitly defined: histogram custom"
                + " bounds must be finite"),
        Arguments.of("explicit -Inf first bound (valid since Prometheus 3.8)", true,
            h(-53, 0, 0, 0, 0, NONE, NO_DELTAS, NONE, NO_DELTAS,
                new double[] {Double.NEGATIVE_INFINITY, 1}), null),
        Arguments.of("NaN bound", true,
            h(-53, 0, 0, 0, 0, NONE, NO_DELTAS, NONE, NO_DELTAS, new double[] {1, Double.NaN, 3}),
            "custom buckets: histogram custom bounds must not be NaN"),
        Arguments.of("schema too high", true,
            h(10, 0, 0, 0, 0, NONE, NO_DELTAS, NONE, NO_DELTAS, NO_BOUNDS),
            "histogram has an invalid schema, which must be between -4 and 8 for exponential"
                + " buckets, or -53 for custom buckets, got schema 10"),
        Arguments.of("schema too low", true,
            h(-10, 0, 0, 0, 0, NONE, NO_DELTAS, NONE, NO_DELTAS, NO_BOUNDS),
            "histogram has an invalid schema, which must be between -4 and 8 for exponential"
                + " buckets, or -53 for custom buckets, got schema -10"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void prometheusCases(String name, boolean alsoFloat, Histogram h, String expected) {
    assertEquals(expected, HistogramValidation.problem(h));
    if (alsoFloat) {
      assertEquals(expected, HistogramValidation.problem(FloatHistogram.of(h, null)));
    }
  }

  @Test
  void schemaBoundsAreValid() {
    for (int schema : new int[] {-4, 8}) {
      assertNull(HistogramValidation.problem(
          h(schema, 0, 0, 0, 0, NONE, NO_DELTAS, NONE, NO_DELTAS, NO_BOUNDS)));
    }
    assertEquals("histogram has an invalid schema, which must be between -4 and 8 for"
        + " exponential buckets, or -53 for custom buckets, got schema 9",
        HistogramValidation.problem(h(9, 0, 0, 0, 0, NONE, NO_DELTAS, NONE, NO_DELTAS,
            NO_BOUNDS)));
  }

  @Test
  void customBucketsRefuseAZeroThresholdAndNegativeBuckets() {
    double[] bounds = {1, 2};
    assertEquals("custom buckets: must have zero threshold of 0", HistogramValidation.problem(
        h(-53, 0, 0, 0.5, 0, NONE, NO_DELTAS, NONE, NO_DELTAS, bounds)));
    assertEquals("custom buckets: must not have negative spans", HistogramValidation.problem(
        h(-53, 0, 0, 0, 0, NONE, NO_DELTAS, new int[] {0, 1}, new long[] {1}, bounds)));
    assertEquals("custom buckets: must not have negative buckets", HistogramValidation.problem(
        h(-53, 0, 0, 0, 0, NONE, NO_DELTAS, NONE, new long[] {1}, bounds)));
  }

  /** Float-only rules: negative counts, and no count check against the buckets. */
  @Test
  void floatCounts() {
    FloatHistogram f = new FloatHistogram();
    f.count = -1;
    assertEquals("observation count is  -1: histogram's observation count is negative",
        HistogramValidation.problem(f));
    f.count = 1;
    f.zeroCount = -0.5;
    assertEquals("zero bucket has observation count of -0.5: histogram has a bucket whose"
        + " observation count is negative", HistogramValidation.problem(f));
    f.zeroCount = 0;
    f.positiveSpans = new int[] {0, 2};
    f.positiveBuckets = new double[] {1, -2.5e-7};
    assertEquals("positive side: bucket number 2 has observation count of -2.5e-07" + NEG_BUCKET,
        HistogramValidation.problem(f));
    f.positiveBuckets = new double[] {100, Double.NaN};
    assertNull(HistogramValidation.problem(f)); // count 1 below 100 observed: fine for floats
  }

  /** Counts are uint64s: totals and texts read them unsigned, as Go does. */
  @Test
  void countsAreUnsigned() {
    Histogram h = h(0, -1L, -1L, 0, 0, NONE, NO_DELTAS, NONE, NO_DELTAS, NO_BOUNDS);
    assertNull(HistogramValidation.problem(h));
    h.count = 5;
    assertEquals("18446744073709551615 observations found in buckets, but the Count field is 5"
        + MISMATCH, HistogramValidation.problem(h));
    h.sum = Double.NaN;
    assertEquals("18446744073709551615 observations found in buckets, but the Count field is 5:"
        + " histogram's observation count should be at least the number of observations found"
        + " in the buckets", HistogramValidation.problem(h));
    // A span length past 2^31 (a uint32 read into an int) is counted as such.
    h = h(0, 0, 0, 0, 0, new int[] {0, -1}, NO_DELTAS, NONE, NO_DELTAS, NO_BOUNDS);
    assertEquals("positive side: spans need 4294967295 buckets, have 0 buckets" + SPANS,
        HistogramValidation.problem(h));
  }
}
