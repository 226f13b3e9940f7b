package dev.tsdb.index.histogram;

import static dev.tsdb.index.histogram.TestHistograms.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HistogramKahanSumTest {
  @Test
  void sumsEveryCountAndReducesToTheCoarserSchema() {
    HistogramKahanSum s = new HistogramKahanSum(h("schema:1 count:4 sum:5 buckets:[1 2 1]"));
    s.add(h("schema:0 count:3 sum:2 buckets:[1 1 1]"));
    FloatHistogram r = s.result();
    assertEquals(0, r.schema);
    assertEquals(7, r.count);
    assertEquals(7, r.sum);
    // Schema 1 buckets 0,1,2 merge into schema 0 buckets 0 and 1 (index 1 holds 1 and 2).
    assertTrue(HistogramLayout.equalsCompacted(h("schema:0 count:7 sum:7 buckets:[2 4 1]"), r), r
        .toString());
  }

  @Test
  void compensationKeepsTheLowOrderBits() {
    // 1e100 + 1 - 1e100 is 0 in plain floats; with compensation the 1 survives.
    HistogramKahanSum s = new HistogramKahanSum(h("count:1e100 sum:1e100 buckets:[1e100]"));
    s.add(h("count:1 sum:1 buckets:[1]"));
    s.add(h("count:-1e100 sum:-1e100 buckets:[-1e100]"));
    FloatHistogram r = s.result();
    assertEquals(1, r.count);
    assertEquals(1, r.sum);
    assertEquals(1, r.positiveBuckets[0]);
  }

  @Test
  void scaleDivideAndOverflow() {
    HistogramKahanSum s = new HistogramKahanSum(h("count:4 sum:2 buckets:[4]"));
    s.divide(2);
    s.scale(3);
    assertEquals(6, s.result().count);
    assertEquals(6, s.result().positiveBuckets[0]);
    assertFalse(s.hasOverflow());
    HistogramKahanSum copy = s.copy();
    copy.add(h("count:1.7e308 sum:1 buckets:[1.7e308]"));
    copy.add(h("count:1.7e308 sum:1 buckets:[1.7e308]"));
    assertTrue(copy.hasOverflow());
    assertFalse(s.hasOverflow(), "a copy is independent");
  }

  @Test
  void rejectsMixedBucketKinds() {
    HistogramKahanSum s = new HistogramKahanSum(h("count:1 sum:1 buckets:[1]"));
    assertThrows(IncompatibleHistogramsException.class,
        () -> s.add(h("schema:-53 count:1 sum:1 custom_values:[5 10] buckets:[1]")));
  }

  @Test
  void differentZeroThresholdsAreReconciled() {
    HistogramKahanSum s = new HistogramKahanSum(
        h("count:3 sum:3 z_bucket:1 z_bucket_w:0.001 buckets:[1 1]"));
    s.add(h("count:3 sum:3 z_bucket:1 z_bucket_w:0.5 buckets:[1 1]"));
    FloatHistogram r = s.result();
    assertEquals(6, r.count);
    assertEquals(0.5, r.zeroThreshold);
    assertEquals(r, HistogramArithmetic.add(
        h("count:3 sum:3 z_bucket:1 z_bucket_w:0.001 buckets:[1 1]"),
        h("count:3 sum:3 z_bucket:1 z_bucket_w:0.5 buckets:[1 1]")));
  }
}
