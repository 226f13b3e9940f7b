package dev.tsdb.api.remote;

import com.google.protobuf.CodedOutputStream;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes prompb messages (TimeSeries, WriteRequest, ReadResponse) with CodedOutputStream, without
 * generated classes. Used for remote-read responses and by tests and tools that send remote
 * write. Field numbers: see {@link WriteRequestDecoder}.
 */
public final class PromPb {
  private PromPb() {}

  /** One series to encode; labels are written as given (raw pairs, so tests can send bad ones). */
  public record Series(List<String[]> labelPairs, long[] timestamps, double[] values,
      List<NativeHistogram> histograms, List<Exemplar> exemplars) {
    public static Series of(Labels labels, long[] ts, double[] vs) {
      List<String[]> pairs = new ArrayList<>();
      labels.forEach((n, v) -> pairs.add(new String[] {n, v}));
      return new Series(pairs, ts, vs, List.of(), List.of());
    }

    /** Raw label pairs, in the given order (may be unsorted, duplicated, empty). */
    public static Series raw(String[] nameValues, long[] ts, double[] vs) {
      List<String[]> pairs = new ArrayList<>();
      for (int i = 0; i < nameValues.length; i += 2) {
        pairs.add(new String[] {nameValues[i], nameValues[i + 1]});
      }
      return new Series(pairs, ts, vs, List.of(), List.of());
    }

    /**
     * This series with {@code n} small valid integer histograms (one observation, in the zero
     * bucket) at 1s, 2s, ... : for tests that only need histograms to be there.
     */
    public Series withHistograms(int n) {
      List<NativeHistogram> hs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Histogram h = new Histogram();
        h.count = 1;
        h.zeroCount = 1;
        hs.add(NativeHistogram.of(1000L * (i + 1), h));
      }
      return withHistograms(hs);
    }

    /** This series with the given histogram samples (written after samples and exemplars). */
    public Series withHistograms(List<NativeHistogram> hs) {
      return new Series(labelPairs, timestamps, values, List.copyOf(hs), exemplars);
    }

    /** This series with exemplars (written after the samples). */
    public Series withExemplars(List<Exemplar> ex) {
      return new Series(labelPairs, timestamps, values, histograms, List.copyOf(ex));
    }
  }

  /**
   * A native histogram sample: exactly one of {@code h} (sent with count_int, zero_count_int and
   * deltas) and {@code fh} (count_float, zero_count_float and absolute counts).
   */
  public record NativeHistogram(long timestampMs, Histogram h, FloatHistogram fh) {
    public static NativeHistogram of(long t, Histogram h) {
      return new NativeHistogram(t, h, null);
    }

    public static NativeHistogram of(long t, FloatHistogram fh) {
      return new NativeHistogram(t, null, fh);
    }
  }

  /** An exemplar of a series: its labels as name/value pairs, value and time (ms). */
  public record Exemplar(String[] nameValues, double value, long timestampMs) {}

  /** Metric-family metadata entry of a WriteRequest (type: the prompb enum number). */
  public record Metadata(int type, String family, String help, String unit) {}

  public static byte[] writeRequest(List<Series> series, List<Metadata> metadata) {
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bos);
      for (Series s : series) {
        byte[] ts = timeSeries(s);
        out.writeByteArray(1, ts);
      }
      for (Metadata m : metadata) {
        ByteArrayOutputStream mb = new ByteArrayOutputStream();
        CodedOutputStream mo = CodedOutputStream.newInstance(mb);
        mo.writeEnum(1, m.type());
        mo.writeString(2, m.family());
        mo.writeString(4, m.help());
        mo.writeString(5, m.unit());
        mo.flush();
        out.writeByteArray(3, mb.toByteArray());
      }
      out.flush();
      return bos.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] timeSeries(Series s) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bos);
    for (String[] p : s.labelPairs()) {
      out.writeByteArray(1, label(p[0], p[1]));
    }
    for (int i = 0; i < s.timestamps().length; i++) {
      out.writeTag(2, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
      int size = CodedOutputStream.computeDoubleSize(1, s.values()[i])
          + CodedOutputStream.computeInt64Size(2, s.timestamps()[i]);
      out.writeUInt32NoTag(size);
      out.writeDouble(1, s.values()[i]);
      out.writeInt64(2, s.timestamps()[i]);
    }
    for (Exemplar e : s.exemplars()) {
      ByteArrayOutputStream eb = new ByteArrayOutputStream();
      CodedOutputStream eo = CodedOutputStream.newInstance(eb);
      for (int i = 0; i < e.nameValues().length; i += 2) {
        eo.writeByteArray(1, label(e.nameValues()[i], e.nameValues()[i + 1]));
      }
      eo.writeDouble(2, e.value());
      eo.writeInt64(3, e.timestampMs());
      eo.flush();
      out.writeByteArray(3, eb.toByteArray());
    }
    for (NativeHistogram h : s.histograms()) {
      out.writeByteArray(4, histogram(h));
    }
    out.flush();
    return bos.toByteArray();
  }

  /**
   * A Histogram message (field numbers: see {@link HistogramReader}), written as Prometheus's
   * gogo encoder does: the oneof members always, other scalars when not zero, repeated scalars
   * packed.
   */
  public static byte[] histogram(NativeHistogram nh) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bos);
    Histogram h = nh.h();
    FloatHistogram f = nh.fh();
    if (h != null) {
      out.writeUInt64(1, h.count);
    } else {
      out.writeDouble(2, f.count);
    }
    double sum = h != null ? h.sum : f.sum;
    if (Double.doubleToRawLongBits(sum) != 0) {
      out.writeDouble(3, sum);
    }
    int schema = h != null ? h.schema : f.schema;
    if (schema != 0) {
      out.writeSInt32(4, schema);
    }
    double zt = h != null ? h.zeroThreshold : f.zeroThreshold;
    if (Double.doubleToRawLongBits(zt) != 0) {
      out.writeDouble(5, zt);
    }
    if (h != null) {
      out.writeUInt64(6, h.zeroCount);
    } else {
      out.writeDouble(7, f.zeroCount);
    }
    writeSpans(out, 8, h != null ? h.negativeSpans : f.negativeSpans);
    if (h != null) {
      writePackedSInt64(out, 9, h.negativeBuckets);
    } else {
      writePackedDoubles(out, 10, f.negativeBuckets);
    }
    writeSpans(out, 11, h != null ? h.positiveSpans : f.positiveSpans);
    if (h != null) {
      writePackedSInt64(out, 12, h.positiveBuckets);
    } else {
      writePackedDoubles(out, 13, f.positiveBuckets);
    }
    int hint = (h != null ? h.counterResetHint : f.counterResetHint).code();
    if (hint != 0) {
      out.writeEnum(14, hint);
    }
    if (nh.timestampMs() != 0) {
      out.writeInt64(15, nh.timestampMs());
    }
    writePackedDoubles(out, 16, h != null ? h.customValues : f.customValues);
    out.flush();
    return bos.toByteArray();
  }

  /** BucketSpan messages { sint32 offset = 1; uint32 length = 2; } from (offset, length) pairs. */
  private static void writeSpans(CodedOutputStream out, int field, int[] spans)
      throws IOException {
    for (int i = 0; i < spans.length; i += 2) {
      out.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(CodedOutputStream.computeSInt32Size(1, spans[i])
          + CodedOutputStream.computeUInt32Size(2, spans[i + 1]));
      out.writeSInt32(1, spans[i]);
      out.writeUInt32(2, spans[i + 1]);
    }
  }

  private static void writePackedSInt64(CodedOutputStream out, int field, long[] vs)
      throws IOException {
    if (vs.length == 0) {
      return;
    }
    int size = 0;
    for (long v : vs) {
      size += CodedOutputStream.computeSInt64SizeNoTag(v);
    }
    out.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(size);
    for (long v : vs) {
      out.writeSInt64NoTag(v);
    }
  }

  private static void writePackedDoubles(CodedOutputStream out, int field, double[] vs)
      throws IOException {
    if (vs.length == 0) {
      return;
    }
    out.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(vs.length * 8);
    for (double v : vs) {
      out.writeDoubleNoTag(v);
    }
  }

  private static byte[] label(String name, String value) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bos);
    out.writeByteArray(1, name.getBytes(StandardCharsets.UTF_8));
    out.writeByteArray(2, value.getBytes(StandardCharsets.UTF_8));
    out.flush();
    return bos.toByteArray();
  }

  /** A label message with raw bytes (e.g. invalid UTF-8) as its name. */
  public static byte[] rawLabelSeries(byte[] name, String value, long t, double v)
      throws IOException {
    ByteArrayOutputStream lb = new ByteArrayOutputStream();
    CodedOutputStream lo = CodedOutputStream.newInstance(lb);
    lo.writeByteArray(1, name);
    lo.writeByteArray(2, value.getBytes(StandardCharsets.UTF_8));
    lo.flush();
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bos);
    out.writeByteArray(1, label("__name__", "bad_utf8"));
    out.writeByteArray(1, lb.toByteArray());
    out.writeTag(2, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(CodedOutputStream.computeDoubleSize(1, v)
        + CodedOutputStream.computeInt64Size(2, t));
    out.writeDouble(1, v);
    out.writeInt64(2, t);
    out.flush();
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    CodedOutputStream ro = CodedOutputStream.newInstance(req);
    ro.writeByteArray(1, bos.toByteArray());
    ro.flush();
    return req.toByteArray();
  }
}
