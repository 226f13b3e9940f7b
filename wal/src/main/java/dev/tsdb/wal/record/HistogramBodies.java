package dev.tsdb.wal.record;

import dev.tsdb.index.format.EncodeBuffer;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;

/**
 * One histogram inside a WAL histogram record (Prometheus's V1 record layout), the part after
 * each entry's ref/time deltas:
 * <pre>
 * int histogram:   hint 1B, schema varint, zeroThreshold 8B, zeroCount uvarint, count uvarint,
 *                  sum 8B, posSpans, negSpans, posBuckets (n uvarint, delta varint*n), negBuckets
 * float histogram: hint 1B, schema varint, zeroThreshold 8B, zeroCount 8B, count 8B, sum 8B,
 *                  posSpans, negSpans, posBuckets (n uvarint, count 8B*n), negBuckets
 * spans:           n uvarint, (offset varint, length uvarint)*n
 * schema -53 only: customValues (n uvarint, 8B*n)
 * </pre>
 * 8B fields are IEEE-754 bits, big-endian, NaN payloads kept. Decoding refills the given
 * histogram and reuses its arrays when the lengths match, so replaying same-shaped histograms
 * into one object does not allocate.
 */
final class HistogramBodies {
  private static final int[] NO_SPANS = {};
  private static final long[] NO_DELTAS = {};
  private static final double[] NO_VALUES = {};
  private static final long MAX_UINT32 = 0xFFFF_FFFFL;

  private HistogramBodies() {}

  static void put(Histogram h, EncodeBuffer out) {
    out.putByte(h.counterResetHint.code());
    out.putVarint(h.schema);
    out.putBE64(Double.doubleToRawLongBits(h.zeroThreshold));
    out.putUvarint(h.zeroCount);
    out.putUvarint(h.count);
    out.putBE64(Double.doubleToRawLongBits(h.sum));
    putSpans(h.positiveSpans, out);
    putSpans(h.negativeSpans, out);
    putDeltas(h.positiveBuckets, out);
    putDeltas(h.negativeBuckets, out);
    if (h.usesCustomBuckets()) {
      putFloats(h.customValues, out);
    }
  }

  static void put(FloatHistogram h, EncodeBuffer out) {
    out.putByte(h.counterResetHint.code());
    out.putVarint(h.schema);
    out.putBE64(Double.doubleToRawLongBits(h.zeroThreshold));
    out.putBE64(Double.doubleToRawLongBits(h.zeroCount));
    out.putBE64(Double.doubleToRawLongBits(h.count));
    out.putBE64(Double.doubleToRawLongBits(h.sum));
    putSpans(h.positiveSpans, out);
    putSpans(h.negativeSpans, out);
    putFloats(h.positiveBuckets, out);
    putFloats(h.negativeBuckets, out);
    if (h.usesCustomBuckets()) {
      putFloats(h.customValues, out);
    }
  }

  static void read(Decbuf d, Histogram h) {
    h.counterResetHint = CounterResetHint.of(d.readByte());
    h.schema = (int) d.varint(); // an int32 in Prometheus
    h.zeroThreshold = Double.longBitsToDouble(d.be64());
    h.zeroCount = d.uvarint();
    h.count = d.uvarint();
    h.sum = Double.longBitsToDouble(d.be64());
    h.positiveSpans = readSpans(d, h.positiveSpans);
    h.negativeSpans = readSpans(d, h.negativeSpans);
    h.positiveBuckets = readDeltas(d, h.positiveBuckets);
    h.negativeBuckets = readDeltas(d, h.negativeBuckets);
    h.customValues = h.usesCustomBuckets() ? readFloats(d, h.customValues) : NO_VALUES;
  }

  static void read(Decbuf d, FloatHistogram h) {
    h.counterResetHint = CounterResetHint.of(d.readByte());
    h.schema = (int) d.varint();
    h.zeroThreshold = Double.longBitsToDouble(d.be64());
    h.zeroCount = Double.longBitsToDouble(d.be64());
    h.count = Double.longBitsToDouble(d.be64());
    h.sum = Double.longBitsToDouble(d.be64());
    h.positiveSpans = readSpans(d, h.positiveSpans);
    h.negativeSpans = readSpans(d, h.negativeSpans);
    h.positiveBuckets = readFloats(d, h.positiveBuckets);
    h.negativeBuckets = readFloats(d, h.negativeBuckets);
    h.customValues = h.usesCustomBuckets() ? readFloats(d, h.customValues) : NO_VALUES;
  }

  /** Moves the cursor past one histogram, validating its structure without decoding it. */
  static void skip(Decbuf d, boolean isFloat) {
    d.readByte(); // counter reset hint
    long schema = d.varint();
    d.skip(8); // zero threshold
    if (isFloat) {
      d.skip(24); // zero count, count, sum
    } else {
      d.uvarint();
      d.uvarint();
      d.skip(8);
    }
    for (int side = 0; side < 2; side++) { // positive, negative spans
      int n = d.uvarintLen();
      for (int i = 0; i < n; i++) {
        d.varint();
        spanLength(d);
      }
    }
    for (int side = 0; side < 2; side++) { // positive, negative buckets
      int n = d.uvarintLen();
      if (isFloat) {
        skipFloats(d, n);
      } else {
        for (int i = 0; i < n; i++) {
          d.varint();
        }
      }
    }
    if (schema == Histogram.CUSTOM_BUCKETS_SCHEMA) {
      skipFloats(d, d.uvarintLen());
    }
  }

  private static void putSpans(int[] spans, EncodeBuffer out) {
    out.putUvarint(spans.length / 2);
    for (int i = 0; i < spans.length; i += 2) {
      out.putVarint(spans[i]);
      out.putUvarint(Integer.toUnsignedLong(spans[i + 1])); // a uint32 in Prometheus
    }
  }

  private static void putDeltas(long[] deltas, EncodeBuffer out) {
    out.putUvarint(deltas.length);
    for (long v : deltas) {
      out.putVarint(v);
    }
  }

  private static void putFloats(double[] values, EncodeBuffer out) {
    out.putUvarint(values.length);
    out.ensureSpare(values.length * 8);
    for (double v : values) {
      out.putBE64(Double.doubleToRawLongBits(v));
    }
  }

  private static int[] readSpans(Decbuf d, int[] reuse) {
    int n = d.uvarintLen();
    if (n > d.remaining() / 2) { // at least two bytes a span
      throw new RecordFormatException("span count " + n + " exceeds the record");
    }
    int[] spans = n == 0 ? NO_SPANS : reuse.length == 2 * n ? reuse : new int[2 * n];
    for (int i = 0; i < spans.length; i += 2) {
      spans[i] = (int) d.varint();
      spans[i + 1] = spanLength(d);
    }
    return spans;
  }

  private static int spanLength(Decbuf d) {
    long len = d.uvarint();
    if (len < 0 || len > MAX_UINT32) {
      throw new RecordFormatException(
          "span length " + Long.toUnsignedString(len) + " overflows uint32");
    }
    return (int) len;
  }

  private static long[] readDeltas(Decbuf d, long[] reuse) {
    int n = d.uvarintLen();
    if (n > d.remaining()) { // at least one byte a delta
      throw new RecordFormatException("bucket count " + n + " exceeds the record");
    }
    long[] deltas = n == 0 ? NO_DELTAS : reuse.length == n ? reuse : new long[n];
    for (int i = 0; i < n; i++) {
      deltas[i] = d.varint();
    }
    return deltas;
  }

  private static double[] readFloats(Decbuf d, double[] reuse) {
    int n = d.uvarintLen();
    if (n > d.remaining() / 8) {
      throw new RecordFormatException("value count " + n + " exceeds the record");
    }
    double[] values = n == 0 ? NO_VALUES : reuse.length == n ? reuse : new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = Double.longBitsToDouble(d.be64());
    }
    return values;
  }

  private static void skipFloats(Decbuf d, int n) {
    if (n > d.remaining() / 8) {
      throw new RecordFormatException("value count " + n + " exceeds the record");
    }
    d.skip(n * 8);
  }
}
