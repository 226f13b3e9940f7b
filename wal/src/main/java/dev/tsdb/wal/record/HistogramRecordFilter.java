package dev.tsdb.wal.record;

import dev.tsdb.index.format.EncodeBuffer;

/**
 * Filters native-histogram sample records (types 7-10, Prometheus's V1 layout) by timestamp
 * without decoding the histograms: kept entries' bodies are copied byte for byte and only the
 * base ref/timestamp deltas are rewritten. Lets a checkpoint keep histogram data written by
 * Prometheus although our head does not ingest histograms yet.
 *
 * <pre>
 * type | baseRef BE64 | baseT BE64 | (dref varint, dt varint, histogram)*
 * int histogram:   hint 1B, schema varint, zeroThreshold 8B, zeroCount uvarint, count uvarint,
 *                  sum 8B, posSpans, negSpans, posBuckets (n, varint*n), negBuckets
 * float histogram: hint 1B, schema varint, zeroThreshold 8B, zeroCount 8B, count 8B, sum 8B,
 *                  posSpans, negSpans, posBuckets (n, 8B*n), negBuckets
 * spans: n uvarint, (offset varint, length uvarint)*n;  schema -53 adds (n uvarint, 8B*n)
 * </pre>
 * Not thread-safe.
 */
public final class HistogramRecordFilter {
  private static final int CUSTOM_BUCKETS_SCHEMA = -53;

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
      skipHistogram(isFloat);
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

  private void skipHistogram(boolean isFloat) {
    dec.readByte(); // counter reset hint
    long schema = dec.varint();
    dec.skip(8); // zero threshold
    if (isFloat) {
      dec.skip(24); // zero count, count, sum
    } else {
      dec.uvarint();
      dec.uvarint();
      dec.skip(8);
    }
    for (int s = 0; s < 2; s++) { // positive, negative spans
      int n = dec.uvarintLen();
      for (int i = 0; i < n; i++) {
        dec.varint();
        dec.uvarint();
      }
    }
    for (int s = 0; s < 2; s++) { // positive, negative buckets
      int n = dec.uvarintLen();
      if (isFloat) {
        if (n > dec.remaining() / 8) {
          throw new RecordFormatException("bucket count " + n + " exceeds the record");
        }
        dec.skip(n * 8);
      } else {
        for (int i = 0; i < n; i++) {
          dec.varint();
        }
      }
    }
    if (schema == CUSTOM_BUCKETS_SCHEMA) {
      int n = dec.uvarintLen();
      if (n > dec.remaining() / 8) {
        throw new RecordFormatException("custom value count " + n + " exceeds the record");
      }
      dec.skip(n * 8);
    }
  }
}
