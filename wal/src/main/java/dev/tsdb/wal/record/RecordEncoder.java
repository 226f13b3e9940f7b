package dev.tsdb.wal.record;

import dev.tsdb.index.format.EncodeBuffer;
import dev.tsdb.index.labels.Labels;

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
 * labels       n uvarint | (len uvarint, utf8 bytes)*2n   (name, value, name, value, ...)
 * </pre>
 * An empty samples/exemplars batch is the bare type byte, as in Prometheus.
 */
public final class RecordEncoder {
  private static final String UNIT = "UNIT";
  private static final String HELP = "HELP";

  private RecordEncoder() {}

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
    out.reset();
    out.putByte(RecordType.EXEMPLARS);
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

  static void labels(Labels lset, EncodeBuffer out) {
    int n = lset.size();
    out.putUvarint(n);
    for (int i = 0; i < n; i++) {
      out.putUvarintStr(lset.name(i));
      out.putUvarintStr(lset.value(i));
    }
  }
}
