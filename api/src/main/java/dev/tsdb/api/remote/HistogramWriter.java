package dev.tsdb.api.remote;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import java.io.IOException;

/**
 * Writes a native histogram sample as a {@code prometheus.Histogram} message (the layout
 * {@link HistogramReader} documents), as Prometheus's prompb FromIntHistogram /
 * FromFloatHistogram do: an integer histogram with {@code count_int}, {@code zero_count_int} and
 * delta-encoded buckets, a float one with {@code count_float}, {@code zero_count_float} and
 * absolute counts. Repeated numbers are packed; fields at their zero value are left out, except
 * the oneof members, which are always written (so a reader can tell the kind).
 */
final class HistogramWriter {
  private HistogramWriter() {}

  /** The encoded message of an integer histogram at {@code t}. */
  static byte[] encode(Histogram h, long t) throws IOException {
    return encode(h.count, 0, h.zeroCount, 0, true, h.sum, h.schema, h.zeroThreshold,
        h.negativeSpans, h.negativeBuckets, null, h.positiveSpans, h.positiveBuckets, null,
        h.counterResetHint.code(), t, h.customValues);
  }

  /** The encoded message of a float histogram at {@code t}. */
  static byte[] encode(FloatHistogram h, long t) throws IOException {
    return encode(0, h.count, 0, h.zeroCount, false, h.sum, h.schema, h.zeroThreshold,
        h.negativeSpans, null, h.negativeBuckets, h.positiveSpans, null, h.positiveBuckets,
        h.counterResetHint.code(), t, h.customValues);
  }

  private static byte[] encode(long countInt, double countFloat, long zeroInt, double zeroFloat,
      boolean integer, double sum, int schema, double zeroThreshold, int[] negativeSpans,
      long[] negativeDeltas, double[] negativeCounts, int[] positiveSpans, long[] positiveDeltas,
      double[] positiveCounts, int hint, long t, double[] customValues) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(64);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    if (integer) {
      out.writeUInt64(1, countInt);
    } else {
      out.writeDouble(2, countFloat);
    }
    if (sum != 0 || Double.doubleToRawLongBits(sum) != 0) {
      out.writeDouble(3, sum);
    }
    if (schema != 0) {
      out.writeSInt32(4, schema);
    }
    if (Double.doubleToRawLongBits(zeroThreshold) != 0) {
      out.writeDouble(5, zeroThreshold);
    }
    if (integer) {
      out.writeUInt64(6, zeroInt);
    } else {
      out.writeDouble(7, zeroFloat);
    }
    spans(out, 8, negativeSpans);
    if (integer) {
      deltas(out, 9, negativeDeltas);
    } else {
      doubles(out, 10, negativeCounts);
    }
    spans(out, 11, positiveSpans);
    if (integer) {
      deltas(out, 12, positiveDeltas);
    } else {
      doubles(out, 13, positiveCounts);
    }
    if (hint != 0) {
      out.writeEnum(14, hint);
    }
    if (t != 0) {
      out.writeInt64(15, t);
    }
    doubles(out, 16, customValues);
    out.flush();
    return bytes.toByteArray();
  }

  /** Spans are (offset, length) pairs; each becomes a BucketSpan message. */
  private static void spans(CodedOutputStream out, int field, int[] spans) throws IOException {
    for (int i = 0; i + 1 < spans.length; i += 2) {
      int offset = spans[i];
      int length = spans[i + 1];
      int size = (offset != 0 ? CodedOutputStream.computeSInt32Size(1, offset) : 0)
          + (length != 0 ? CodedOutputStream.computeUInt32Size(2, length) : 0);
      out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(size);
      if (offset != 0) {
        out.writeSInt32(1, offset);
      }
      if (length != 0) {
        out.writeUInt32(2, length);
      }
    }
  }

  private static void deltas(CodedOutputStream out, int field, long[] values) throws IOException {
    if (values.length == 0) {
      return;
    }
    int size = 0;
    for (long v : values) {
      size += CodedOutputStream.computeSInt64SizeNoTag(v);
    }
    out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(size);
    for (long v : values) {
      out.writeSInt64NoTag(v);
    }
  }

  private static void doubles(CodedOutputStream out, int field, double[] values)
      throws IOException {
    if (values.length == 0) {
      return;
    }
    out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(8 * values.length);
    for (double v : values) {
      out.writeDoubleNoTag(v);
    }
  }
}
