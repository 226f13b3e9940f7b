package dev.tsdb.wal;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A remote-write 1.0 WriteRequest (prometheus.WriteRequest protobuf, uncompressed) carrying
 * native histograms, hand-encoded: the wal module has no protobuf dependency. Field numbers
 * from prompb/types.proto: TimeSeries{labels=1, histograms=4}; Histogram{count_int=1,
 * count_float=2, sum=3, schema=4 (sint32), zero_threshold=5, zero_count_int=6,
 * zero_count_float=7, negative_spans=8, negative_deltas=9 (packed sint64), negative_counts=10
 * (packed double), positive_spans=11, positive_deltas=12, positive_counts=13, reset_hint=14,
 * timestamp=15, custom_values=16}; BucketSpan{offset=1 (sint32), length=2}.
 */
final class HistogramWriteRequest {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LEN = 2;

  private final ByteArrayOutputStream request = new ByteArrayOutputStream();
  private ByteArrayOutputStream series;

  /** Starts the next TimeSeries. */
  HistogramWriteRequest series(Labels labels) {
    finishSeries();
    series = new ByteArrayOutputStream();
    labels.forEach((n, v) -> {
      ByteArrayOutputStream l = new ByteArrayOutputStream();
      bytes(l, 1, n.getBytes(StandardCharsets.UTF_8));
      bytes(l, 2, v.getBytes(StandardCharsets.UTF_8));
      bytes(series, 1, l.toByteArray());
    });
    return this;
  }

  HistogramWriteRequest add(long t, Histogram h) {
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    tag(m, 1, VARINT);
    uvarint(m, h.count);
    fixed64(m, 3, h.sum);
    tag(m, 4, VARINT);
    uvarint(m, Integer.toUnsignedLong((h.schema << 1) ^ (h.schema >> 31)));
    fixed64(m, 5, h.zeroThreshold);
    tag(m, 6, VARINT);
    uvarint(m, h.zeroCount);
    spans(m, 8, h.negativeSpans);
    deltas(m, 9, h.negativeBuckets);
    spans(m, 11, h.positiveSpans);
    deltas(m, 12, h.positiveBuckets);
    trailer(m, t, h.counterResetHint.code(), h.customValues);
    bytes(series, 4, m.toByteArray());
    return this;
  }

  HistogramWriteRequest add(long t, FloatHistogram h) {
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    fixed64(m, 2, h.count); // always written: count_float is what marks a float histogram
    fixed64(m, 3, h.sum);
    tag(m, 4, VARINT);
    uvarint(m, Integer.toUnsignedLong((h.schema << 1) ^ (h.schema >> 31)));
    fixed64(m, 5, h.zeroThreshold);
    fixed64(m, 7, h.zeroCount);
    spans(m, 8, h.negativeSpans);
    doubles(m, 10, h.negativeBuckets);
    spans(m, 11, h.positiveSpans);
    doubles(m, 13, h.positiveBuckets);
    trailer(m, t, h.counterResetHint.code(), h.customValues);
    bytes(series, 4, m.toByteArray());
    return this;
  }

  byte[] toByteArray() {
    finishSeries();
    return request.toByteArray();
  }

  private void finishSeries() {
    if (series != null) {
      bytes(request, 1, series.toByteArray());
      series = null;
    }
  }

  private static void trailer(ByteArrayOutputStream m, long t, int hint, double[] customValues) {
    tag(m, 14, VARINT);
    uvarint(m, hint);
    tag(m, 15, VARINT);
    uvarint(m, t);
    doubles(m, 16, customValues);
  }

  private static void spans(ByteArrayOutputStream m, int field, int[] spans) {
    for (int i = 0; i < spans.length; i += 2) {
      ByteArrayOutputStream s = new ByteArrayOutputStream();
      tag(s, 1, VARINT);
      uvarint(s, Integer.toUnsignedLong((spans[i] << 1) ^ (spans[i] >> 31)));
      tag(s, 2, VARINT);
      uvarint(s, Integer.toUnsignedLong(spans[i + 1]));
      bytes(m, field, s.toByteArray());
    }
  }

  private static void deltas(ByteArrayOutputStream m, int field, long[] deltas) {
    if (deltas.length == 0) {
      return;
    }
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    for (long d : deltas) {
      uvarint(p, (d << 1) ^ (d >> 63));
    }
    bytes(m, field, p.toByteArray());
  }

  private static void doubles(ByteArrayOutputStream m, int field, double[] values) {
    if (values.length == 0) {
      return;
    }
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    for (double v : values) {
      littleEndian64(p, Double.doubleToRawLongBits(v));
    }
    bytes(m, field, p.toByteArray());
  }

  private static void fixed64(ByteArrayOutputStream m, int field, double v) {
    tag(m, field, FIXED64);
    littleEndian64(m, Double.doubleToRawLongBits(v));
  }

  private static void bytes(ByteArrayOutputStream m, int field, byte[] b) {
    tag(m, field, LEN);
    uvarint(m, b.length);
    m.writeBytes(b);
  }

  private static void tag(ByteArrayOutputStream m, int field, int wireType) {
    uvarint(m, (long) field << 3 | wireType);
  }

  private static void uvarint(ByteArrayOutputStream m, long v) {
    while ((v & ~0x7FL) != 0) {
      m.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    m.write((int) v);
  }

  private static void littleEndian64(ByteArrayOutputStream m, long v) {
    for (int i = 0; i < 8; i++) {
      m.write((int) (v >>> (8 * i)));
    }
  }
}
