package dev.tsdb.blocks.db.interop;

import com.google.protobuf.CodedOutputStream;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** Remote-write 1.0 bodies (uncompressed) for feeding a reference Prometheus test data. */
final class WriteRequests {
  private WriteRequests() {}

  /**
   * prometheus.WriteRequest: repeated TimeSeries timeseries = 1; TimeSeries: repeated Label
   * labels = 1 (name = 1, value = 2), repeated Sample samples = 2 (double value = 1, int64
   * timestamp = 2).
   */
  static byte[] of(Map<Labels, TreeMap<Long, Double>> series) throws IOException {
    Map<Labels, TreeMap<Long, Object>> samples = new java.util.LinkedHashMap<>();
    series.forEach((l, m) -> samples.put(l, new TreeMap<>(m)));
    return ofMixed(samples);
  }

  /**
   * A WriteRequest of floats (Double) and native histograms (Histogram, FloatHistogram) by
   * series and timestamp: TimeSeries.samples = 2 for floats, TimeSeries.histograms = 4 for
   * histograms (prometheus.Histogram as in types.proto).
   */
  static byte[] ofMixed(Map<Labels, TreeMap<Long, Object>> series) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bos);
    for (Map.Entry<Labels, TreeMap<Long, Object>> e : series.entrySet()) {
      ByteArrayOutputStream tsBytes = new ByteArrayOutputStream();
      CodedOutputStream ts = CodedOutputStream.newInstance(tsBytes);
      for (int i = 0; i < e.getKey().size(); i++) {
        ByteArrayOutputStream lb = new ByteArrayOutputStream();
        CodedOutputStream l = CodedOutputStream.newInstance(lb);
        l.writeString(1, e.getKey().name(i));
        l.writeString(2, e.getKey().value(i));
        l.flush();
        ts.writeByteArray(1, lb.toByteArray());
      }
      for (Map.Entry<Long, Object> s : e.getValue().entrySet()) {
        ByteArrayOutputStream sb = new ByteArrayOutputStream();
        CodedOutputStream so = CodedOutputStream.newInstance(sb);
        if (s.getValue() instanceof Double v) {
          so.writeDouble(1, v);
          so.writeInt64(2, s.getKey());
          so.flush();
          ts.writeByteArray(2, sb.toByteArray());
          continue;
        }
        if (s.getValue() instanceof Histogram h) {
          so.writeUInt64(1, h.count);
          histogramCommon(so, h.sum, h.schema, h.zeroThreshold);
          so.writeUInt64(6, h.zeroCount);
          spans(so, 8, h.negativeSpans);
          packedSint64(so, 9, h.negativeBuckets);
          spans(so, 11, h.positiveSpans);
          packedSint64(so, 12, h.positiveBuckets);
          so.writeEnum(14, h.counterResetHint.code());
          so.writeInt64(15, s.getKey());
          packedDouble(so, 16, h.customValues);
        } else {
          FloatHistogram h = (FloatHistogram) s.getValue();
          so.writeDouble(2, h.count);
          histogramCommon(so, h.sum, h.schema, h.zeroThreshold);
          so.writeDouble(7, h.zeroCount);
          spans(so, 8, h.negativeSpans);
          packedDouble(so, 10, h.negativeBuckets);
          spans(so, 11, h.positiveSpans);
          packedDouble(so, 13, h.positiveBuckets);
          so.writeEnum(14, h.counterResetHint.code());
          so.writeInt64(15, s.getKey());
          packedDouble(so, 16, h.customValues);
        }
        so.flush();
        ts.writeByteArray(4, sb.toByteArray());
      }
      ts.flush();
      out.writeByteArray(1, tsBytes.toByteArray());
    }
    out.flush();
    return bos.toByteArray();
  }

  private static void histogramCommon(CodedOutputStream o, double sum, int schema,
      double zeroThreshold) throws IOException {
    o.writeDouble(3, sum);
    o.writeSInt32(4, schema);
    o.writeDouble(5, zeroThreshold);
  }

  /** BucketSpan: sint32 offset = 1, uint32 length = 2; spans are flattened (offset, length). */
  private static void spans(CodedOutputStream o, int field, int[] spans) throws IOException {
    for (int i = 0; i < spans.length; i += 2) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      CodedOutputStream s = CodedOutputStream.newInstance(b);
      s.writeSInt32(1, spans[i]);
      s.writeUInt32(2, spans[i + 1]);
      s.flush();
      o.writeByteArray(field, b.toByteArray());
    }
  }

  private static void packedSint64(CodedOutputStream o, int field, long[] v) throws IOException {
    if (v.length == 0) {
      return;
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream p = CodedOutputStream.newInstance(b);
    for (long x : v) {
      p.writeSInt64NoTag(x);
    }
    p.flush();
    o.writeByteArray(field, b.toByteArray());
  }

  private static void packedDouble(CodedOutputStream o, int field, double[] v) throws IOException {
    if (v.length == 0) {
      return;
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream p = CodedOutputStream.newInstance(b);
    for (double x : v) {
      p.writeDoubleNoTag(x);
    }
    p.flush();
    o.writeByteArray(field, b.toByteArray());
  }
}
