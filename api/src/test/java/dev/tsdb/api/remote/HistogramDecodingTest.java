package dev.tsdb.api.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.SampleRejectedException;
import dev.tsdb.testkit.MemStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Native histograms in remote write 1.0: decoding every field, validation, refusal by storage. */
class HistogramDecodingTest {
  private static final Labels H = Labels.of("__name__", "h");

  /** A histogram sample as the appender got it. */
  private record Got(long ref, Labels labels, long t, Histogram h, FloatHistogram fh) {}

  /** Keeps floats and histograms (as storage with native-histogram support would). */
  private static class KeepingAppender implements Appender {
    final List<String> floats = new ArrayList<>();
    final List<Got> histograms = new ArrayList<>();

    @Override
    public long append(long ref, Labels labels, long t, double v) {
      floats.add(labels.metricName() + "@" + t + "=" + v);
      return 7;
    }

    @Override
    public long appendHistogram(long ref, Labels labels, long t, Histogram h,
        FloatHistogram fh) throws SampleRejectedException {
      histograms.add(new Got(ref, labels, t, h, fh));
      return 7;
    }

    @Override
    public void commit() {}

    @Override
    public void rollback() {}
  }

  /** A new series with only histograms keeps its exemplars (appended after the histograms). */
  @Test
  void exemplarsOfANewHistogramOnlySeriesAreKept() throws Exception {
    try (dev.tsdb.head.Head head = new dev.tsdb.head.Head()) {
      byte[] req = PromPb.writeRequest(List.of(PromPb.Series.of(H, new long[0], new double[0])
          .withHistograms(List.of(PromPb.NativeHistogram.of(1_000, fullInt())))
          .withExemplars(List.of(new PromPb.Exemplar(new String[] {"trace_id", "abc"}, 0.5,
              1_000)))), List.of());
      Appender app = head.appender();
      WriteOutcome o = decode(req, app);
      app.commit();
      assertEquals(1, o.histogramsAppended);
      assertEquals(1, o.exemplarsAppended);
      assertFalse(o.hasRejections(), o.describeRejections());
      var got = head.selectExemplars(0, 2_000,
          List.of(List.of(dev.tsdb.index.labels.Matcher.eq("__name__", "h"))));
      assertEquals(1, got.size());
      assertEquals(0.5, got.get(0).exemplars().get(0).value());
    }
  }

  /** {@code a} for floats, refusing histograms as storage without their support does. */
  private static Appender floatsOnly(Appender a) {
    return new Appender() {
      @Override
      public long append(long ref, Labels labels, long t, double v)
          throws SampleRejectedException {
        return a.append(ref, labels, t, v);
      }

      @Override
      public void commit() throws IOException {
        a.commit();
      }

      @Override
      public void rollback() {
        a.rollback();
      }
    };
  }

  private static WriteOutcome decode(byte[] req, Appender app) throws IOException {
    return new WriteRequestDecoder().decode(req, req.length, app, null, Long.MAX_VALUE);
  }

  private static byte[] request(PromPb.NativeHistogram... hs) {
    return PromPb.writeRequest(List.of(PromPb.Series.of(H, new long[0], new double[0])
        .withHistograms(List.of(hs))), List.of());
  }

  /** Integer histogram using every field of its kind: both sides, a reset hint, a timestamp. */
  static Histogram fullInt() {
    Histogram h = new Histogram();
    h.counterResetHint = CounterResetHint.COUNTER_RESET;
    h.schema = 3;
    h.zeroThreshold = 0.001;
    h.zeroCount = 2;
    h.sum = -12.5;
    h.positiveSpans = new int[] {-2, 2, 3, 1};
    h.positiveBuckets = new long[] {4, -1, -2};
    h.negativeSpans = new int[] {1, 1, 0, 2};
    h.negativeBuckets = new long[] {1, 0, 5};
    h.count = 2 + (4 + 3 + 1) + (1 + 1 + 6);
    return h;
  }

  static FloatHistogram fullFloat() {
    FloatHistogram f = new FloatHistogram();
    f.counterResetHint = CounterResetHint.GAUGE;
    f.schema = -4;
    f.zeroThreshold = 1e-9;
    f.zeroCount = 0.5;
    f.count = 20.25;
    f.sum = Double.NaN;
    f.positiveSpans = new int[] {0, 3};
    f.positiveBuckets = new double[] {1.5, 0, 7.25};
    f.negativeSpans = new int[] {-5, 1, 100, 1};
    f.negativeBuckets = new double[] {2, 9};
    return f;
  }

  @Test
  void integerHistogramKeepsEveryField() throws IOException {
    KeepingAppender app = new KeepingAppender();
    WriteOutcome o = decode(request(PromPb.NativeHistogram.of(-1500, fullInt())), app);
    assertFalse(o.hasRejections(), o.describeRejections());
    assertEquals(1, o.histogramsAppended);
    Got g = app.histograms.get(0);
    assertEquals(H, g.labels());
    assertEquals(-1500, g.t());
    assertNull(g.fh());
    assertEquals(fullInt(), g.h());
  }

  @Test
  void floatHistogramKeepsEveryField() throws IOException {
    KeepingAppender app = new KeepingAppender();
    WriteOutcome o = decode(request(PromPb.NativeHistogram.of(Long.MAX_VALUE, fullFloat())), app);
    assertFalse(o.hasRejections(), o.describeRejections());
    Got g = app.histograms.get(0);
    assertEquals(Long.MAX_VALUE, g.t());
    assertNull(g.h());
    assertEquals(fullFloat(), g.fh());
  }

  @Test
  void customBucketsOfBothKinds() throws IOException {
    Histogram h = new Histogram();
    h.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
    h.positiveSpans = new int[] {0, 2, 1, 1};
    h.positiveBuckets = new long[] {3, -3, 1};
    h.count = 4;
    h.sum = 0.75;
    h.customValues = new double[] {0.1, 0.5, 1, 2.5};
    FloatHistogram f = FloatHistogram.of(h, null);
    f.positiveBuckets = new double[] {3, 0.5, 1};
    f.count = 4.5;
    KeepingAppender app = new KeepingAppender();
    WriteOutcome o = decode(request(PromPb.NativeHistogram.of(1, h),
        PromPb.NativeHistogram.of(2, f)), app);
    assertFalse(o.hasRejections(), o.describeRejections());
    assertEquals(h, app.histograms.get(0).h());
    assertEquals(f, app.histograms.get(1).fh());
  }

  @Test
  void everyResetHint() throws IOException {
    List<PromPb.NativeHistogram> hs = new ArrayList<>();
    for (CounterResetHint hint : CounterResetHint.values()) {
      FloatHistogram f = new FloatHistogram();
      f.counterResetHint = hint;
      hs.add(PromPb.NativeHistogram.of(hint.code(), f));
    }
    KeepingAppender app = new KeepingAppender();
    decode(request(hs.toArray(PromPb.NativeHistogram[]::new)), app);
    for (CounterResetHint hint : CounterResetHint.values()) {
      assertEquals(hint, app.histograms.get(hint.code()).fh().counterResetHint);
    }
  }

  /** Raw Histogram message bytes, for what PromPb does not write. */
  private interface Fields {
    void write(CodedOutputStream o) throws IOException;
  }

  private static byte[] rawRequest(Fields fields) throws IOException {
    ByteArrayOutputStream hb = new ByteArrayOutputStream();
    CodedOutputStream ho = CodedOutputStream.newInstance(hb);
    fields.write(ho);
    ho.flush();
    ByteArrayOutputStream sb = new ByteArrayOutputStream();
    CodedOutputStream so = CodedOutputStream.newInstance(sb);
    ByteArrayOutputStream lb = new ByteArrayOutputStream();
    CodedOutputStream lo = CodedOutputStream.newInstance(lb);
    lo.writeString(1, "__name__");
    lo.writeString(2, "h");
    lo.flush();
    so.writeByteArray(1, lb.toByteArray());
    so.writeByteArray(4, hb.toByteArray());
    so.flush();
    ByteArrayOutputStream rb = new ByteArrayOutputStream();
    CodedOutputStream ro = CodedOutputStream.newInstance(rb);
    ro.writeByteArray(1, sb.toByteArray());
    ro.flush();
    return rb.toByteArray();
  }

  @Test
  void unpackedRepeatedFieldsAndOneofsSetLast() throws IOException {
    KeepingAppender app = new KeepingAppender();
    byte[] req = rawRequest(o -> {
      o.writeDouble(2, 99); // count_float, then count_int: the integer kind wins
      o.writeUInt64(1, 3);
      o.writeDouble(7, 5); // zero_count_float, then zero_count_int
      o.writeUInt64(6, 1);
      o.writeSInt64(12, 1); // unpacked deltas
      o.writeSInt64(12, 0);
      o.writeDouble(13, 42); // counts of the float kind: ignored
      o.writeByteArray(11, span(0, 2));
      o.writeUInt32(99, 5); // unknown field
      o.writeDouble(16, 1); // unpacked custom values, on schema 0: invalid
    });
    WriteOutcome out = decode(req, app);
    assertEquals("1 histogram sample rejected; first: {__name__=\"h\"}: histogram with"
        + " exponential schema must not have custom bounds", out.describeRejections());
    req = rawRequest(o -> {
      o.writeUInt64(1, 3);
      o.writeDouble(2, 2); // the float kind wins
      o.writeUInt64(6, 1); // then zero_count_int: the float zero count reads 0
      o.writeSInt64(9, 4); // deltas of the integer kind: ignored
      o.writeDouble(13, 0.5);
      o.writeDouble(13, 1.5);
      o.writeByteArray(11, span(7, 2));
    });
    decode(req, app);
    FloatHistogram f = app.histograms.get(0).fh();
    assertEquals(2, f.count);
    assertEquals(0, f.zeroCount);
    assertEquals(0, f.negativeBuckets.length);
    assertEquals("[7, 2]", java.util.Arrays.toString(f.positiveSpans));
    assertEquals("[0.5, 1.5]", java.util.Arrays.toString(f.positiveBuckets));
  }

  private static byte[] span(int offset, int length) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(b);
    o.writeSInt32(1, offset);
    o.writeUInt32(2, length);
    o.flush();
    return b.toByteArray();
  }

  @Test
  void invalidHistogramsAreRejectedWithPrometheussText() throws IOException {
    Histogram bad = new Histogram();
    bad.count = 1;
    bad.positiveSpans = new int[] {0, 2};
    bad.positiveBuckets = new long[] {1};
    KeepingAppender app = new KeepingAppender();
    WriteOutcome o = decode(request(PromPb.NativeHistogram.of(5, bad),
        PromPb.NativeHistogram.of(6, fullInt())), app);
    assertEquals(1, o.histogramsRejected);
    assertEquals(1, o.histogramsAppended);
    assertEquals("1 histogram sample rejected; first: {__name__=\"h\"}: positive side: spans need"
        + " 2 buckets, have 1 buckets: histogram spans specify different number of buckets than"
        + " provided", o.describeRejections());
    assertEquals(6, app.histograms.get(0).t());
  }

  @Test
  void futureHistogramsAreOutOfBounds() throws IOException {
    KeepingAppender app = new KeepingAppender();
    byte[] req = request(PromPb.NativeHistogram.of(100, fullFloat()),
        PromPb.NativeHistogram.of(10, fullFloat()));
    WriteOutcome o = new WriteRequestDecoder().decode(req, req.length, app, null, 50);
    assertEquals(1, o.histogramsAppended);
    assertEquals("1 histogram sample rejected; first: {__name__=\"h\"}: out of bounds",
        o.describeRejections());
  }

  /**
   * Storage without histogram support (an appender keeping the default): floats are kept, valid
   * histograms refused as before, invalid ones named; the first rejection makes the message.
   */
  @Test
  void mixedRequestOnStorageWithoutHistograms() throws IOException {
    Histogram invalid = fullInt();
    invalid.count++;
    byte[] req = PromPb.writeRequest(List.of(
        PromPb.Series.of(H, new long[] {1, 2}, new double[] {1, 2})
            .withHistograms(List.of(PromPb.NativeHistogram.of(3, fullInt()),
                PromPb.NativeHistogram.of(4, invalid))),
        PromPb.Series.of(Labels.of("__name__", "g"), new long[] {5}, new double[] {3})
            .withHistograms(List.of(PromPb.NativeHistogram.of(6, invalid)))), List.of());
    MemStorage storage = new MemStorage();
    Appender app = floatsOnly(storage.appender());
    WriteOutcome o = decode(req, app);
    app.commit();
    assertEquals(3, o.samplesAppended);
    assertEquals(0, o.samplesRejected);
    assertEquals(3, o.histogramsRejected);
    assertEquals(0, o.histogramsAppended);
    assertEquals("3 histogram samples rejected; first: {__name__=\"h\"}: native histograms are"
        + " not supported yet", o.describeRejections());

    o = decode(PromPb.writeRequest(List.of(PromPb.Series.of(H, new long[] {7}, new double[] {1})
        .withHistograms(List.of(PromPb.NativeHistogram.of(8, invalid),
            PromPb.NativeHistogram.of(9, fullInt())))), List.of()),
        floatsOnly(storage.appender()));
    assertEquals(1, o.samplesAppended);
    assertEquals("2 histogram samples rejected; first: {__name__=\"h\"}: 18 observations found in"
        + " buckets, but the Count field is 19: histogram's observation count should equal the"
        + " number of observations found in the buckets (in absence of NaN)",
        o.describeRejections());
  }

  @Test
  void storageRefusalsKeepTheirMessage() throws IOException {
    Appender app = new KeepingAppender() {
      @Override
      public long appendHistogram(long ref, Labels labels, long t, Histogram h,
          FloatHistogram fh) throws SampleRejectedException {
        throw SampleRejectedException.of(SampleRejectedException.Reason.OUT_OF_ORDER);
      }
    };
    WriteOutcome o = decode(request(PromPb.NativeHistogram.of(1, fullInt())), app);
    assertEquals("1 histogram sample rejected; first: {__name__=\"h\"}: out of order sample",
        o.describeRejections());
    assertEquals(0, o.samplesRejected); // histogram refusals count only as histograms
  }

  @Test
  void malformedHistogramMessagesFailTheRequest() throws IOException {
    List<Fields> bad = List.of(
        o -> o.writeDouble(1, 1), // count_int with the wire type of a double
        o -> o.writeByteArray(4, new byte[] {1}), // schema as bytes
        o -> o.writeUInt64(11, 1), // a span that is not a message
        o -> o.writeByteArray(11, new byte[] {0x08}), // span offset cut off
        o -> o.writeByteArray(11, new byte[] {0x0a, 0}), // span offset as bytes
        o -> o.writeByteArray(13, new byte[] {1, 2, 3}), // packed doubles, 3 bytes
        o -> o.writeByteArray(12, new byte[] {(byte) 0x80}), // packed varint cut off
        o -> o.writeFixed32(16, 1), // custom values as fixed32
        o -> {
          o.writeTag(9, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          o.writeUInt32NoTag(50); // longer than the message
        });
    for (Fields f : bad) {
      byte[] req = rawRequest(f);
      assertThrows(InvalidProtocolBufferException.class,
          () -> decode(req, new KeepingAppender()));
    }
  }

  /** Random corruption of histogram requests: decoded or refused as protobuf, nothing else. */
  @Test
  void fuzzedHistogramsDecodeOrFailAsProtobuf() throws IOException {
    byte[] valid = PromPb.writeRequest(List.of(PromPb.Series.of(H, new long[] {1}, new double[] {1})
        .withHistograms(List.of(PromPb.NativeHistogram.of(2, fullInt()),
            PromPb.NativeHistogram.of(3, fullFloat())))), List.of());
    Random rnd = new Random(42);
    WriteRequestDecoder decoder = new WriteRequestDecoder();
    int failed = 0;
    for (int i = 0; i < 5000; i++) {
      byte[] req = valid.clone();
      for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
        req[rnd.nextInt(req.length)] = (byte) rnd.nextInt(256);
      }
      int len = rnd.nextInt(8) == 0 ? rnd.nextInt(req.length) : req.length;
      try {
        decoder.decode(req, len, new KeepingAppender(), null, Long.MAX_VALUE);
      } catch (InvalidProtocolBufferException e) {
        failed++;
      }
    }
    assertTrue(failed > 0 && failed < 5000, "failed " + failed);
  }
}
