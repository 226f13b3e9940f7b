package dev.tsdb.index.histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HistogramStringsTest {
  @Test
  void histogramStringsAsPrometheusPrintsThem() {
    FloatHistogram h = new FloatHistogram();
    h.zeroThreshold = 0.001;
    h.zeroCount = 2;
    h.sum = 10;
    h.positiveSpans = new int[] {0, 2};
    h.positiveBuckets = new double[] {1, 2};
    h.negativeSpans = new int[] {0, 2};
    h.negativeBuckets = new double[] {1, 2};
    h.count = 20;
    assertEquals("{count:20, sum:10, [-2,-1):2, [-1,-0.5):1, [-0.001,0.001]:2, (0.5,1]:1, "
        + "(1,2]:2}", HistogramStrings.of(h));
  }

  @Test
  void customBucketsAndEmptyBuckets() {
    FloatHistogram h = new FloatHistogram();
    h.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
    h.customValues = new double[] {1, 5};
    h.count = 3;
    h.sum = 4.5;
    h.positiveSpans = new int[] {0, 3};
    h.positiveBuckets = new double[] {1, 0, 2};
    assertEquals("{count:3, sum:4.5, [-Inf,1]:1, (5,+Inf]:2}", HistogramStrings.of(h));
  }
}
