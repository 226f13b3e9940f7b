package dev.tsdb.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.IncompatibleHistogramsException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramSequenceTest {
  private static FloatHistogram h(String literal) {
    return HistogramDescription.parse(literal);
  }

  @Test
  void singleAndRepeated() {
    assertEquals(List.of(h("{{sum:1}}")), HistogramSequence.parse("{{sum:1}}"));
    List<FloatHistogram> v = HistogramSequence.parse("{{sum:1 count:1}}x2");
    assertEquals(3, v.size());
    v.forEach(x -> assertEquals(h("{{sum:1 count:1}}"), x));
  }

  @Test
  void increasesBucketByBucket() {
    // native_histograms.test: incr_histogram.
    List<FloatHistogram> v = HistogramSequence.parse(
        "{{schema:0 sum:4 count:4 buckets:[1 2 1]}}+{{sum:2 count:1 buckets:[1] offset:1}}x10");
    assertEquals(11, v.size());
    assertEquals(h("{{schema:0 sum:4 count:4 buckets:[1 2 1]}}"), v.get(0));
    assertEquals(h("{{schema:0 sum:6 count:5 buckets:[1 3 1]}}"), v.get(1));
    assertEquals(h("{{schema:0 sum:24 count:14 buckets:[1 12 1]}}"), v.get(10));
  }

  @Test
  void finerIncrementIsReducedToTheCoarserSchema() {
    // native_histograms.test: low_res_histogram and its expected value.
    List<FloatHistogram> v = HistogramSequence.parse("{{schema:-1 sum:4 count:1 buckets:[1] "
        + "offset:1}}+{{schema:0 sum:4 count:4 buckets:[2 2] offset:1}}x1");
    assertEquals(h("{{schema:-1 count:5 sum:8 offset:1 buckets:[5]}}"), v.get(1));
  }

  @Test
  void coarserIncrementIsAnError() {
    ParseException e = assertThrows(ParseException.class, () -> HistogramSequence.parse(
        "{{schema:0 sum:1 count:1}}+{{schema:-1 sum:1 count:1}}x2"));
    assertEquals("error combining histograms: cannot merge from schema -1 to 0",
        e.errors().get(0).message());
  }

  @Test
  void negativeBucketsAndNewSpans() {
    List<FloatHistogram> v = HistogramSequence.parse("{{schema:0 sum:4 count:4 buckets:[1 2 1]}}"
        + "+{{schema:0 sum:-4 count:4 n_buckets:[1 2 1] buckets:[5] offset:5}}x1");
    FloatHistogram got = v.get(1);
    assertEquals(0.0, got.sum);
    assertEquals(8.0, got.count);
    assertEquals(List.of(0, 3, 2, 1), box(got.positiveSpans));
    assertEquals(List.of(1.0, 2.0, 1.0, 5.0), box(got.positiveBuckets));
    assertEquals(List.of(0, 3), box(got.negativeSpans));
  }

  @Test
  void decreases() {
    List<FloatHistogram> v = HistogramSequence.parse(
        "{{schema:0 sum:10 count:10 buckets:[5 5]}}-{{sum:1 count:2 buckets:[1 1]}}x2");
    assertEquals(h("{{schema:0 sum:8 count:6 buckets:[3 3]}}"), v.get(2));
  }

  @Test
  void hintsOfSums() {
    FloatHistogram gauge = HistogramSequence.parse("{{sum:1 counter_reset_hint:gauge}}"
        + "+{{sum:1}}x1").get(1);
    assertEquals(CounterResetHint.GAUGE, gauge.counterResetHint);
    FloatHistogram mixed = HistogramSequence.parse("{{sum:1 counter_reset_hint:reset}}"
        + "+{{sum:1 counter_reset_hint:not_reset}}x1").get(1);
    assertEquals(CounterResetHint.UNKNOWN, mixed.counterResetHint);
    FloatHistogram kept = HistogramSequence.parse("{{sum:1 counter_reset_hint:reset}}"
        + "-{{sum:1 counter_reset_hint:gauge}}x1").get(1);
    assertEquals(CounterResetHint.COUNTER_RESET, kept.counterResetHint);
  }

  @Test
  void widerZeroBucketSwallowsBuckets() {
    // The 0.7 threshold cuts through the populated bucket (0.5, 1], so the zero bucket grows
    // to 1 and takes in both positive buckets.
    FloatHistogram got = HistogramSequence.parse("{{schema:0 count:3 z_bucket:1 z_bucket_w:0.5 "
        + "buckets:[1 1] offset:-1}}+{{schema:0 count:1 z_bucket:1 z_bucket_w:0.7}}x1").get(1);
    assertEquals(1.0, got.zeroThreshold);
    assertEquals(4.0, got.zeroCount);
    assertEquals(4.0, got.count);
    assertEquals(0, got.positiveBuckets.length);
  }

  @Test
  void customBucketsNeedTheSameBounds() {
    FloatHistogram got = HistogramSequence.parse("{{schema:-53 sum:1 count:1 "
        + "custom_values:[5 10] buckets:[1]}}+{{schema:-53 sum:1 count:1 custom_values:[5 10] "
        + "buckets:[0 1]}}x2").get(2);
    assertEquals(h("{{schema:-53 sum:3 count:3 custom_values:[5 10] buckets:[1 2]}}"), got);
    ParseException e = assertThrows(ParseException.class, () -> HistogramSequence.parse(
        "{{schema:-53 custom_values:[5]}}+{{schema:-53 custom_values:[6]}}x1"));
    assertEquals(IncompatibleHistogramsException.DIFFERENT_BOUNDS, e.errors().get(0).message());
    e = assertThrows(ParseException.class, () -> HistogramSequence.parse(
        "{{schema:-53 custom_values:[5]}}+{{schema:0}}x1"));
    assertEquals(IncompatibleHistogramsException.MIXED_SCHEMAS, e.errors().get(0).message());
  }

  @Test
  void itemsEndWhereTheyEnd() {
    String line = "m {{sum:1}}x1 2 {{sum:2}}+{{sum:1}}x3 _";
    HistogramSequence.Item first = HistogramSequence.parse(line, 2);
    assertEquals(2, first.values().size());
    assertEquals(' ', line.charAt(first.end()));
    HistogramSequence.Item second = HistogramSequence.parse(line, line.indexOf("{{", first.end()));
    assertEquals(4, second.values().size());
    assertEquals(line.length() - 2, second.end());
    assertThrows(ParseException.class, () -> HistogramSequence.parse("{{sum:1}}+{{sum:1}}"));
    assertThrows(ParseException.class, () -> HistogramSequence.parse("{{sum:1}}x"));
  }

  private static List<Integer> box(int[] a) {
    return java.util.Arrays.stream(a).boxed().toList();
  }

  private static List<Double> box(double[] a) {
    return java.util.Arrays.stream(a).boxed().toList();
  }
}
