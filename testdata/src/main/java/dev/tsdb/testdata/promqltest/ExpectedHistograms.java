package dev.tsdb.testdata.promqltest;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.HistogramLayout;
import java.util.Arrays;

/**
 * How promqltest compares an expected native histogram with an actual one: both compacted
 * (empty buckets dropped), then schema, zero threshold, spans and custom bounds exactly, and
 * count, sum, zero count and bucket counts within the float tolerance of
 * {@link ScriptRunner#almostEqual}; the counter reset hint only when the expectation spelled it
 * out.
 */
final class ExpectedHistograms {
  private ExpectedHistograms() {}

  static boolean matches(FloatHistogram expected, FloatHistogram actual, boolean compareHint) {
    FloatHistogram e = HistogramLayout.compact(expected);
    FloatHistogram a = HistogramLayout.compact(actual);
    if (e.schema != a.schema || !ScriptRunner.almostEqual(e.count, a.count)
        || !ScriptRunner.almostEqual(e.sum, a.sum)) {
      return false;
    }
    if (e.usesCustomBuckets() && !Arrays.equals(e.customValues, a.customValues)) {
      return false;
    }
    if (e.zeroThreshold != a.zeroThreshold || !ScriptRunner.almostEqual(e.zeroCount, a.zeroCount)) {
      return false;
    }
    if (!Arrays.equals(e.negativeSpans, a.negativeSpans)
        || !bucketsMatch(e.negativeBuckets, a.negativeBuckets)
        || !Arrays.equals(e.positiveSpans, a.positiveSpans)
        || !bucketsMatch(e.positiveBuckets, a.positiveBuckets)) {
      return false;
    }
    return !compareHint || e.counterResetHint == a.counterResetHint;
  }

  private static boolean bucketsMatch(double[] a, double[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!ScriptRunner.almostEqual(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }
}
