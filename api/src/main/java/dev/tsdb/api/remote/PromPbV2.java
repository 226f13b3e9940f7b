package dev.tsdb.api.remote;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes remote-write 2.0 {@code io.prometheus.write.v2.Request} messages with
 * CodedOutputStream (field numbers: see {@link WriteV2Decoder}), for tests and tools that send
 * 2.0. {@link #request} builds the symbols table from {@link PromPb.Series} (as senders do: the
 * empty string first, each string once); {@link #raw} writes given symbols and references as
 * they are, so tests can send malformed ones.
 */
public final class PromPbV2 {
  private PromPbV2() {}

  /** A series with its 2.0 extras: metadata (type: the enum number) and created timestamp. */
  public record Series(PromPb.Series data, int type, String help, String unit,
      long createdTimestampMs) {
    public static Series of(PromPb.Series data) {
      return new Series(data, 0, "", "", 0);
    }

    public Series withMetadata(int type, String help, String unit) {
      return new Series(data, type, help, unit, createdTimestampMs);
    }

    public Series withCreatedTimestamp(long ms) {
      return new Series(data, type, help, unit, ms);
    }
  }

  /** A series already as references: labels and exemplar labels as symbol indexes. */
  public record RefSeries(int[] labelsRefs, long[] timestamps, double[] values,
      List<PromPb.NativeHistogram> histograms, List<RefExemplar> exemplars, int type,
      int helpRef, int unitRef, long createdTimestampMs) {
    public static RefSeries of(int[] labelsRefs, long t, double v) {
      return new RefSeries(labelsRefs, new long[] {t}, new double[] {v}, List.of(), List.of(),
          0, 0, 0, 0);
    }
  }

  public record RefExemplar(int[] labelsRefs, double value, long timestampMs) {}

  /** The request for these series, with a symbols table built as senders build it. */
  public static byte[] request(List<Series> series) {
    List<String> symbols = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    symbols.add("");
    index.put("", 0);
    List<RefSeries> refs = new ArrayList<>();
    for (Series s : series) {
      PromPb.Series d = s.data();
      int[] lr = new int[d.labelPairs().size() * 2];
      for (int i = 0; i < d.labelPairs().size(); i++) {
        lr[i * 2] = symbolize(d.labelPairs().get(i)[0], symbols, index);
        lr[i * 2 + 1] = symbolize(d.labelPairs().get(i)[1], symbols, index);
      }
      List<RefExemplar> ex = new ArrayList<>();
      for (PromPb.Exemplar e : d.exemplars()) {
        int[] er = new int[e.nameValues().length];
        for (int i = 0; i < er.length; i++) {
          er[i] = symbolize(e.nameValues()[i], symbols, index);
        }
        ex.add(new RefExemplar(er, e.value(), e.timestampMs()));
      }
      refs.add(new RefSeries(lr, d.timestamps(), d.values(), d.histograms(), ex, s.type(),
          symbolize(s.help(), symbols, index), symbolize(s.unit(), symbols, index),
          s.createdTimestampMs()));
    }
    return raw(symbols, refs);
  }

  private static int symbolize(String s, List<String> symbols, Map<String, Integer> index) {
    return index.computeIfAbsent(s, k -> {
      symbols.add(k);
      return symbols.size() - 1;
    });
  }

  /** The request with exactly these symbols and references. */
  public static byte[] raw(List<String> symbols, List<RefSeries> series) {
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bos);
      for (String s : symbols) {
        out.writeString(4, s);
      }
      for (RefSeries s : series) {
        out.writeByteArray(5, timeSeries(s));
      }
      out.flush();
      return bos.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] timeSeries(RefSeries s) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bos);
    writePackedRefs(out, 1, s.labelsRefs());
    for (int i = 0; i < s.timestamps().length; i++) {
      out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(CodedOutputStream.computeDoubleSize(1, s.values()[i])
          + CodedOutputStream.computeInt64Size(2, s.timestamps()[i]));
      out.writeDouble(1, s.values()[i]);
      out.writeInt64(2, s.timestamps()[i]);
    }
    for (PromPb.NativeHistogram h : s.histograms()) {
      out.writeByteArray(3, PromPb.histogram(h));
    }
    for (RefExemplar e : s.exemplars()) {
      ByteArrayOutputStream eb = new ByteArrayOutputStream();
      CodedOutputStream eo = CodedOutputStream.newInstance(eb);
      writePackedRefs(eo, 1, e.labelsRefs());
      eo.writeDouble(2, e.value());
      eo.writeInt64(3, e.timestampMs());
      eo.flush();
      out.writeByteArray(4, eb.toByteArray());
    }
    if (s.type() != 0 || s.helpRef() != 0 || s.unitRef() != 0) {
      ByteArrayOutputStream mb = new ByteArrayOutputStream();
      CodedOutputStream mo = CodedOutputStream.newInstance(mb);
      if (s.type() != 0) {
        mo.writeEnum(1, s.type());
      }
      if (s.helpRef() != 0) {
        mo.writeUInt32(3, s.helpRef());
      }
      if (s.unitRef() != 0) {
        mo.writeUInt32(4, s.unitRef());
      }
      mo.flush();
      out.writeByteArray(5, mb.toByteArray());
    }
    if (s.createdTimestampMs() != 0) {
      out.writeInt64(6, s.createdTimestampMs());
    }
    out.flush();
    return bos.toByteArray();
  }

  private static void writePackedRefs(CodedOutputStream out, int field, int[] refs)
      throws IOException {
    if (refs.length == 0) {
      return;
    }
    int size = 0;
    for (int r : refs) {
      size += CodedOutputStream.computeUInt32SizeNoTag(r);
    }
    out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(size);
    for (int r : refs) {
      out.writeUInt32NoTag(r);
    }
  }
}
