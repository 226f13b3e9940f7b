package dev.tsdb.bench.gen;

import com.google.protobuf.CodedOutputStream;
import io.airlift.compress.snappy.SnappyCompressor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Encodes remote-write 1.0 requests of fleet samples, as Prometheus's queue manager sends them:
 * a snappy block-compressed protobuf {@code WriteRequest} whose {@code TimeSeries} each carry the
 * full label set and one sample.
 *
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }   // timestamp in ms
 * </pre>
 *
 * The label part of each TimeSeries is encoded once per series and copied into every request.
 * Thread-safe after construction (compressors are per thread).
 */
public final class WriteRequestEncoder {
  private final Fleet fleet;
  /** Per series: the encoded {@code labels} fields of its TimeSeries message. */
  private final byte[][] labelFields;
  private final ThreadLocal<SnappyCompressor> snappy =
      ThreadLocal.withInitial(SnappyCompressor::new);

  public WriteRequestEncoder(Fleet fleet) {
    this.fleet = fleet;
    this.labelFields = new byte[fleet.seriesCount()][];
    for (int i = 0; i < labelFields.length; i++) {
      labelFields[i] = encodeLabels(fleet.labels(i));
    }
  }

  private static byte[] encodeLabels(String[] pairs) {
    int size = 0;
    for (int i = 0; i < pairs.length; i += 2) {
      int label = labelSize(pairs[i], pairs[i + 1]);
      size += 1 + CodedOutputStream.computeUInt32SizeNoTag(label) + label;
    }
    byte[] out = new byte[size];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      for (int i = 0; i < pairs.length; i += 2) {
        o.writeTag(1, 2);
        o.writeUInt32NoTag(labelSize(pairs[i], pairs[i + 1]));
        o.writeString(1, pairs[i]);
        o.writeString(2, pairs[i + 1]);
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static int labelSize(String name, String value) {
    return CodedOutputStream.computeStringSize(1, name)
        + CodedOutputStream.computeStringSize(2, value);
  }

  /** The uncompressed WriteRequest with one sample of round {@code round} per listed series. */
  public byte[] encode(int[] series, int from, int to, int round) {
    int total = 0;
    for (int k = from; k < to; k++) {
      int body = timeSeriesSize(series[k], round);
      total += 1 + CodedOutputStream.computeUInt32SizeNoTag(body) + body;
    }
    byte[] out = new byte[total];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      for (int k = from; k < to; k++) {
        int s = series[k];
        long t = fleet.timestampMs(s, round);
        o.writeTag(1, 2);
        o.writeUInt32NoTag(timeSeriesSize(s, round));
        o.writeRawBytes(labelFields[s]);
        o.writeTag(2, 2);
        o.writeUInt32NoTag(sampleSize(t));
        o.writeDouble(1, fleet.value(s, round));
        o.writeInt64(2, t);
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private int timeSeriesSize(int series, int round) {
    int sample = sampleSize(fleet.timestampMs(series, round));
    return labelFields[series].length + 1 + CodedOutputStream.computeUInt32SizeNoTag(sample)
        + sample;
  }

  private static int sampleSize(long timestampMs) {
    return CodedOutputStream.computeDoubleSize(1, 0) + CodedOutputStream.computeInt64Size(2,
        timestampMs);
  }

  /** Snappy block format (not framed), as remote write requires. */
  public byte[] compress(byte[] raw) {
    SnappyCompressor c = snappy.get();
    byte[] out = new byte[c.maxCompressedLength(raw.length)];
    int n = c.compress(raw, 0, raw.length, out, 0, out.length);
    return Arrays.copyOf(out, n);
  }
}
