package dev.tsdb.api.remote;

import com.google.protobuf.CodedOutputStream;
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
      int histograms, List<Exemplar> exemplars) {
    public Series(List<String[]> labelPairs, long[] timestamps, double[] values, int histograms) {
      this(labelPairs, timestamps, values, histograms, List.of());
    }

    public static Series of(Labels labels, long[] ts, double[] vs) {
      List<String[]> pairs = new ArrayList<>();
      labels.forEach((n, v) -> pairs.add(new String[] {n, v}));
      return new Series(pairs, ts, vs, 0);
    }

    /** Raw label pairs, in the given order (may be unsorted, duplicated, empty). */
    public static Series raw(String[] nameValues, long[] ts, double[] vs) {
      List<String[]> pairs = new ArrayList<>();
      for (int i = 0; i < nameValues.length; i += 2) {
        pairs.add(new String[] {nameValues[i], nameValues[i + 1]});
      }
      return new Series(pairs, ts, vs, 0);
    }

    public Series withHistograms(int n) {
      return new Series(labelPairs, timestamps, values, n, exemplars);
    }

    /** This series with exemplars (written after the samples). */
    public Series withExemplars(List<Exemplar> ex) {
      return new Series(labelPairs, timestamps, values, histograms, List.copyOf(ex));
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
    for (int i = 0; i < s.histograms(); i++) {
      // A minimal Histogram message: count_int = 1 (field 1), timestamp (field 15).
      ByteArrayOutputStream hb = new ByteArrayOutputStream();
      CodedOutputStream ho = CodedOutputStream.newInstance(hb);
      ho.writeUInt64(1, 1);
      ho.writeInt64(15, 1000L * (i + 1));
      ho.flush();
      out.writeByteArray(4, hb.toByteArray());
    }
    out.flush();
    return bos.toByteArray();
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
