package dev.tsdb.api.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tsdb.api.metadata.MetadataStore;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.MetricMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Remote write 2.0 decoding, case by case, against an appender that records its calls. */
class WriteV2DecoderTest {
  private final RecordingAppender app = new RecordingAppender();
  private final MetadataStore store = new MetadataStore();
  private final WriteV2Decoder decoder = new WriteV2Decoder();

  private WriteOutcome decode(byte[] req, boolean createdZero) throws IOException {
    return decoder.decode(req, req.length, app, store, Long.MAX_VALUE, createdZero);
  }

  private WriteOutcome decode(byte[] req) throws IOException {
    return decode(req, false);
  }

  private static PromPbV2.Series series(String[] nameValues, long[] ts, double[] vs) {
    return PromPbV2.Series.of(PromPb.Series.raw(nameValues, ts, vs));
  }

  @Test
  void samplesWithSortedLabelsAndPerSeriesMetadata() throws IOException {
    byte[] req = PromPbV2.request(List.of(
        series(new String[] {"job", "a", "__name__", "up"}, new long[] {1000, 2000},
            new double[] {1, 2}).withMetadata(2, "Whether up.", ""),
        series(new String[] {"__name__", "reqs_total", "job", "a"}, new long[] {1000},
            new double[] {5}).withMetadata(1, "Requests.", "requests")));
    WriteOutcome o = decode(req);
    assertEquals(3, o.samplesAppended);
    assertEquals(2, o.metadataReceived);
    assertFalse(o.hasMessages());
    assertEquals(List.of(
        "sample {__name__=\"up\", job=\"a\"} 1000 1.0",
        "sample {__name__=\"up\", job=\"a\"} 2000 2.0",
        "metadata {__name__=\"up\", job=\"a\"} gauge Whether up. ",
        "sample {__name__=\"reqs_total\", job=\"a\"} 1000 5.0",
        "metadata {__name__=\"reqs_total\", job=\"a\"} counter Requests. requests"), app.calls);
    assertEquals(List.of(new MetricMetadata("counter", "Requests.", "requests")),
        store.get("reqs_total"));
  }

  @Test
  void everyMetadataTypeMapsAsPrometheusDoes() throws IOException {
    String[] names = {"unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary",
        "info", "stateset", "unknown"};
    for (int type = 1; type < names.length; type++) {
      app.calls.clear();
      decode(PromPbV2.request(List.of(series(new String[] {"__name__", "m" + type},
          new long[] {type}, new double[] {1}).withMetadata(type, "h", "u"))));
      assertEquals("metadata {__name__=\"m" + type + "\"} " + names[type] + " h u",
          app.calls.get(1));
    }
  }

  @Test
  void seriesWithoutMetadataStoreNone() throws IOException {
    decode(PromPbV2.request(List.of(series(new String[] {"__name__", "x"}, new long[] {1},
        new double[] {1}))));
    assertEquals(List.of("sample {__name__=\"x\"} 1 1.0"), app.calls);
  }

  @Test
  void invalidSeriesAreRejectedWithPrometheusWordingAndTheRestKept() throws IOException {
    byte[] req = PromPbV2.request(List.of(
        series(new String[] {"job", "nometric", "instance", "i"}, new long[] {1},
            new double[] {1}),
        series(new String[] {"__name__", "ok"}, new long[] {1}, new double[] {1}),
        series(new String[] {"__name__", "dup", "a", "1", "a", "2"}, new long[] {1},
            new double[] {1}),
        series(new String[0], new long[] {1}, new double[] {1})));
    WriteOutcome o = decode(req);
    assertEquals(1, o.samplesAppended);
    assertEquals(3, o.seriesRejected);
    assertEquals(List.of("sample {__name__=\"ok\"} 1 1.0"), app.calls);
    assertEquals("invalid metric name or labels, got {instance=\"i\", job=\"nometric\"}\n"
        + "invalid labels for series, labels {__name__=\"dup\", a=\"1\", a=\"2\"}, duplicated"
        + " label a\n"
        + "invalid metric name or labels, got {}", o.messages());
  }

  @Test
  void invalidUtf8SymbolRejectsItsSeries() throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bos);
    out.writeString(4, "");
    out.writeString(4, "__name__");
    out.writeByteArray(4, new byte[] {'b', (byte) 0xff});
    out.writeString(4, "good");
    out.flush();
    byte[] symbols = bos.toByteArray();
    byte[] series = PromPbV2.raw(List.of(), List.of(
        PromPbV2.RefSeries.of(new int[] {1, 2}, 1, 1),
        PromPbV2.RefSeries.of(new int[] {1, 3}, 1, 1)));
    WriteOutcome o = decode(concat(symbols, series));
    assertEquals(1, o.seriesRejected);
    assertEquals(List.of("sample {__name__=\"good\"} 1 1.0"), app.calls);
    assertTrue(o.messages().startsWith("invalid metric name or labels, got {__name__=\"b"),
        o.messages());
  }

  @Test
  void symbolsMayFollowTheSeries() throws IOException {
    byte[] series = PromPbV2.raw(List.of(), List.of(PromPbV2.RefSeries.of(new int[] {1, 2},
        7, 3)));
    byte[] symbols = PromPbV2.raw(List.of("", "__name__", "late"), List.of());
    decode(concat(series, symbols));
    assertEquals(List.of("sample {__name__=\"late\"} 7 3.0"), app.calls);
  }

  @Test
  void unpackedLabelRefsAreRead() throws IOException {
    ByteArrayOutputStream ts = new ByteArrayOutputStream();
    CodedOutputStream t = CodedOutputStream.newInstance(ts);
    t.writeUInt32(1, 1);
    t.writeUInt32(1, 2);
    t.writeTag(2, 2);
    t.writeUInt32NoTag(CodedOutputStream.computeDoubleSize(1, 4)
        + CodedOutputStream.computeInt64Size(2, 9));
    t.writeDouble(1, 4);
    t.writeInt64(2, 9);
    t.flush();
    ByteArrayOutputStream rb = new ByteArrayOutputStream();
    CodedOutputStream r = CodedOutputStream.newInstance(rb);
    r.writeString(4, "");
    r.writeString(4, "__name__");
    r.writeString(4, "unpacked");
    r.writeByteArray(5, ts.toByteArray());
    r.flush();
    decode(rb.toByteArray());
    assertEquals(List.of("sample {__name__=\"unpacked\"} 9 4.0"), app.calls);
  }

  @Test
  void malformedReferencesRefuseTheRequest() {
    List<String> symbols = List.of("", "__name__", "x");
    // A label reference past the table.
    MalformedWriteException e = assertThrows(MalformedWriteException.class,
        () -> decode(PromPbV2.raw(symbols, List.of(
            PromPbV2.RefSeries.of(new int[] {1, 2}, 1, 1),
            PromPbV2.RefSeries.of(new int[] {1, 7}, 1, 1)))));
    assertEquals("timeseries[1]: labels_refs refers to symbol 7, but the symbols table has 3"
        + " entries", e.getMessage());
    // An odd number of references.
    e = assertThrows(MalformedWriteException.class, () -> decode(PromPbV2.raw(symbols,
        List.of(PromPbV2.RefSeries.of(new int[] {1, 2, 1}, 1, 1)))));
    assertEquals("timeseries[0]: odd number of labels_refs (3): they must be name/value pairs",
        e.getMessage());
    // A help reference past the table.
    e = assertThrows(MalformedWriteException.class, () -> decode(PromPbV2.raw(symbols,
        List.of(new PromPbV2.RefSeries(new int[] {1, 2}, new long[] {1}, new double[] {1},
            List.of(), List.of(), 1, 9, 0, 0)))));
    assertEquals("timeseries[0]: metadata.help_ref refers to symbol 9, but the symbols table"
        + " has 3 entries", e.getMessage());
    // An exemplar label reference past the table.
    e = assertThrows(MalformedWriteException.class, () -> decode(PromPbV2.raw(symbols,
        List.of(new PromPbV2.RefSeries(new int[] {1, 2}, new long[] {1}, new double[] {1},
            List.of(), List.of(new PromPbV2.RefExemplar(new int[] {1, 5}, 1, 1)), 0, 0, 0,
            0)))));
    assertEquals("timeseries[0]: exemplar labels_refs refers to symbol 5, but the symbols table"
        + " has 3 entries", e.getMessage());
    // The first symbol must be the empty string.
    e = assertThrows(MalformedWriteException.class, () -> decode(PromPbV2.raw(
        List.of("__name__", "x"), List.of(PromPbV2.RefSeries.of(new int[] {0, 1}, 1, 1)))));
    assertEquals("symbols[0] must be the empty string, got \"__name__\"", e.getMessage());
  }

  @Test
  void corruptBytesAreAProtobufError() {
    byte[] req = PromPbV2.request(List.of(series(new String[] {"__name__", "x"},
        new long[] {1}, new double[] {1})));
    assertThrows(InvalidProtocolBufferException.class,
        () -> decode(java.util.Arrays.copyOf(req, req.length - 3)));
  }

  @Test
  void histogramsIncludingCustomBucketsAndFloat() throws IOException {
    Histogram h = new Histogram();
    h.count = 3;
    h.zeroCount = 1;
    h.positiveSpans = new int[] {0, 1};
    h.positiveBuckets = new long[] {2};
    Histogram nhcb = new Histogram();
    nhcb.schema = Histogram.CUSTOM_BUCKETS_SCHEMA;
    nhcb.count = 2;
    nhcb.positiveSpans = new int[] {0, 2};
    nhcb.positiveBuckets = new long[] {1, 0};
    nhcb.customValues = new double[] {0.5, 1};
    FloatHistogram fh = new FloatHistogram();
    fh.count = 2.5;
    fh.zeroCount = 2.5;
    PromPbV2.Series s = PromPbV2.Series.of(PromPb.Series.raw(new String[] {"__name__", "h"},
        new long[0], new double[0]).withHistograms(List.of(PromPb.NativeHistogram.of(10, h),
        PromPb.NativeHistogram.of(20, fh))));
    PromPbV2.Series c = PromPbV2.Series.of(PromPb.Series.raw(new String[] {"__name__", "c"},
        new long[0], new double[0]).withHistograms(List.of(PromPb.NativeHistogram.of(10,
        nhcb))));
    WriteOutcome o = decode(PromPbV2.request(List.of(s, c)));
    assertEquals(3, o.histogramsAppended);
    assertEquals(List.of("histogram {__name__=\"h\"} 10 count=3 schema=0",
        "float histogram {__name__=\"h\"} 20 count=2.5 schema=0",
        "histogram {__name__=\"c\"} 10 count=2 schema=-53"), app.calls);
  }

  @Test
  void invalidHistogramIsRejectedWithTheRestKept() throws IOException {
    Histogram bad = new Histogram();
    bad.count = 1;
    bad.positiveSpans = new int[] {0, 2}; // two buckets, no counts
    WriteOutcome o = decode(PromPbV2.request(List.of(
        PromPbV2.Series.of(PromPb.Series.raw(new String[] {"__name__", "h"}, new long[0],
            new double[0]).withHistograms(List.of(PromPb.NativeHistogram.of(10, bad)))),
        series(new String[] {"__name__", "x"}, new long[] {1}, new double[] {1}))));
    assertEquals(1, o.histogramsRejected);
    assertEquals(1, o.samplesAppended);
    assertTrue(o.messages().endsWith(" for series {__name__=\"h\"}"), o.messages());
  }

  @Test
  void exemplarsFollowTheirSeries() throws IOException {
    PromPb.Series d = PromPb.Series.raw(new String[] {"__name__", "x"}, new long[] {10},
        new double[] {1}).withExemplars(List.of(
            new PromPb.Exemplar(new String[] {"trace_id", "abc"}, 0.5, 10),
            new PromPb.Exemplar(new String[0], 0.7, 10)));
    WriteOutcome o = decode(PromPbV2.request(List.of(PromPbV2.Series.of(d))));
    assertEquals(2, o.exemplarsAppended);
    assertEquals(List.of("sample {__name__=\"x\"} 10 1.0",
        "exemplar {__name__=\"x\"} {trace_id=\"abc\"} 0.5 10",
        "exemplar {__name__=\"x\"} {} 0.7 10"), app.calls);
  }

  @Test
  void refusedSamplesAreListedAsPrometheusWordsThem() throws IOException {
    WriteOutcome o = decode(PromPbV2.request(List.of(series(new String[] {"__name__", "x"},
        new long[] {10, 5, 20}, new double[] {1, 2, 3}))));
    assertEquals(2, o.samplesAppended);
    assertEquals(1, o.samplesRejected);
    assertEquals("out of order sample for series {__name__=\"x\"}", o.messages());
  }

  @Test
  void samplesTooFarInTheFutureAreOutOfBounds() throws IOException {
    byte[] req = PromPbV2.request(List.of(series(new String[] {"__name__", "x"},
        new long[] {10, 5000}, new double[] {1, 2})));
    WriteOutcome o = decoder.decode(req, req.length, app, null, 1000, false);
    assertEquals(1, o.samplesAppended);
    assertEquals("out of bounds for series {__name__=\"x\"}", o.messages());
  }

  @Test
  void createdTimestampBecomesAZeroSampleOnlyWithTheFeature() throws IOException {
    byte[] req = PromPbV2.request(List.of(series(new String[] {"__name__", "c_total"},
        new long[] {5000, 6000}, new double[] {7, 8}).withCreatedTimestamp(1000)));
    decode(req, false);
    assertEquals(List.of("sample {__name__=\"c_total\"} 5000 7.0",
        "sample {__name__=\"c_total\"} 6000 8.0"), app.calls);

    RecordingAppender withCt = new RecordingAppender();
    WriteOutcome o = new WriteV2Decoder().decode(req, req.length, withCt, null, Long.MAX_VALUE,
        true);
    assertEquals(List.of("sample {__name__=\"c_total\"} 1000 0.0",
        "sample {__name__=\"c_total\"} 5000 7.0",
        "sample {__name__=\"c_total\"} 6000 8.0"), withCt.calls);
    assertEquals(2, o.samplesAppended, "the zero sample is not counted as written");
    // The next request repeats the created time: it is older than the series, and ignored.
    byte[] next = PromPbV2.request(List.of(series(new String[] {"__name__", "c_total"},
        new long[] {7000}, new double[] {9}).withCreatedTimestamp(1000)));
    o = new WriteV2Decoder().decode(next, next.length, withCt, null, Long.MAX_VALUE, true);
    assertFalse(o.hasMessages(), "a refused zero sample is not an error");
    assertEquals("sample {__name__=\"c_total\"} 7000 9.0", withCt.calls.get(3));
  }

  @Test
  void createdTimestampNotBeforeTheSampleIsIgnored() throws IOException {
    decode(PromPbV2.request(List.of(series(new String[] {"__name__", "c_total"},
        new long[] {5000}, new double[] {7}).withCreatedTimestamp(5000))), true);
    assertEquals(List.of("sample {__name__=\"c_total\"} 5000 7.0"), app.calls);
  }

  @Test
  void createdTimestampOfHistogramsIsAnEmptyHistogram() throws IOException {
    Histogram h = new Histogram();
    h.count = 1;
    h.zeroCount = 1;
    decode(PromPbV2.request(List.of(PromPbV2.Series.of(PromPb.Series.raw(
        new String[] {"__name__", "h"}, new long[0], new double[0])
        .withHistograms(List.of(PromPb.NativeHistogram.of(5000, h))))
        .withCreatedTimestamp(1000))), true);
    assertEquals(List.of("histogram {__name__=\"h\"} 1000 count=0 schema=0",
        "histogram {__name__=\"h\"} 5000 count=1 schema=0"), app.calls);
  }

  @Test
  void manyRejectionsAreCappedInTheAnswer() throws IOException {
    long[] ts = new long[50];
    double[] vs = new double[50];
    java.util.Arrays.fill(ts, 1);
    ts[0] = 2;
    WriteOutcome o = decode(PromPbV2.request(List.of(series(new String[] {"__name__", "x"},
        ts, vs))));
    assertEquals(49, o.samplesRejected);
    String[] lines = o.messages().split("\n");
    assertEquals(WriteOutcome.MAX_MESSAGES + 1, lines.length);
    assertEquals("... and " + (49 - WriteOutcome.MAX_MESSAGES) + " more",
        lines[lines.length - 1]);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
