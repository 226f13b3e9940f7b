package dev.tsdb.index.histogram;

import static dev.tsdb.index.histogram.TestHistograms.assertAlmost;
import static dev.tsdb.index.histogram.TestHistograms.assertExact;
import static dev.tsdb.index.histogram.TestHistograms.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Cases from Prometheus's promqltest script native_histograms.test (3.14 development line),
 * checked exactly against what promtool 3.5 evaluates for them (`promtool test rules`); where
 * the script writes a value rounded differently, a comment gives it and it is also checked
 * within the script's relative tolerance.
 */
class HistogramQuantilesTest {
  private static final double INF = Double.POSITIVE_INFINITY;
  private static final double NAN = Double.NaN;

  private static final FloatHistogram SINGLE = h("schema:0 sum:5 count:4 buckets:[1 2 1]");
  private static final FloatHistogram POSITIVE =
      h("schema:0 count:12 sum:100 z_bucket:2 z_bucket_w:0.001 buckets:[2 3 0 1 4]");
  private static final FloatHistogram NEGATIVE =
      h("schema:0 count:12 sum:100 z_bucket:2 z_bucket_w:0.001 n_buckets:[2 3 0 1 4]");
  private static final FloatHistogram BOTH = h("schema:0 count:24 sum:100 z_bucket:4"
      + " z_bucket_w:0.001 buckets:[2 3 0 1 4] n_buckets:[2 3 0 1 4]");
  private static final FloatHistogram CUSTOM =
      h("schema:-53 sum:5 count:4 custom_values:[5 10] buckets:[1 2 1]");

  @Test
  void quantileSpecialCases() {
    assertExact(INF, HistogramQuantiles.quantile(1.001, POSITIVE));
    assertExact(-INF, HistogramQuantiles.quantile(-1, POSITIVE));
    assertExact(NAN, HistogramQuantiles.quantile(NAN, POSITIVE));
    assertExact(NAN, HistogramQuantiles.quantile(0.5, h("")));
    assertExact(NAN, HistogramQuantiles.quantile(0.5, h("schema:-53 custom_values:[-2 3]")));
    assertExact(INF, HistogramQuantiles.quantile(2, h("")));
  }

  @Test
  void quantileInterpolatesExponentiallyInExponentialBuckets() {
    assertExact(1.414213562373095, HistogramQuantiles.quantile(0.5, SINGLE));
    assertExact(16, HistogramQuantiles.quantile(1, POSITIVE));
    // promtool 3.5 gives 15.670724761390828; the script writes the value rounded.
    assertExact(15.670724761390828, HistogramQuantiles.quantile(0.99, POSITIVE));
    assertAlmost(15.67072476139083, HistogramQuantiles.quantile(0.99, POSITIVE));
    assertExact(12.99603834169977, HistogramQuantiles.quantile(0.9, POSITIVE));
    assertExact(4.594793419988138, HistogramQuantiles.quantile(0.6, POSITIVE));
    assertExact(1.5874010519681994, HistogramQuantiles.quantile(0.5, POSITIVE));
    assertExact(0.0005, HistogramQuantiles.quantile(0.08333333333333333, POSITIVE));
    assertExact(6, HistogramQuantiles.quantile(0.6320802083934297, POSITIVE));
  }

  @Test
  void quantileInterpolatesLinearlyInTheZeroBucket() {
    assertExact(6.000000000000001E-4, HistogramQuantiles.quantile(0.1, POSITIVE));
    assertExact(0, HistogramQuantiles.quantile(0, POSITIVE));
    assertExact(0, HistogramQuantiles.quantile(1, NEGATIVE));
    assertExact(-6.000000000000005E-5, HistogramQuantiles.quantile(0.99, NEGATIVE));
    assertExact(-5.999999999999998E-4, HistogramQuantiles.quantile(0.9, NEGATIVE));
    assertExact(6.000000000000005E-4, HistogramQuantiles.quantile(0.55, BOTH));
    assertExact(0, HistogramQuantiles.quantile(0.5, BOTH));
    assertExact(-5.999999999999996E-4, HistogramQuantiles.quantile(0.45, BOTH));
  }

  @Test
  void quantileMirrorsNegativeBuckets() {
    assertExact(-1.5874010519681996, HistogramQuantiles.quantile(0.5, NEGATIVE));
    // promtool 3.5 gives -12.99603834169977 (the script: -12.996038341699768).
    assertExact(-12.99603834169977, HistogramQuantiles.quantile(0.1, NEGATIVE));
    assertAlmost(-12.996038341699768, HistogramQuantiles.quantile(0.1, NEGATIVE));
    assertExact(-16, HistogramQuantiles.quantile(0, NEGATIVE));
    assertExact(16, HistogramQuantiles.quantile(1, BOTH));
    assertExact(15.348225909204229, HistogramQuantiles.quantile(0.99, BOTH)); // script: 15.34822590920423
    assertAlmost(15.34822590920423, HistogramQuantiles.quantile(0.99, BOTH));
    assertExact(10.556063286183157, HistogramQuantiles.quantile(0.9, BOTH)); // script: 10.556063286183155
    assertAlmost(10.556063286183155, HistogramQuantiles.quantile(0.9, BOTH));
    assertExact(1.2030250360821164, HistogramQuantiles.quantile(0.7, BOTH));
    assertExact(-1.2030250360821169, HistogramQuantiles.quantile(0.3, BOTH));
    assertExact(-10.556063286183154, HistogramQuantiles.quantile(0.1, BOTH)); // script: -10.556063286183155
    assertAlmost(-10.556063286183155, HistogramQuantiles.quantile(0.1, BOTH));
    assertExact(-15.348225909204229, HistogramQuantiles.quantile(0.01, BOTH)); // script: -15.34822590920423
    assertAlmost(-15.34822590920423, HistogramQuantiles.quantile(0.01, BOTH));
    assertExact(-16, HistogramQuantiles.quantile(0, BOTH));
    assertExact(-5.000000000000002E-4, HistogramQuantiles.quantile(0.9166666666666666, NEGATIVE));
  }

  @Test
  void quantileInterpolatesLinearlyInCustomBuckets() {
    assertExact(7.5, HistogramQuantiles.quantile(0.5, CUSTOM));
  }

  @Test
  void fractionSpecialCases() {
    assertExact(NAN, HistogramQuantiles.fraction(3.1415, 42, h("")));
    assertExact(NAN, HistogramQuantiles.fraction(-INF, INF, h("schema:-53 custom_values:[-2 3]")));
    assertExact(NAN, HistogramQuantiles.fraction(3.1415, NAN, POSITIVE));
    assertExact(NAN, HistogramQuantiles.fraction(NAN, 42, POSITIVE));
    assertExact(0, HistogramQuantiles.fraction(42, 3.1415, POSITIVE));
    assertExact(0, HistogramQuantiles.fraction(0, 0, POSITIVE));
    assertExact(0, HistogramQuantiles.fraction(-3.1, -3.1, POSITIVE));
    assertExact(1, HistogramQuantiles.fraction(-INF, INF, POSITIVE));
  }

  @Test
  void fractionOfPositiveBuckets() {
    assertExact(0.5, HistogramQuantiles.fraction(1, 2, SINGLE));
    assertExact(1, HistogramQuantiles.fraction(0, 8, SINGLE));
    assertExact(1, HistogramQuantiles.fraction(0, INF, POSITIVE));
    assertExact(0, HistogramQuantiles.fraction(-INF, 0, POSITIVE));
    assertExact(0, HistogramQuantiles.fraction(-0.001, 0, POSITIVE));
    assertExact(0.16666666666666666, HistogramQuantiles.fraction(0, 0.001, POSITIVE));
    assertExact(0.8333333333333334, HistogramQuantiles.fraction(0.001, INF, POSITIVE));
    assertExact(0.08333333333333333, HistogramQuantiles.fraction(0, 0.0005, POSITIVE));
    assertExact(0.25, HistogramQuantiles.fraction(1, 2, POSITIVE));
    // promtool 3.5 gives 0.47957395851362244 (the script: 0.4795739585136224).
    assertExact(0.47957395851362244, HistogramQuantiles.fraction(0, 1.5, POSITIVE));
    assertAlmost(0.4795739585136224, HistogramQuantiles.fraction(0, 1.5, POSITIVE));
    assertExact(0.10375937481971091, HistogramQuantiles.fraction(1.5, 2, POSITIVE));
    assertExact(0.3333333333333333, HistogramQuantiles.fraction(1, 8, POSITIVE));
    assertExact(0.6320802083934297, HistogramQuantiles.fraction(0, 6, POSITIVE));
    assertExact(0.29874687506009634, HistogramQuantiles.fraction(1, 6, POSITIVE));
    assertExact(0.15250624987980724, HistogramQuantiles.fraction(1.5, 6, POSITIVE));
    assertExact(0, HistogramQuantiles.fraction(-6, -1.5, POSITIVE));
  }

  @Test
  void fractionOfNegativeBuckets() {
    assertExact(0, HistogramQuantiles.fraction(0, INF, NEGATIVE));
    assertExact(1, HistogramQuantiles.fraction(-INF, 0, NEGATIVE));
    assertExact(0.16666666666666666, HistogramQuantiles.fraction(-0.001, 0, NEGATIVE));
    assertExact(0, HistogramQuantiles.fraction(0, 0.001, NEGATIVE));
    assertExact(0.08333333333333333, HistogramQuantiles.fraction(-0.0005, 0, NEGATIVE));
    assertExact(0.9166666666666666, HistogramQuantiles.fraction(-INF, -0.0005, NEGATIVE));
    assertExact(0.8333333333333334, HistogramQuantiles.fraction(-INF, -0.001, NEGATIVE));
  }

  @Test
  void fractionOfBothSides() {
    // promtool 3.5 gives 0.1493734375300481 (the script: 0.14937343753004825).
    assertExact(0.1493734375300481, HistogramQuantiles.fraction(1, 6, BOTH));
    assertAlmost(0.14937343753004825, HistogramQuantiles.fraction(1, 6, BOTH));
    assertExact(0.07625312493990351, HistogramQuantiles.fraction(1.5, 6, BOTH)); // script: 0.07625312493990366
    assertAlmost(0.07625312493990366, HistogramQuantiles.fraction(1.5, 6, BOTH));
    assertExact(0.125, HistogramQuantiles.fraction(-2, -1, BOTH));
    assertExact(0.051879687409855456, HistogramQuantiles.fraction(-2, -1.5, BOTH));
    assertExact(0.16666666666666666, HistogramQuantiles.fraction(-8, -1, BOTH));
    assertExact(0.14937343753004817, HistogramQuantiles.fraction(-6, -1, BOTH));
    assertExact(0.07625312493990362, HistogramQuantiles.fraction(-6, -1.5, BOTH));
    assertExact(1, HistogramQuantiles.fraction(-INF, INF, BOTH));
  }

  @Test
  void fractionInCustomBuckets() {
    assertExact(0.5, HistogramQuantiles.fraction(5, 10, CUSTOM));
  }

  /** Four observations, one of them NaN: the buckets hold 3, the sum is NaN. */
  private static final FloatHistogram WITH_NAN = h("schema:0 count:4 sum:NaN buckets:[1 2]");

  @Test
  void nanObservationsMakeHighRanksNaN() {
    HistogramQuantiles.QuantileEstimate e = HistogramQuantiles.estimateQuantile(0.9, WITH_NAN);
    assertExact(NAN, e.value());
    assertEquals(
        HistogramQuantiles.NaNObservations.RESULT_NAN, e.nanObservations());
  }

  @Test
  void nanObservationsSkewLowerRanksHigher() {
    // Counted from below even for q >= 0.5: rank 2 ends in the second bucket (1, 2], halfway.
    HistogramQuantiles.QuantileEstimate e = HistogramQuantiles.estimateQuantile(0.5, WITH_NAN);
    assertAlmost(Math.sqrt(2), e.value());
    assertEquals(
        HistogramQuantiles.NaNObservations.SKEWED_HIGHER, e.nanObservations());
    assertExact(e.value(), HistogramQuantiles.quantile(0.5, WITH_NAN));
  }

  @Test
  void noNaNEffectWithoutNaNObservations() {
    assertEquals(HistogramQuantiles.NaNObservations.NONE,
        HistogramQuantiles.estimateQuantile(0.5, POSITIVE).nanObservations());
    // Observing both infinities makes the sum NaN, but every observation sits in a bucket.
    FloatHistogram infinities = h("schema:0 count:3 sum:NaN buckets:[1 2]");
    assertEquals(HistogramQuantiles.NaNObservations.NONE,
        HistogramQuantiles.estimateQuantile(0.5, infinities).nanObservations());
    assertFalse(
        HistogramQuantiles.hasNaNObservations(infinities));
    assertTrue(HistogramQuantiles.hasNaNObservations(WITH_NAN));
    assertFalse(HistogramQuantiles.hasNaNObservations(POSITIVE));
  }

  @Test
  void highestCustomBucketAnswersBeforeNaNObservationsAreJudged() {
    FloatHistogram custom = h("schema:-53 count:4 sum:NaN custom_values:[5] buckets:[1 2]");
    HistogramQuantiles.QuantileEstimate e = HistogramQuantiles.estimateQuantile(0.9, custom);
    assertExact(5, e.value());
    assertEquals(HistogramQuantiles.NaNObservations.NONE,
        e.nanObservations());
  }
}
