package dev.tsdb.wal.record;

import dev.tsdb.index.format.EncodeBuffer;

/**
 * Filters native-histogram sample records (types 7-10, Prometheus's V1 layout) by timestamp
 * without decoding the histograms: kept entries' bodies are copied byte for byte and only the
 * base ref/timestamp deltas are rewritten. Lets a checkpoint keep histogram data cheaply.
 *
 * <pre>
 * type | baseRef BE64 | baseT BE64 | (dref varint, dt varint, histogram)*
 * </pre>
 * (histogram bodies: {@link HistogramBodies}). Copying instead of decoding and re-encoding
 * through {@link RecordDecoder}/{@link RecordEncoder} keeps the filter allocation-free and the
 * kept bodies byte-identical: the bytes Prometheus's checkpoint writes when it re-encodes the
 * kept entries (every entry of a record is of the record's kind, so the first kept one becomes
 * the base either way).
 * Not thread-safe.
 */
public final class HistogramRecordFilter {
  private final Decbuf dec = new Decbuf();
  private int total;
  private int kept;

  /**
   * Writes into {@code out} the record with only entries at or after {@code mint}; {@code out}
   * is left empty when nothing is kept.
   */
  public void filter(byte[] rec, int len, long mint, EncodeBuffer out) {
    out.reset();
    total = 0;
    kept = 0;
    dec.reset(rec, 0, len);
    int type = dec.readByte();
    boolean isFloat;
    if (type == RecordType.HISTOGRAM_SAMPLES || type == RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES) {
      isFloat = false;
    } else if (type == RecordType.FLOAT_HISTOGRAM_SAMPLES
        || type == RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES) {
      isFloat = true;
    } else {
      throw new RecordFormatException("not a V1 histogram record: type " + type);
    }
    if (!dec.hasRemaining()) {
      return;
    }
    long baseRef = dec.be64();
    long baseT = dec.be64();
    long newBaseRef = 0;
    long newBaseT = 0;
    out.putByte(type);
    out.putBE64(0); // base ref and time, filled in once the first kept entry is known
    out.putBE64(0);
    while (dec.hasRemaining()) {
      long ref = baseRef + dec.varint();
      long t = baseT + dec.varint();
      int bodyStart = dec.pos;
      HistogramBodies.skip(dec, isFloat);
      total++;
      if (t >= mint) {
        if (kept == 0) {
          newBaseRef = ref;
          newBaseT = t;
          out.setBE64(1, ref);
          out.setBE64(9, t);
        }
        out.putVarint(ref - newBaseRef);
        out.putVarint(t - newBaseT);
        out.putBytes(rec, bodyStart, dec.pos - bodyStart);
        kept++;
      }
    }
    if (kept == 0) {
      out.reset();
    }
  }

  /** Histogram entries in the last filtered record. */
  public int total() {
    return total;
  }

  /** Entries kept by the last {@link #filter} call. */
  public int kept() {
    return kept;
  }

  /** Number of histogram samples in a V1 histogram record (validates its structure). */
  public int count(byte[] rec, int len) {
    filter(rec, len, Long.MAX_VALUE, scratch());
    return total;
  }

  private EncodeBuffer scratch;

  private EncodeBuffer scratch() {
    if (scratch == null) {
      scratch = new EncodeBuffer(64);
    }
    return scratch;
  }
}
