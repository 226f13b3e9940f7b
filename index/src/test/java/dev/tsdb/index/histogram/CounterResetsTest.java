package dev.tsdb.index.histogram;

import static dev.tsdb.index.histogram.TestHistograms.h;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CounterResetsTest {
  private static final FloatHistogram PREV =
      h("schema:0 count:4 sum:5 z_bucket:1 z_bucket_w:0.5 buckets:[1 2 1] offset:-1");

  @Test
  void growthIsNoReset() {
    assertFalse(CounterResets.detect(PREV, PREV));
    assertFalse(CounterResets.detect(PREV,
        h("schema:0 count:6 sum:1 z_bucket:1 z_bucket_w:0.5 buckets:[1 3 2] offset:-1")));
  }

  @Test
  void anyDecreaseIsAReset() {
    assertTrue(CounterResets.detect(PREV,
        h("schema:0 count:3 sum:5 z_bucket:1 z_bucket_w:0.5 buckets:[1 2 1] offset:-1")));
    assertTrue(CounterResets.detect(PREV,
        h("schema:0 count:5 sum:5 z_bucket:1 z_bucket_w:0.5 buckets:[1 1 3] offset:-1")));
    assertTrue(CounterResets.detect(PREV,
        h("schema:0 count:5 sum:5 z_bucket:0 z_bucket_w:0.5 buckets:[2 2 1] offset:-1")));
    // A populated bucket gone missing.
    assertTrue(CounterResets.detect(PREV,
        h("schema:0 count:5 sum:5 z_bucket:1 z_bucket_w:0.5 buckets:[2 3] offset:-1")));
  }

  @Test
  void hintsDecide() {
    FloatHistogram same = PREV.copy();
    same.counterResetHint = CounterResetHint.COUNTER_RESET;
    assertTrue(CounterResets.detect(PREV, same));
    FloatHistogram fewer = h("count:1 counter_reset_hint:not_reset");
    assertFalse(CounterResets.detect(PREV, fewer));
  }

  @Test
  void finerLayoutsOnlyComeWithAReset() {
    assertTrue(CounterResets.detect(PREV,
        h("schema:1 count:5 sum:5 z_bucket:1 z_bucket_w:0.5 buckets:[1 2 1] offset:-1")));
    assertTrue(CounterResets.detect(PREV,
        h("schema:0 count:5 sum:5 z_bucket:1 z_bucket_w:0.25 buckets:[1 2 1] offset:-1")));
    assertTrue(CounterResets.detect(h("schema:-53 count:1 custom_values:[1] buckets:[1]"),
        h("schema:0 count:1 buckets:[1]")));
  }

  @Test
  void differentCustomBoundsCompareOnTheBoundsTheyShare() {
    // Since Prometheus 3.8: no common finite bound, both hold 1 in +Inf: no reset.
    assertFalse(CounterResets.detect(h("schema:-53 count:1 custom_values:[1] buckets:[1]"),
        h("schema:-53 count:1 custom_values:[2] buckets:[1]")));
    // On the shared bound 5: 3 observations before, 2 now.
    assertTrue(CounterResets.detect(
        h("schema:-53 count:3 custom_values:[1 5] buckets:[0 3]"),
        h("schema:-53 count:3 custom_values:[5 10] buckets:[2 1]")));
  }

  @Test
  void coarserLayoutsCompareMergedBuckets() {
    // Schema 1 buckets 1 and 2 make up schema 0 bucket 1.
    FloatHistogram fine = h("schema:1 count:3 sum:3 buckets:[1 2] offset:1");
    assertFalse(CounterResets.detect(fine, h("schema:0 count:3 sum:3 buckets:[3] offset:1")));
    assertTrue(CounterResets.detect(fine, h("schema:0 count:3 sum:3 buckets:[2 1] offset:1")));
  }

  @Test
  void widerZeroBucketTakesInThePreviousBucketsBelowIt() {
    // Previous buckets (0.25, 0.5] and (0.5, 1] fall inside the new zero bucket of width 1.
    FloatHistogram wider = h("schema:0 count:5 sum:5 z_bucket:4 z_bucket_w:1 buckets:[1]"
        + " offset:1");
    assertFalse(CounterResets.detect(PREV, wider));
    FloatHistogram tooFew = h("schema:0 count:5 sum:5 z_bucket:3 z_bucket_w:1 buckets:[2]"
        + " offset:1");
    assertTrue(CounterResets.detect(PREV, tooFew));
    // A threshold of 0.75 cuts through the populated bucket (0.5, 1].
    assertTrue(CounterResets.detect(PREV,
        h("schema:0 count:4 sum:5 z_bucket:2 z_bucket_w:0.75 buckets:[2 1] offset:1")));
  }
}
