package dev.tsdb.wal.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.format.EncodeBuffer;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramRecordsTest {
  private final EncodeBuffer buf = new EncodeBuffer(8);
  private final RecordDecoder dec = new RecordDecoder();

  /** The records {@link RecordEncoder#histogramRecords} writes, as arrays. */
  private List<byte[]> records(HistogramBatch batch) throws IOException {
    List<byte[]> out = new ArrayList<>();
    int n = RecordEncoder.histogramRecords(batch, buf, rec -> out.add(rec.toByteArray()));
    assertEquals(out.size(), n);
    return out;
  }

  private List<byte[]> records(FloatHistogramBatch batch) throws IOException {
    List<byte[]> out = new ArrayList<>();
    int n = RecordEncoder.floatHistogramRecords(batch, buf, rec -> out.add(rec.toByteArray()));
    assertEquals(out.size(), n);
    return out;
  }

  @Test
  void intHistogramHasPrometheusLayout() {
    Histogram h = new Histogram();
    h.counterResetHint = CounterResetHint.NOT_COUNTER_RESET;
    h.schema = -2;
    h.zeroThreshold = 0.5;
    h.zeroCount = 3;
    h.count = 300;
    h.sum = -1.0;
    h.positiveSpans = new int[] {-1, 2};
    h.positiveBuckets = new long[] {200, -103};
    h.negativeSpans = new int[] {0, 1};
    h.negativeBuckets = new long[] {0};
    HistogramBatch batch = new HistogramBatch();
    batch.add(5, 1000, h);
    batch.add(4, 990, h);
    RecordEncoder.histograms(batch, buf);

    EncodeBuffer want = new EncodeBuffer();
    want.putByte(7).putBE64(5).putBE64(1000);
    for (int i = 0; i < 2; i++) {
      want.putByte(i == 0 ? 0 : 1).putByte(i == 0 ? 0 : 0x13); // ref delta 0 / -1, t delta 0 / -10
      want.putByte(2); // hint NOT_COUNTER_RESET
      want.putByte(3); // schema -2 zig-zag
      want.putBE64(Double.doubleToRawLongBits(0.5));
      want.putByte(3).putBytes(new byte[] {(byte) 0xAC, 0x02}, 0, 2); // zero count, count 300
      want.putBE64(Double.doubleToRawLongBits(-1.0));
      want.putByte(1).putByte(1).putByte(2); // one positive span: offset -1, length 2
      want.putByte(1).putByte(0).putByte(1); // one negative span: offset 0, length 1
      want.putByte(2).putBytes(new byte[] {(byte) 0x90, 0x03, (byte) 0xCD, 0x01}, 0, 4); // 200, -103
      want.putByte(1).putByte(0); // negative deltas: 0
    }
    // The second entry's deltas: ref 4-5 = -1 -> 1, t 990-1000 = -10 -> 19 (0x13).
    byte[] w = want.toByteArray();
    assertArrayEquals(w, buf.toByteArray());
    assertEquals(2, new HistogramRecordFilter().count(w, w.length));
  }

  @Test
  void customBucketsBodyEndsWithItsBounds() {
    FloatHistogram h = new FloatHistogram();
    h.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
    h.count = 2;
    h.positiveSpans = new int[] {1, 1};
    h.positiveBuckets = new double[] {2};
    h.customValues = new double[] {0.5, 1};
    FloatHistogramBatch batch = new FloatHistogramBatch();
    batch.add(1, 2, h);
    RecordEncoder.customBucketsFloatHistograms(batch, buf);
    byte[] rec = buf.toByteArray();
    assertEquals(RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES, rec[0]);
    int tail = rec.length - 17;
    assertEquals(2, rec[tail]); // two custom values follow
    assertEquals(Double.doubleToRawLongBits(0.5), readBE64(rec, tail + 1));
    assertEquals(Double.doubleToRawLongBits(1.0), readBE64(rec, tail + 9));
  }

  @Test
  void randomIntHistogramsRoundTrip() throws IOException {
    RandomHistograms gen = new RandomHistograms(42);
    HistogramBatch decoded = new HistogramBatch(2);
    for (int round = 0; round < 300; round++) {
      HistogramBatch batch = new HistogramBatch(2);
      List<Histogram> exponential = new ArrayList<>();
      List<Histogram> custom = new ArrayList<>();
      int n = 1 + gen.nextInt(12);
      for (int i = 0; i < n; i++) {
        Histogram h = gen.intHistogram(gen.nextInt(3) == 0);
        batch.add(1 + gen.nextInt(1000), 1_700_000_000_000L + gen.nextInt(100_000) - 50_000, h);
        (h.usesCustomBuckets() ? custom : exponential).add(h);
      }
      List<byte[]> recs = records(batch);
      assertEquals((exponential.isEmpty() ? 0 : 1) + (custom.isEmpty() ? 0 : 1), recs.size());
      int r = 0;
      for (List<Histogram> kind : List.of(exponential, custom)) {
        if (kind.isEmpty()) {
          continue;
        }
        byte[] rec = recs.get(r++);
        assertEquals(kind == custom ? RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES
            : RecordType.HISTOGRAM_SAMPLES, rec[0]);
        dec.histograms(rec, rec.length, decoded);
        assertEquals(kind.size(), decoded.size);
        int k = 0;
        for (int i = 0; i < batch.size; i++) {
          if (batch.histograms[i] == kind.get(Math.min(k, kind.size() - 1))) {
            assertEquals(batch.refs[i], decoded.refs[k]);
            assertEquals(batch.ts[i], decoded.ts[k]);
            assertEquals(batch.histograms[i], decoded.histograms[k], "round " + round);
            k++;
          }
        }
        assertEquals(kind.size(), k);
        assertEquals(kind.size(), new HistogramRecordFilter().count(rec, rec.length));
      }
    }
  }

  @Test
  void randomFloatHistogramsRoundTripWithBitsKept() throws IOException {
    RandomHistograms gen = new RandomHistograms(7);
    FloatHistogramBatch decoded = new FloatHistogramBatch();
    for (int round = 0; round < 300; round++) {
      FloatHistogramBatch batch = new FloatHistogramBatch();
      int n = 1 + gen.nextInt(12);
      for (int i = 0; i < n; i++) {
        FloatHistogram h = gen.floatHistogram(gen.nextInt(3) == 0);
        if (gen.nextInt(10) == 0) {
          h.sum = Double.longBitsToDouble(0x7FF8_0000_0000_0001L); // NaN with a payload
        }
        batch.add(1 + gen.nextInt(1000), gen.nextInt(1_000_000), h);
      }
      List<FloatHistogram> seen = new ArrayList<>();
      for (byte[] rec : records(batch)) {
        dec.floatHistograms(rec, rec.length, decoded);
        for (int i = 0; i < decoded.size; i++) {
          seen.add(decoded.histograms[i].copy());
        }
        // Re-encoding the decoded record gives the same bytes (its base is its first entry
        // unless a custom-bucket sample led the batch; that case has its own test).
        if (decoded.histograms[0].usesCustomBuckets() || !batch.histograms[0].usesCustomBuckets()) {
          EncodeBuffer again = new EncodeBuffer();
          if (rec[0] == RecordType.FLOAT_HISTOGRAM_SAMPLES) {
            RecordEncoder.floatHistograms(decoded, again);
          } else {
            RecordEncoder.customBucketsFloatHistograms(decoded, again);
          }
          assertArrayEquals(rec, again.toByteArray(), "round " + round);
        }
      }
      List<FloatHistogram> want = new ArrayList<>();
      for (boolean custom : new boolean[] {false, true}) {
        for (int i = 0; i < batch.size; i++) {
          if (batch.histograms[i].usesCustomBuckets() == custom) {
            want.add(batch.histograms[i]);
          }
        }
      }
      assertEquals(want.size(), seen.size());
      for (int i = 0; i < want.size(); i++) {
        FloatHistogram w = want.get(i);
        FloatHistogram s = seen.get(i);
        assertEquals(w, s, "round " + round); // equals compares the bits, NaN payload included
      }
    }
  }

  @Test
  void leadingCustomBucketSampleIsTheBaseOfTheExponentialRecord() throws IOException {
    RandomHistograms gen = new RandomHistograms(3);
    HistogramBatch batch = new HistogramBatch();
    batch.add(100, 5000, gen.intHistogram(true));
    batch.add(90, 5010, gen.intHistogram(false));
    batch.add(120, 4990, gen.intHistogram(true));
    List<byte[]> recs = records(batch);
    assertEquals(2, recs.size());
    byte[] exp = recs.get(0);
    assertEquals(RecordType.HISTOGRAM_SAMPLES, exp[0]);
    assertEquals(100, readBE64(exp, 1)); // Prometheus bases type 7 on the batch's first sample
    assertEquals(5000, readBE64(exp, 9));
    assertEquals(Varint(-10), exp[17]); // ref 90 - 100
    assertEquals(Varint(10), exp[18]); // t 5010 - 5000
    byte[] custom = recs.get(1);
    assertEquals(RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES, custom[0]);
    assertEquals(100, readBE64(custom, 1));
    assertEquals(5000, readBE64(custom, 9));

    HistogramBatch decoded = new HistogramBatch();
    dec.histograms(exp, exp.length, decoded);
    assertEquals(1, decoded.size);
    assertEquals(90, decoded.refs[0]);
    assertEquals(5010, decoded.ts[0]);
    assertEquals(batch.histograms[1], decoded.histograms[0]);
    dec.histograms(custom, custom.length, decoded);
    assertEquals(2, decoded.size);
    assertEquals(120, decoded.refs[1]);
    assertEquals(batch.histograms[2], decoded.histograms[1]);
  }

  private static byte Varint(long v) {
    return (byte) ((v << 1) ^ (v >> 63));
  }

  @Test
  void batchesOfOneKindGiveOneRecordAndEmptyBatchesTheTypeByte() throws IOException {
    RandomHistograms gen = new RandomHistograms(5);
    HistogramBatch custom = new HistogramBatch();
    custom.add(1, 1, gen.intHistogram(true));
    custom.add(2, 1, gen.intHistogram(true));
    RecordEncoder.histograms(custom, buf);
    assertEquals(0, buf.length(), "Prometheus logs no type 7 record for an all-custom batch");
    List<byte[]> recs = records(custom);
    assertEquals(1, recs.size());
    assertEquals(RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES, recs.get(0)[0]);

    FloatHistogramBatch exponential = new FloatHistogramBatch();
    exponential.add(1, 1, gen.floatHistogram(false));
    RecordEncoder.customBucketsFloatHistograms(exponential, buf);
    assertEquals(0, buf.length());
    recs = records(exponential);
    assertEquals(1, recs.size());
    assertEquals(RecordType.FLOAT_HISTOGRAM_SAMPLES, recs.get(0)[0]);

    RecordEncoder.histograms(new HistogramBatch(), buf);
    assertArrayEquals(new byte[] {RecordType.HISTOGRAM_SAMPLES}, buf.toByteArray());
    RecordEncoder.floatHistograms(new FloatHistogramBatch(), buf);
    assertArrayEquals(new byte[] {RecordType.FLOAT_HISTOGRAM_SAMPLES}, buf.toByteArray());
    HistogramBatch none = new HistogramBatch();
    dec.histograms(new byte[] {RecordType.HISTOGRAM_SAMPLES}, 1, none);
    assertEquals(0, none.size);
  }

  @Test
  void decodingRefillsTheBatchsOwnHistogramsAndArrays() {
    RandomHistograms gen = new RandomHistograms(11);
    Histogram h = gen.intHistogram(false);
    h.positiveSpans = new int[] {0, 2};
    h.positiveBuckets = new long[] {1, 1};
    h.count = h.zeroCount + 3;
    HistogramBatch batch = new HistogramBatch();
    batch.add(1, 10, h);
    RecordEncoder.histograms(batch, buf);
    byte[] rec = buf.toByteArray();

    HistogramBatch decoded = new HistogramBatch();
    dec.histograms(rec, rec.length, decoded);
    Histogram first = decoded.histograms[0];
    long[] buckets = first.positiveBuckets;
    int[] spans = first.positiveSpans;
    dec.histograms(rec, rec.length, decoded);
    assertSame(first, decoded.histograms[0]);
    assertSame(buckets, decoded.histograms[0].positiveBuckets);
    assertSame(spans, decoded.histograms[0].positiveSpans);
    assertEquals(h, decoded.histograms[0]);

    // A histogram the caller added is never overwritten by a later decode into the batch.
    Histogram callers = h.copy();
    decoded.clear();
    decoded.add(1, 1, callers);
    dec.histograms(rec, rec.length, decoded);
    assertNotSame(callers, decoded.histograms[0]);
    assertEquals(h, callers);
  }

  @Test
  void malformedHistogramRecordsThrow() {
    RandomHistograms gen = new RandomHistograms(13);
    HistogramBatch batch = new HistogramBatch();
    Histogram h = gen.intHistogram(true);
    h.positiveSpans = new int[] {0, 1};
    h.positiveBuckets = new long[] {4};
    h.count = 4;
    batch.add(1, 1, h);
    RecordEncoder.customBucketsHistograms(batch, buf);
    byte[] rec = buf.toByteArray();
    HistogramBatch out = new HistogramBatch();
    for (int cut = 2; cut < rec.length; cut++) {
      if (cut == 17) {
        continue; // base ref and time without entries: a valid (empty) record, as in Prometheus
      }
      int len = cut;
      assertThrows(RecordFormatException.class, () -> dec.histograms(rec, len, out), "cut " + cut);
    }
    assertThrows(RecordFormatException.class,
        () -> dec.floatHistograms(rec, rec.length, new FloatHistogramBatch()));
    byte[] samples = {RecordType.SAMPLES};
    assertThrows(RecordFormatException.class, () -> dec.histograms(samples, 1, out));
    // A huge bucket count is rejected before anything is allocated for it.
    EncodeBuffer b = new EncodeBuffer();
    b.putByte(RecordType.FLOAT_HISTOGRAM_SAMPLES).putBE64(1).putBE64(1).putVarint(0).putVarint(0);
    b.putByte(0).putVarint(0);
    for (int i = 0; i < 4; i++) {
      b.putBE64(0);
    }
    b.putUvarint(0).putUvarint(0).putUvarint(Integer.MAX_VALUE);
    byte[] huge = b.toByteArray();
    assertThrows(RecordFormatException.class,
        () -> dec.floatHistograms(huge, huge.length, new FloatHistogramBatch()));
  }

  @Test
  void unsignedFieldsKeepTheirBits() {
    Histogram h = new Histogram();
    h.count = -1L; // uint64 max
    h.zeroCount = Long.MIN_VALUE; // 2^63
    h.positiveSpans = new int[] {Integer.MIN_VALUE, -1}; // offset int32 min, length uint32 max
    h.positiveBuckets = new long[0];
    HistogramBatch batch = new HistogramBatch();
    batch.add(1, 1, h);
    RecordEncoder.histograms(batch, buf);
    byte[] rec = buf.toByteArray();
    HistogramBatch out = new HistogramBatch();
    dec.histograms(rec, rec.length, out);
    assertEquals(h, out.histograms[0]);
    assertTrue(Arrays.equals(new int[] {Integer.MIN_VALUE, -1}, out.histograms[0].positiveSpans));
  }

  private static long readBE64(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }
}
