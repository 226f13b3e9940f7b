package dev.tsdb.wal.record;

import dev.tsdb.index.format.EncodeBuffer;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import java.io.IOException;
import java.util.function.BiConsumer;

/**
 * Encodes WAL records exactly as Prometheus's tsdb/record Encoder (V1 sample layout), so a WAL
 * we write can be replayed by Prometheus and vice versa.
 *
 * <p>Every method clears {@code out} and writes exactly one record into it (type byte first);
 * hand {@code out} to {@code Wal.log}/{@code Wal.append} afterwards. Nothing is allocated once
 * {@code out} has grown to the record size. Layouts (BE = big-endian, varint = zig-zag):
 * <pre>
 * series     1 | (ref BE64, labels)*
 * samples    2 | baseRef BE64, baseT BE64 | (ref-baseRef varint, t-baseT varint, value bits BE64)*
 * tombstones 3 | (ref BE64, mint varint, maxt varint)*
 * exemplars  4 | baseRef BE64, baseT BE64 | (dref varint, dt varint, value BE64, labels)*
 * metadata   6 | (ref uvarint, type byte, nfields uvarint=2, "UNIT" unit "HELP" help)*
 * histograms 7..10 | baseRef BE64, baseT BE64 | (ref-baseRef varint, t-baseT varint, body)*
 * labels       n uvarint | (len uvarint, utf8 bytes)*2n   (name, value, name, value, ...)
 * </pre>
 * An empty samples/exemplars/histogram batch is the bare type byte, as in Prometheus. Histogram
 * bodies are described in {@link HistogramBodies}.
 */
public final class RecordEncoder {
  private static final String UNIT = "UNIT";
  private static final String HELP = "HELP";

  private RecordEncoder() {}

  /** Where {@link #histogramRecords} puts each record it encodes, e.g. {@code wal::log}. */
  @FunctionalInterface
  public interface Sink {
    void write(EncodeBuffer rec) throws IOException;
  }

  public static void series(SeriesBatch batch, EncodeBuffer out) {
    out.reset();
    out.putByte(RecordType.SERIES);
    for (int i = 0; i < batch.size; i++) {
      out.putBE64(batch.refs[i]);
      labels(batch.labels[i], out);
    }
  }

  /** A Series record holding one series. */
  public static void series(long ref, Labels lset, EncodeBuffer out) {
    out.reset();
    out.putByte(RecordType.SERIES);
    out.putBE64(ref);
    labels(lset, out);
  }

  public static void samples(SampleBatch batch, EncodeBuffer out) {
    samples(batch.refs, batch.ts, batch.vs, 0, batch.size, out);
  }

  /** A Samples record of entries {@code [from, to)} of the parallel arrays. */
  public static void samples(long[] refs, long[] ts, double[] vs, int from, int to, EncodeBuffer out) {
    out.reset();
    out.putByte(RecordType.SAMPLES);
    if (from >= to) {
      return;
    }
    long baseRef = refs[from];
    long baseT = ts[from];
    out.ensureSpare(16 + (to - from) * 28); // worst case per sample: 10 + 10 + 8
    out.putBE64(baseRef);
    out.putBE64(baseT);
    for (int i = from; i < to; i++) {
      out.putVarint(refs[i] - baseRef);
      out.putVarint(ts[i] - baseT);
      out.putBE64(Double.doubleToRawLongBits(vs[i]));
    }
  }

  public static void tombstones(TombstoneBatch batch, EncodeBuffer out) {
    out.reset();
    out.putByte(RecordType.TOMBSTONES);
    for (int i = 0; i < batch.size; i++) {
      out.putBE64(batch.refs[i]);
      out.putVarint(batch.mints[i]);
      out.putVarint(batch.maxts[i]);
    }
  }

  public static void exemplars(ExemplarBatch batch, EncodeBuffer out) {
    exemplars(batch, RecordType.EXEMPLARS, out);
  }

  /** An exemplars body behind type byte {@code type} (the chunk snapshot reuses the layout). */
  static void exemplars(ExemplarBatch batch, byte type, EncodeBuffer out) {
    out.reset();
    out.putByte(type);
    if (batch.size == 0) {
      return;
    }
    long baseRef = batch.refs[0];
    long baseT = batch.ts[0];
    out.putBE64(baseRef);
    out.putBE64(baseT);
    for (int i = 0; i < batch.size; i++) {
      out.putVarint(batch.refs[i] - baseRef);
      out.putVarint(batch.ts[i] - baseT);
      out.putBE64(Double.doubleToRawLongBits(batch.vs[i]));
      labels(batch.labels[i], out);
    }
  }

  public static void metadata(MetadataBatch batch, EncodeBuffer out) {
    out.reset();
    out.putByte(RecordType.METADATA);
    for (int i = 0; i < batch.size; i++) {
      out.putUvarint(batch.refs[i]);
      out.putByte(batch.types[i]);
      out.putUvarint(2);
      out.putUvarintStr(UNIT);
      out.putUvarintStr(batch.units[i]);
      out.putUvarintStr(HELP);
      out.putUvarintStr(batch.helps[i]);
    }
  }

  // ---- native histograms ---------------------------------------------------------------------
  //
  // Prometheus (3.x, V1 records) logs one batch of integer histograms as two records: type 7
  // with the exponential-schema samples, then type 9 with the custom-bucket (schema -53) ones.
  // Quirk kept for byte-exactness: type 7 takes its base ref/time from the batch's first sample
  // even when that one is a custom-bucket sample and thus not in the record; type 7 is not
  // written at all when every sample uses custom buckets. Float histograms: types 8 and 10 alike.

  /**
   * Writes the batch the way Prometheus's head logs it: {@link #histograms} (unless it came out
   * empty), then {@link #customBucketsHistograms} if the batch has custom-bucket samples.
   * Returns the number of records written.
   */
  public static int histogramRecords(HistogramBatch batch, EncodeBuffer buf, Sink sink)
      throws IOException {
    return records(batch, RecordType.HISTOGRAM_SAMPLES, RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES,
        INT_BODY, buf, sink);
  }

  /** {@link #histogramRecords} for float histograms (records of type 8, then 10). */
  public static int floatHistogramRecords(FloatHistogramBatch batch, EncodeBuffer buf, Sink sink)
      throws IOException {
    return records(batch, RecordType.FLOAT_HISTOGRAM_SAMPLES,
        RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES, FLOAT_BODY, buf, sink);
  }

  /**
   * A HistogramSamples record (type 7) of the batch's exponential-schema samples, based on the
   * batch's first sample. Leaves {@code out} empty (nothing to log) when the batch is not empty
   * but every sample uses custom buckets.
   */
  public static void histograms(HistogramBatch batch, EncodeBuffer out) {
    histogramRecord(batch, RecordType.HISTOGRAM_SAMPLES, false, INT_BODY, out);
  }

  /**
   * A CustomBucketsHistogramSamples record (type 9) of the batch's custom-bucket samples, based
   * on the first of them. Leaves {@code out} empty when the batch has none (but is not empty).
   */
  public static void customBucketsHistograms(HistogramBatch batch, EncodeBuffer out) {
    histogramRecord(batch, RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES, true, INT_BODY, out);
  }

  /** A FloatHistogramSamples record (type 8), see {@link #histograms}. */
  public static void floatHistograms(FloatHistogramBatch batch, EncodeBuffer out) {
    histogramRecord(batch, RecordType.FLOAT_HISTOGRAM_SAMPLES, false, FLOAT_BODY, out);
  }

  /**
   * A CustomBucketsFloatHistogramSamples record (type 10), see {@link #customBucketsHistograms}.
   */
  public static void customBucketsFloatHistograms(FloatHistogramBatch batch, EncodeBuffer out) {
    histogramRecord(batch, RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES, true, FLOAT_BODY,
        out);
  }

  private static final BiConsumer<Histogram, EncodeBuffer> INT_BODY = HistogramBodies::put;
  private static final BiConsumer<FloatHistogram, EncodeBuffer> FLOAT_BODY = HistogramBodies::put;

  private static <H> int records(HistogramSampleBatch<H> batch, byte type, byte customType,
      BiConsumer<H, EncodeBuffer> body, EncodeBuffer buf, Sink sink) throws IOException {
    int written = 0;
    histogramRecord(batch, type, false, body, buf);
    if (buf.length() > 0) {
      sink.write(buf);
      written++;
    }
    if (batch.hasCustomBuckets()) {
      histogramRecord(batch, customType, true, body, buf);
      sink.write(buf);
      written++;
    }
    return written;
  }

  /**
   * The samples of one kind (custom buckets or not) as a record of {@code type}: based on the
   * batch's first sample for exponential records, on the first custom-bucket one otherwise.
   */
  private static <H> void histogramRecord(HistogramSampleBatch<H> batch, byte type,
      boolean custom, BiConsumer<H, EncodeBuffer> body, EncodeBuffer out) {
    out.reset();
    if (batch.size == 0) {
      out.putByte(type);
      return;
    }
    int base = 0;
    if (custom) {
      while (base < batch.size && !batch.usesCustomBuckets(batch.histograms[base])) {
        base++;
      }
      if (base == batch.size) {
        return;
      }
    }
    out.putByte(type);
    out.putBE64(batch.refs[base]);
    out.putBE64(batch.ts[base]);
    int n = 0;
    for (int i = base; i < batch.size; i++) {
      H h = batch.histograms[i];
      if (batch.usesCustomBuckets(h) == custom) {
        out.putVarint(batch.refs[i] - batch.refs[base]);
        out.putVarint(batch.ts[i] - batch.ts[base]);
        body.accept(h, out);
        n++;
      }
    }
    if (n == 0) {
      out.reset();
    }
  }

  static void labels(Labels lset, EncodeBuffer out) {
    int n = lset.size();
    out.putUvarint(n);
    for (int i = 0; i < n; i++) {
      out.putUvarintStr(lset.name(i));
      out.putUvarintStr(lset.value(i));
    }
  }
}
