package dev.tsdb.index.histogram;

import static dev.tsdb.index.histogram.TestHistograms.assertAlmost;
import static dev.tsdb.index.histogram.TestHistograms.h;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Cases and expected numbers from Prometheus's native_histograms.test (trim operators). */
class HistogramTrimTest {
  private static final FloatHistogram EXPONENTIAL = h("schema:0 sum:123.75 count:34 z_bucket:1"
      + " z_bucket_w:0.001 buckets:[2 4 8 16] n_buckets:[1 2]");
  private static final FloatHistogram CUSTOM =
      h("schema:-53 sum:172.5 count:15 custom_values:[5 10 15 20] buckets:[1 6 4 3 1]");

  @Test
  void boundaryCutKeepsWholeBucketsWithoutInterpolation() {
    assertTrimmed("count:10 sum:3.5355339059327373 z_bucket:1 z_bucket_w:0.001 buckets:[2 4]"
        + " n_buckets:[1 2]", HistogramTrim.below(EXPONENTIAL, 2));
    assertTrimmed("count:24 sum:113.13708498984761 z_bucket_w:0.001 offset:2 buckets:[8 16]",
        HistogramTrim.above(EXPONENTIAL, 2));
    assertTrimmed("count:2 sum:-2.8284271247461903 z_bucket_w:0.001 n_offset:1 n_buckets:[2]",
        HistogramTrim.below(EXPONENTIAL, -1));
  }

  @Test
  void exponentialBucketsInterpolateOnALogScale() {
    // sqrt(2) halves bucket (1, 2] on a log2 scale.
    assertTrimmed("count:8 sum:0.2570938865989847 z_bucket:1 z_bucket_w:0.001 buckets:[2 2]"
        + " n_buckets:[1 2]", HistogramTrim.below(EXPONENTIAL, 1.4142135624));
    FloatHistogram fine = h("schema:2 sum:12.8286080906 count:28 z_bucket:1 z_bucket_w:0.001"
        + " buckets:[1 2 4 7 3] n_buckets:[1 5 3 1]");
    assertTrimmed("schema:2 count:14.589417818876296 sum:22.168126492693734 z_bucket_w:0.001"
        + " offset:1 buckets:[0.589417818876296 4 7 3]", HistogramTrim.above(fine, 1.13));
    assertTrimmed("schema:2 count:2.45786052095524 sum:-3.5189307983595066 z_bucket_w:0.001"
        + " n_offset:2 n_buckets:[1.45786052095524 1]", HistogramTrim.below(fine, -1.3));
  }

  @Test
  void zeroBucketIsSplitLinearlyAndNarrowedToTheSideOfTheOtherBuckets() {
    assertTrimmed("count:30.5 sum:120.20840280171308 z_bucket:0.5 z_bucket_w:0.001"
        + " buckets:[2 4 8 16]", HistogramTrim.above(EXPONENTIAL, 0));
    // Only positive buckets: the zero bucket counts as [0, 0.5].
    FloatHistogram positive =
        h("schema:0 sum:8.0210678118654755 count:12 z_bucket:2 z_bucket_w:0.5 buckets:[10]");
    assertTrimmed("count:11.6 sum:7.551067811865476 z_bucket:1.6 z_bucket_w:0.5 buckets:[10]",
        HistogramTrim.above(positive, 0.1));
    assertTrimmed("count:0.4 sum:0.02 z_bucket:0.4 z_bucket_w:0.5",
        HistogramTrim.below(positive, 0.1));
    FloatHistogram zeroOnly = h("schema:0 count:5 sum:0 z_bucket:5 z_bucket_w:0.1");
    assertTrimmed("count:1.25 sum:0.09375 z_bucket:1.25 z_bucket_w:0.1",
        HistogramTrim.above(zeroOnly, 0.05));
  }

  @Test
  void customBucketsInterpolateLinearly() {
    assertTrimmed("schema:-53 count:9.4 sum:75.1 custom_values:[5 10 15 20] buckets:[1 6 2.4]",
        HistogramTrim.below(CUSTOM, 13));
    assertTrimmed("schema:-53 count:5.6 sum:94.9 custom_values:[5 10 15 20] offset:2"
        + " buckets:[1.6 3 1]", HistogramTrim.above(CUSTOM, 13));
  }

  @Test
  void infiniteCustomBucketsAreDroppedOrKeptWholeNeverGuessed() {
    // The +Inf bucket goes whole for </ even with the threshold above its lower bound.
    assertTrimmed("schema:-53 count:14 sum:150 custom_values:[5 10 15 20] buckets:[1 6 4 3]",
        HistogramTrim.below(CUSTOM, 50));
    FloatHistogram twoBuckets =
        h("schema:-53 sum:33 count:101 custom_values:[5] buckets:[1 100]");
    // The first bucket [-Inf, 5] counts as [0, 5]; >/ keeps the +Inf bucket whole at 2.
    assertTrimmed("schema:-53 sum:502.1 count:100.6 custom_values:[5] buckets:[0.6 100]",
        HistogramTrim.above(twoBuckets, 2));
    assertTrimmed("schema:-53 sum:1000 count:100 custom_values:[5] buckets:[0 100]",
        HistogramTrim.above(twoBuckets, 10));
    FloatHistogram negativeSplit =
        h("schema:-53 sum:33 count:101 custom_values:[-5] buckets:[1 100]");
    assertTrimmed("schema:-53 sum:-10 count:1 custom_values:[-5] buckets:[1 0]",
        HistogramTrim.below(negativeSplit, -10));
  }

  @Test
  void infiniteThresholdsKeepEverythingOrNothing() {
    assertEquals(EXPONENTIAL, HistogramTrim.below(EXPONENTIAL, Double.POSITIVE_INFINITY));
    assertTrimmed("z_bucket_w:0.001", HistogramTrim.above(EXPONENTIAL, Double.POSITIVE_INFINITY));
    assertTrimmed("schema:-53 custom_values:[5 10 15 20]",
        HistogramTrim.below(CUSTOM, Double.NEGATIVE_INFINITY));
  }

  @Test
  void nothingCutReturnsTheHistogramUnchangedAndTheArgumentIsNeverModified() {
    FloatHistogram before = CUSTOM.copy();
    FloatHistogram same = HistogramTrim.above(CUSTOM, 0);
    assertEquals(before, same);
    HistogramTrim.below(CUSTOM, 13);
    HistogramTrim.above(EXPONENTIAL, 1.4142135624);
    assertEquals(before, CUSTOM);
    FloatHistogram empty = h("schema:-53 custom_values:[-3 2]");
    assertEquals(empty, HistogramTrim.below(empty, 0));
  }

  /** Both compacted: layouts equal, every number within promqltest's tolerance. */
  private static void assertTrimmed(String expected, FloatHistogram actual) {
    FloatHistogram want = HistogramLayout.compact(h(expected.contains("schema:") ? expected
        : "schema:0 " + expected));
    FloatHistogram got = HistogramLayout.compact(actual);
    assertEquals(want.schema, got.schema);
    assertEquals(want.zeroThreshold, got.zeroThreshold);
    assertAlmost(want.count, got.count);
    assertAlmost(want.sum, got.sum);
    assertAlmost(want.zeroCount, got.zeroCount);
    assertArrayEquals(want.positiveSpans, got.positiveSpans);
    assertArrayEquals(want.negativeSpans, got.negativeSpans);
    assertArrayEquals(want.customValues, got.customValues);
    assertBuckets(want.positiveBuckets, got.positiveBuckets);
    assertBuckets(want.negativeBuckets, got.negativeBuckets);
  }

  private static void assertBuckets(double[] want, double[] got) {
    assertEquals(want.length, got.length);
    for (int i = 0; i < want.length; i++) {
      assertAlmost(want[i], got[i]);
    }
  }
}
