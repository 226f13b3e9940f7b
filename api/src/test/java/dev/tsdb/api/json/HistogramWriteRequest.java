package dev.tsdb.api.json;

import com.google.protobuf.CodedOutputStream;
import dev.tsdb.index.histogram.FloatHistogram;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A remote-write 1.0 WriteRequest with one series and one sample, float or histogram, encoded
 * field by field (prometheus.WriteRequest / TimeSeries / Histogram of prompb/types.proto).
 * Integer histograms go out with {@code count_int} and delta-encoded buckets, float ones with
 * {@code count_float} and absolute counts.
 */
final class HistogramWriteRequest {
  private HistogramWriteRequest() {}

  static byte[] of(String name, HistogramCases.Point p) throws IOException {
    byte[] series = message(out -> {
      out.writeByteArray(1, message(l -> {
        l.writeString(1, "__name__");
        l.writeString(2, name);
      }));
      if (p.histogram() == null) {
        out.writeByteArray(2, message(s -> {
          s.writeDouble(1, p.value());
          s.writeInt64(2, p.t());
        }));
      } else {
        out.writeByteArray(4, histogram(p.histogram(), p.integer(), p.t()));
      }
    });
    return message(out -> out.writeByteArray(1, series));
  }

  private static byte[] histogram(FloatHistogram h, boolean integer, long t) throws IOException {
    return message(out -> {
      if (integer) {
        out.writeUInt64(1, (long) h.count);
      } else {
        out.writeDouble(2, h.count);
      }
      out.writeDouble(3, h.sum);
      out.writeSInt32(4, h.schema);
      out.writeDouble(5, h.zeroThreshold);
      if (integer) {
        out.writeUInt64(6, (long) h.zeroCount);
      } else {
        out.writeDouble(7, h.zeroCount);
      }
      spans(out, 8, h.negativeSpans);
      buckets(out, integer ? 9 : 10, h.negativeBuckets, integer);
      spans(out, 11, h.positiveSpans);
      buckets(out, integer ? 12 : 13, h.positiveBuckets, integer);
      out.writeEnum(14, h.counterResetHint.code());
      out.writeInt64(15, t);
      for (double v : h.customValues) {
        out.writeDouble(16, v);
      }
    });
  }

  private static void spans(CodedOutputStream out, int field, int[] spans) throws IOException {
    for (int i = 0; i + 1 < spans.length; i += 2) {
      int offset = spans[i];
      int length = spans[i + 1];
      out.writeByteArray(field, message(s -> {
        s.writeSInt32(1, offset);
        s.writeUInt32(2, length);
      }));
    }
  }

  private static void buckets(CodedOutputStream out, int field, double[] counts, boolean deltas)
      throws IOException {
    long previous = 0;
    for (double c : counts) {
      if (deltas) {
        out.writeSInt64(field, (long) c - previous);
        previous = (long) c;
      } else {
        out.writeDouble(field, c);
      }
    }
  }

  private interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Body body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    body.write(out);
    out.flush();
    return bytes.toByteArray();
  }
}
