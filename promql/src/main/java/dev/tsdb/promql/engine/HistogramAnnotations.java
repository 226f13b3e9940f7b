package dev.tsdb.promql.engine;

import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.promql.ast.PosRange;

/**
 * The warnings and infos PromQL gives about native histograms, with Prometheus 3's texts (its
 * util/annotations), so every operator, function and aggregation words them the same way.
 */
final class HistogramAnnotations {
  private HistogramAnnotations() {}

  /** Which histogram operation met a conflict: Prometheus's HistogramOperation names. */
  enum Operation {
    ADDITION("addition"), SUBTRACTION("subtraction"), AGGREGATION("aggregation");

    final String text;

    Operation(String text) {
      this.text = text;
    }
  }

  /** A range or function input held both floats and histograms. */
  static void mixedFloatsHistograms(Annotations a, String metricName, PosRange pos) {
    a.warn("encountered a mix of histograms and floats for metric name "
        + GoStrings.quote(metricName), pos);
  }

  /** An aggregation's group held both floats and histograms. */
  static void mixedFloatsHistogramsAggregation(Annotations a, PosRange pos) {
    a.warn("encountered a mix of histograms and floats for aggregation", pos);
  }

  static void mixedClassicNative(Annotations a, String metricName, PosRange pos) {
    a.warn("vector contains a mix of classic and native histograms"
        + Annotations.forMetricName(metricName), pos);
  }

  static void notCounter(Annotations a, String metricName, PosRange pos) {
    a.warn("this native histogram metric is not a counter: " + GoStrings.quote(metricName), pos);
  }

  static void notGauge(Annotations a, String metricName, PosRange pos) {
    a.warn("this native histogram metric is not a gauge: " + GoStrings.quote(metricName), pos);
  }

  static void mixedExponentialCustom(Annotations a, String metricName, PosRange pos) {
    a.warn("vector contains a mix of histograms with exponential and custom buckets schemas for "
        + "metric name " + GoStrings.quote(metricName), pos);
  }

  static void incompatibleBucketLayout(Annotations a, String operator, PosRange pos) {
    a.warn("incompatible bucket layout encountered for binary operator " + operator, pos);
  }

  /** A binary operator met a float on one side and a histogram on the other. */
  static void incompatibleTypes(Annotations a, String lhsType, String operator, String rhsType,
      PosRange pos) {
    a.info("incompatible sample types encountered for binary operator "
        + GoStrings.quote(operator) + ": " + lhsType + " " + operator + " " + rhsType, pos);
  }

  /** An aggregation that only takes floats (min, max, topk, quantile...) met histograms. */
  static void ignoredInAggregation(Annotations a, String aggregation, PosRange pos) {
    a.info("ignored histogram in " + aggregation + " aggregation", pos);
  }

  /** A function over a range that held both kinds used only the floats. */
  static void ignoredInMixedRange(Annotations a, String metricName, PosRange pos) {
    a.info("ignored histograms in a range containing both floats and histograms for metric name "
        + GoStrings.quote(metricName), pos);
  }

  static void quantileNaNResult(Annotations a, String metricName, PosRange pos) {
    a.info("input to histogram_quantile has NaN observations, result is NaN"
        + Annotations.forMetricName(metricName), pos);
  }

  static void quantileNaNSkew(Annotations a, String metricName, PosRange pos) {
    a.info("input to histogram_quantile has NaN observations, result is skewed higher"
        + Annotations.forMetricName(metricName), pos);
  }

  static void fractionNaNs(Annotations a, String metricName, PosRange pos) {
    a.info("input to histogram_fraction has NaN observations, which are excluded from all "
        + "fractions" + Annotations.forMetricName(metricName), pos);
  }

  /** Adding or subtracting counter histograms, one hinted as a reset and the other not. */
  static void counterResetCollision(Annotations a, Operation op, PosRange pos) {
    a.warn("conflicting counter resets during histogram " + op.text, pos);
  }

  static void mismatchedCustomBuckets(Annotations a, Operation op, PosRange pos) {
    a.info("mismatched custom buckets were reconciled during " + op.text, pos);
  }
}
