package dev.tsdb.api.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import org.junit.jupiter.api.Test;

/** What remote read sends is what remote write reads back: every field, both kinds. */
class HistogramWriterTest {
  @Test
  void integerHistogramRoundTrips() throws Exception {
    Histogram h = new Histogram();
    h.schema = -2;
    h.zeroThreshold = 0.001;
    h.zeroCount = 3;
    h.count = 12;
    h.sum = -7.25;
    h.positiveSpans = new int[] {-3, 2, 4, 1};
    h.positiveBuckets = new long[] {2, -1, 3};
    h.negativeSpans = new int[] {0, 1};
    h.negativeBuckets = new long[] {1};
    h.counterResetHint = CounterResetHint.NOT_COUNTER_RESET;
    HistogramReader r = read(HistogramWriter.encode(h, 1_700_000_000_123L));
    assertEquals(h, r.histogram);
    assertEquals(h.counterResetHint, r.histogram.counterResetHint);
    assertNull(r.floatHistogram);
    assertEquals(1_700_000_000_123L, r.timestamp);
  }

  @Test
  void floatAndCustomBucketHistogramsRoundTrip() throws Exception {
    FloatHistogram h = new FloatHistogram();
    h.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
    h.count = 4.5;
    h.sum = 10;
    h.positiveSpans = new int[] {0, 2, 1, 1};
    h.positiveBuckets = new double[] {1.5, 2, 1};
    h.customValues = new double[] {0.5, 1, 5};
    h.counterResetHint = CounterResetHint.GAUGE;
    HistogramReader r = read(HistogramWriter.encode(h, 0));
    assertEquals(h, r.floatHistogram);
    assertEquals(CounterResetHint.GAUGE, r.floatHistogram.counterResetHint);
    assertNull(r.histogram);

    FloatHistogram empty = new FloatHistogram();
    assertEquals(empty, read(HistogramWriter.encode(empty, 5)).floatHistogram);
  }

  private static HistogramReader read(byte[] message) throws Exception {
    HistogramReader r = new HistogramReader();
    r.read(new ProtoReader().reset(message, 0, message.length));
    return r;
  }
}
