package dev.tsdb.index.histogram;

import static dev.tsdb.index.histogram.TestHistograms.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Expected histograms from promtool 3.5 (add, sub) and native_histograms.test (mul, div,
 * negation), compared as promqltest does: after compaction.
 */
class HistogramArithmeticTest {
  private static final FloatHistogram A = h("schema:1 count:10 sum:20 z_bucket:2 z_bucket_w:0.5"
      + " buckets:[1 2 3 2] offset:-1 n_buckets:[1 1]");
  private static final FloatHistogram B = h("schema:0 count:6 sum:7 z_bucket:1 z_bucket_w:0.25"
      + " buckets:[2 0 3] offset:-2 n_buckets:[1]");
  private static final FloatHistogram MUL_DIV = h("schema:0 count:30 sum:33 z_bucket:3"
      + " z_bucket_w:0.001 buckets:[3 3 3] n_buckets:[6 6 6]");

  private static void assertHistogram(String expected, FloatHistogram actual) {
    assertTrue(HistogramLayout.equalsCompacted(h(expected), actual),
        "expected {{" + expected + "}} but got " + actual);
  }

  @Test
  void addReducesToTheLowerSchemaAndWidensTheZeroBucket() {
    String sum = "schema:0 count:16 sum:27 z_bucket:5 z_bucket_w:0.5 buckets:[6 5] n_buckets:[2 1]";
    assertHistogram(sum, HistogramArithmetic.add(A, B));
    assertHistogram(sum, HistogramArithmetic.add(B, A));
  }

  @Test
  void subReducesAndWidensLikeAdd() {
    assertHistogram("schema:0 count:4 sum:13 z_bucket:-1 z_bucket_w:0.5 offset:1 buckets:[5]"
        + " n_offset:1 n_buckets:[1]", HistogramArithmetic.sub(A, B));
  }

  @Test
  void argumentsAreLeftAlone() {
    FloatHistogram a = A.copy();
    FloatHistogram b = B.copy();
    HistogramArithmetic.add(a, b);
    HistogramArithmetic.sub(a, b);
    HistogramArithmetic.mul(a, 3);
    HistogramArithmetic.div(b, 0);
    assertEquals(A, a);
    assertEquals(B, b);
  }

  @Test
  void addOfOppositeSides() {
    assertHistogram("schema:0 sum:0 count:8 buckets:[1 2 1] n_buckets:[1 2 1]",
        HistogramArithmetic.add(h("schema:0 sum:4 count:4 buckets:[1 2 1]"),
            h("schema:0 sum:-4 count:4 n_buckets:[1 2 1]")));
  }

  @Test
  void customBucketsCombineOnlyWithTheSameBounds() {
    FloatHistogram c = h("schema:-53 sum:5 count:4 custom_values:[5 10] buckets:[1 2 1]");
    assertHistogram("schema:-53 sum:10 count:8 custom_values:[5 10] buckets:[2 4 2]",
        HistogramArithmetic.add(c, c));
    IncompatibleHistogramsException bounds = assertThrows(IncompatibleHistogramsException.class,
        () -> HistogramArithmetic.add(c, h("schema:-53 custom_values:[5 11]")));
    assertEquals(IncompatibleHistogramsException.DIFFERENT_BOUNDS, bounds.getMessage());
    IncompatibleHistogramsException mixed = assertThrows(IncompatibleHistogramsException.class,
        () -> HistogramArithmetic.sub(c, A));
    assertEquals(IncompatibleHistogramsException.MIXED_SCHEMAS, mixed.getMessage());
  }

  @Test
  void counterResetHintsOfASum() {
    CounterResetHint unknown = CounterResetHint.UNKNOWN;
    CounterResetHint reset = CounterResetHint.COUNTER_RESET;
    CounterResetHint notReset = CounterResetHint.NOT_COUNTER_RESET;
    CounterResetHint gauge = CounterResetHint.GAUGE;
    assertEquals(reset, HistogramArithmetic.sumHint(reset, reset));
    assertEquals(gauge, HistogramArithmetic.sumHint(notReset, gauge));
    assertEquals(gauge, HistogramArithmetic.sumHint(gauge, unknown));
    assertEquals(unknown, HistogramArithmetic.sumHint(unknown, reset));
    assertEquals(unknown, HistogramArithmetic.sumHint(reset, notReset));
    FloatHistogram g = h("schema:0 count:1 sum:1 buckets:[1] counter_reset_hint:gauge");
    assertEquals(gauge, HistogramArithmetic.add(h("schema:0"), g).counterResetHint);
    assertEquals(unknown, HistogramArithmetic.sub(h("schema:0"), g).counterResetHint);
  }

  @Test
  void mulAndDivByScalars() {
    assertHistogram("schema:0 count:90 sum:99 z_bucket:9 z_bucket_w:0.001 buckets:[9 9 9]"
        + " n_buckets:[18 18 18]", HistogramArithmetic.mul(MUL_DIV, 3));
    assertHistogram("schema:0 count:-90 sum:-99 z_bucket:-9 z_bucket_w:0.001 buckets:[-9 -9 -9]"
        + " n_buckets:[-18 -18 -18]", HistogramArithmetic.mul(MUL_DIV, -3));
    assertHistogram("schema:0 count:10 sum:11 z_bucket:1 z_bucket_w:0.001 buckets:[1 1 1]"
        + " n_buckets:[2 2 2]", HistogramArithmetic.div(MUL_DIV, 3));
    assertHistogram("schema:0 count:-10 sum:-11 z_bucket:-1 z_bucket_w:0.001"
        + " buckets:[-1 -1 -1] n_buckets:[-2 -2 -2]", HistogramArithmetic.div(MUL_DIV, -3));
    assertHistogram("schema:0 count:0 sum:0 z_bucket:0 z_bucket_w:0.001 buckets:[0 0 0]"
        + " n_buckets:[0 0 0]", HistogramArithmetic.mul(MUL_DIV, 0));
    assertEquals(CounterResetHint.GAUGE, HistogramArithmetic.mul(MUL_DIV, -1).counterResetHint);
  }

  @Test
  void divByZeroKeepsNoBuckets() {
    assertHistogram("schema:0 count:Inf sum:Inf z_bucket_w:0.001 z_bucket:Inf",
        HistogramArithmetic.div(MUL_DIV, 0));
    assertHistogram("schema:0 count:NaN sum:NaN z_bucket_w:0.001 z_bucket:NaN",
        HistogramArithmetic.div(HistogramArithmetic.mul(MUL_DIV, 0), 0));
  }

  @Test
  void negationIsMulByMinusOne() {
    assertHistogram("schema:0 count:-30 sum:-33 z_bucket:-3 z_bucket_w:0.001"
        + " buckets:[-3 -3 -3] n_buckets:[-6 -6 -6]", HistogramArithmetic.negate(MUL_DIV));
  }
}
