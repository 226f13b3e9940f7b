package dev.tsdb.api.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tsdb.api.metadata.MetadataStore;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.testkit.MemStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteRequestDecoderTest {
  private final MemStorage storage = new MemStorage();
  private final MetadataStore metadata = new MetadataStore();

  private WriteOutcome decode(byte[] req) throws IOException {
    Appender app = storage.appender();
    WriteOutcome o = new WriteRequestDecoder().decode(req, req.length, app, metadata,
        Long.MAX_VALUE);
    app.commit();
    return o;
  }

  private List<String> dump() {
    List<String> out = new ArrayList<>();
    Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE);
    SeriesSet ss = q.select(true, null, Matcher.re("__name__", ".+"));
    while (ss.next()) {
      SampleIterator it = ss.at().iterator(null);
      StringBuilder sb = new StringBuilder(ss.at().labels().toString());
      while (it.next() != ValueType.NONE) {
        sb.append(' ').append(it.t()).append('=').append(it.v());
      }
      out.add(sb.toString());
    }
    return out;
  }

  @Test
  void appendsSamplesAndSortsLabels() throws IOException {
    byte[] req = PromPb.writeRequest(List.of(
        PromPb.Series.raw(new String[] {"job", "a", "__name__", "up", "empty", ""},
            new long[] {1000, 2000}, new double[] {1, 2}),
        PromPb.Series.of(Labels.of("__name__", "x"), new long[] {5}, new double[] {0.5})),
        List.of(new PromPb.Metadata(1, "up", "Whether up.", "")));
    WriteOutcome o = decode(req);
    assertEquals(3, o.samplesAppended);
    assertFalse(o.hasRejections());
    assertEquals(List.of("{__name__=\"up\", job=\"a\"} 1000=1.0 2000=2.0", "{__name__=\"x\"} 5=0.5"),
        dump());
    assertEquals(List.of(new MetricMetadata("counter", "Whether up.", "")), metadata.get("up"));
  }

  @Test
  void rejectsInvalidSeriesIndividually() throws IOException {
    byte[] req = PromPb.writeRequest(List.of(
        PromPb.Series.raw(new String[] {"job", "a"}, new long[] {1}, new double[] {1}),
        PromPb.Series.raw(new String[] {"__name__", "ok"}, new long[] {1}, new double[] {1}),
        PromPb.Series.raw(new String[] {"__name__", "d", "a", "1", "a", "2"}, new long[] {1, 2},
            new double[] {1, 1}),
        PromPb.Series.raw(new String[] {"__name__", "e", "", "1"}, new long[] {1},
            new double[] {1})), List.of());
    WriteOutcome o = decode(req);
    assertEquals(1, o.samplesAppended);
    assertEquals(3, o.seriesRejected);
    assertEquals(4, o.samplesInRejectedSeries);
    assertEquals("3 series rejected; first: {job=\"a\"}: missing metric name (label \"__name__\")",
        o.describeRejections());
    assertEquals(List.of("{__name__=\"ok\"} 1=1.0"), dump());
  }

  @Test
  void duplicateAndEmptyNamesAreNamed() throws IOException {
    WriteOutcome o = decode(PromPb.writeRequest(List.of(PromPb.Series.raw(
        new String[] {"__name__", "d", "a", "1", "a", "2"}, new long[] {1}, new double[] {1})),
        List.of()));
    assertEquals("1 series rejected; first: {__name__=\"d\", a=\"1\", a=\"2\"}: duplicate label"
        + " name \"a\"", o.describeRejections());
    o = decode(PromPb.writeRequest(List.of(PromPb.Series.raw(
        new String[] {"__name__", "e", "", "1"}, new long[] {1}, new double[] {1})), List.of()));
    assertEquals("1 series rejected; first: {__name__=\"e\", \"\"=\"1\"}: invalid label name \"\"",
        o.describeRejections());
  }

  @Test
  void rejectsInvalidUtf8() throws IOException {
    byte[] bad = {(byte) 'a', (byte) 0xff};
    WriteOutcome o = decode(PromPb.rawLabelSeries(bad, "v", 1, 1));
    assertEquals(1, o.seriesRejected);
    assertTrue(o.describeRejections().contains("not valid UTF-8"), o.describeRejections());
    assertEquals(List.of(), dump());
    // Valid multi-byte names are fine.
    o = decode(PromPb.rawLabelSeries("bé".getBytes(StandardCharsets.UTF_8), "v", 1, 1));
    assertFalse(o.hasRejections());
  }

  @Test
  void appendsHistogramsBesideFloats() throws IOException {
    WriteOutcome o = decode(PromPb.writeRequest(List.of(PromPb.Series.of(
        Labels.of("__name__", "h"), new long[] {1}, new double[] {3}).withHistograms(2)),
        List.of()));
    assertEquals(1, o.samplesAppended);
    assertEquals(2, o.histogramsAppended);
    assertEquals(0, o.histogramsRejected);
    assertFalse(o.hasRejections());
  }

  @Test
  void futureSamplesAreOutOfBounds() throws IOException {
    byte[] req = PromPb.writeRequest(List.of(PromPb.Series.of(Labels.of("__name__", "f"),
        new long[] {1, 100}, new double[] {1, 2})), List.of());
    Appender app = storage.appender();
    WriteOutcome o = new WriteRequestDecoder().decode(req, req.length, app, metadata, 50);
    app.commit();
    assertEquals(1, o.samplesAppended);
    assertEquals("1 sample rejected; first: out of bounds for series {__name__=\"f\"} at timestamp"
        + " 100", o.describeRejections());
  }

  /** An appender with the head's ordering rule: per series, timestamps must increase. */
  private static class OrderedAppender implements Appender {
    final java.util.Map<Labels, Long> last = new java.util.HashMap<>();
    final List<String> appended = new ArrayList<>();

    @Override
    public long append(long ref, Labels labels, long t, double v)
        throws dev.tsdb.index.storage.SampleRejectedException {
      Long prev = last.get(labels);
      if (prev != null && t == prev) {
        throw dev.tsdb.index.storage.SampleRejectedException.of(
            dev.tsdb.index.storage.SampleRejectedException.Reason.DUPLICATE);
      }
      if (prev != null && t < prev) {
        throw dev.tsdb.index.storage.SampleRejectedException.of(
            dev.tsdb.index.storage.SampleRejectedException.Reason.OUT_OF_ORDER);
      }
      last.put(labels, t);
      appended.add(labels.metricName() + "@" + t);
      return 1;
    }

    @Override
    public void commit() {}

    @Override
    public void rollback() {}
  }

  @Test
  void storageRejectionsAreCountedAndTheRestKept() throws IOException {
    byte[] req = PromPb.writeRequest(List.of(
        PromPb.Series.of(Labels.of("__name__", "a"), new long[] {10, 5, 20, 20},
            new double[] {1, 2, 3, 4}),
        PromPb.Series.of(Labels.of("__name__", "b"), new long[] {1}, new double[] {1})),
        List.of());
    OrderedAppender app = new OrderedAppender();
    WriteOutcome o = new WriteRequestDecoder().decode(req, req.length, app, metadata,
        Long.MAX_VALUE);
    assertEquals(List.of("a@10", "a@20", "b@1"), app.appended);
    assertEquals(3, o.samplesAppended);
    assertEquals(2, o.samplesRejected);
    assertEquals(1, o.samplesRejectedByReason[
        dev.tsdb.index.storage.SampleRejectedException.Reason.OUT_OF_ORDER.ordinal()]);
    assertEquals(1, o.samplesRejectedByReason[
        dev.tsdb.index.storage.SampleRejectedException.Reason.DUPLICATE.ordinal()]);
    assertEquals("2 samples rejected; first: out of order sample for series {__name__=\"a\"} at"
        + " timestamp 5", o.describeRejections());
  }

  @Test
  void knownSeriesArriveAsTheStoragesOwnLabels() throws IOException {
    Labels known = Labels.of("__name__", "up", "job", "a");
    List<Labels> got = new ArrayList<>();
    Appender app = new OrderedAppender() {
      @Override
      public Labels existingLabels(String[] nameValues, int len) {
        return known.equalsPairs(nameValues, len) ? known : null;
      }

      @Override
      public long append(long ref, Labels labels, long t, double v)
          throws dev.tsdb.index.storage.SampleRejectedException {
        got.add(labels);
        return super.append(ref, labels, t, v);
      }
    };
    byte[] req = PromPb.writeRequest(List.of(
        PromPb.Series.raw(new String[] {"job", "a", "__name__", "up"}, new long[] {1},
            new double[] {1}),
        PromPb.Series.raw(new String[] {"job", "a", "__name__", "up", "empty", ""},
            new long[] {2}, new double[] {1}),
        PromPb.Series.raw(new String[] {"job", "b", "__name__", "up"}, new long[] {1},
            new double[] {1})), List.of());
    WriteOutcome o = new WriteRequestDecoder().decode(req, req.length, app, metadata,
        Long.MAX_VALUE);
    assertEquals(3, o.samplesAppended);
    assertTrue(got.get(0) == known && got.get(1) == known);
    assertEquals(Labels.of("__name__", "up", "job", "b"), got.get(2));
  }

  @Test
  void garbageIsAProtobufError() {
    byte[] junk = {(byte) 0x0a, (byte) 0x7f, 1, 2};
    assertThrows(InvalidProtocolBufferException.class, () -> decode(junk));
  }
}
