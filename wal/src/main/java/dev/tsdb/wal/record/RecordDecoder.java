package dev.tsdb.wal.record;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import java.util.function.BiConsumer;

/**
 * Decodes WAL records (see {@link RecordEncoder} for the layouts) into reusable batches. Each
 * method clears its target batch first and throws {@link RecordFormatException} when the payload
 * is malformed (which replay treats like corruption at that record).
 *
 * <p>Not thread-safe: holds a reusable cursor. Use one decoder per replay thread.
 */
public final class RecordDecoder {
  private final StringInterner interner;
  private final Decbuf dec = new Decbuf();
  private final LabelsBuilder fallbackBuilder = new LabelsBuilder();

  public RecordDecoder() {
    this(StringInterner.NONE);
  }

  public RecordDecoder(StringInterner interner) {
    this.interner = interner;
  }

  public void series(byte[] rec, int len, SeriesBatch out) {
    out.clear();
    begin(rec, len, RecordType.SERIES);
    while (dec.hasRemaining()) {
      long ref = dec.be64();
      out.add(ref, labels());
    }
  }

  /** Decodes a Samples (V1) or SamplesV2 record; V2 start timestamps are dropped. */
  public void samples(byte[] rec, int len, SampleBatch out) {
    out.clear();
    dec.reset(rec, 0, len);
    int type = dec.readByte();
    if (type == RecordType.SAMPLES) {
      samplesV1(out);
    } else if (type == RecordType.SAMPLES_V2) {
      samplesV2(out);
    } else {
      throw new RecordFormatException("invalid record type " + type + ", expected samples");
    }
  }

  private void samplesV1(SampleBatch out) {
    if (!dec.hasRemaining()) {
      return;
    }
    long baseRef = dec.be64();
    long baseT = dec.be64();
    out.ensureCapacity(dec.remaining() / 10); // at least 1+1+8 bytes per sample
    while (dec.hasRemaining()) {
      long dref = dec.varint();
      long dt = dec.varint();
      long bits = dec.be64();
      out.add(baseRef + dref, baseT + dt, Double.longBitsToDouble(bits));
    }
  }

  private void samplesV2(SampleBatch out) {
    if (!dec.hasRemaining()) {
      return;
    }
    out.ensureCapacity(dec.remaining() / 11);
    long ref = dec.varint();
    long firstT = dec.varint();
    dec.varint(); // first start time
    out.add(ref, firstT, Double.longBitsToDouble(dec.be64()));
    while (dec.hasRemaining()) {
      ref += dec.varint();
      long t = firstT + dec.varint();
      int stMarker = dec.readByte();
      if (stMarker == 2) { // explicit start time, delta to the first one
        dec.varint();
      } else if (stMarker > 2) {
        throw new RecordFormatException("invalid start-time marker " + stMarker);
      }
      out.add(ref, t, Double.longBitsToDouble(dec.be64()));
    }
  }

  public void tombstones(byte[] rec, int len, TombstoneBatch out) {
    out.clear();
    begin(rec, len, RecordType.TOMBSTONES);
    while (dec.hasRemaining()) {
      long ref = dec.be64();
      long mint = dec.varint();
      long maxt = dec.varint();
      out.add(ref, mint, maxt);
    }
  }

  public void exemplars(byte[] rec, int len, ExemplarBatch out) {
    exemplars(rec, len, RecordType.EXEMPLARS, out);
  }

  /** An exemplars body behind type byte {@code type} (the chunk snapshot reuses the layout). */
  void exemplars(byte[] rec, int len, byte type, ExemplarBatch out) {
    out.clear();
    begin(rec, len, type);
    if (!dec.hasRemaining()) {
      return;
    }
    long baseRef = dec.be64();
    long baseT = dec.be64();
    while (dec.hasRemaining()) {
      long dref = dec.varint();
      long dt = dec.varint();
      double v = Double.longBitsToDouble(dec.be64());
      out.add(baseRef + dref, baseT + dt, v, labels());
    }
  }

  /** Decodes metadata; fields other than UNIT and HELP are skipped, as in Prometheus. */
  public void metadata(byte[] rec, int len, MetadataBatch out) {
    out.clear();
    begin(rec, len, RecordType.METADATA);
    while (dec.hasRemaining()) {
      long ref = dec.uvarint();
      byte type = (byte) dec.readByte();
      int fields = dec.uvarintLen();
      String unit = "";
      String help = "";
      for (int i = 0; i < fields; i++) {
        int name = dec.uvarintStringMatch("UNIT", "HELP");
        if (name == 1) {
          unit = dec.uvarintString(interner);
        } else if (name == 2) {
          help = dec.uvarintString(interner);
        } else {
          dec.skipUvarintString();
        }
      }
      out.add(ref, type, unit, help);
    }
  }

  /**
   * Decodes a HistogramSamples (7) or CustomBucketsHistogramSamples (9) record into {@code out},
   * refilling the batch's own histogram objects (see {@link HistogramSampleBatch}). Histograms
   * are returned as written, whatever their schema; the head decides what it accepts.
   */
  public void histograms(byte[] rec, int len, HistogramBatch out) {
    histogramRecord(rec, len, out, RecordType.HISTOGRAM_SAMPLES,
        RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES, INT_BODY);
  }

  /** Decodes a FloatHistogramSamples (8) or CustomBucketsFloatHistogramSamples (10) record. */
  public void floatHistograms(byte[] rec, int len, FloatHistogramBatch out) {
    histogramRecord(rec, len, out, RecordType.FLOAT_HISTOGRAM_SAMPLES,
        RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES, FLOAT_BODY);
  }

  private static final BiConsumer<Decbuf, Histogram> INT_BODY = HistogramBodies::read;
  private static final BiConsumer<Decbuf, FloatHistogram> FLOAT_BODY = HistogramBodies::read;

  private <H> void histogramRecord(byte[] rec, int len, HistogramSampleBatch<H> out, byte type,
      byte customType, BiConsumer<Decbuf, H> body) {
    out.clear();
    dec.reset(rec, 0, len);
    int t0 = dec.readByte();
    if (t0 != type && t0 != customType) {
      throw new RecordFormatException("invalid record type " + t0 + ", expected "
          + RecordType.name(type) + " or " + RecordType.name(customType));
    }
    if (!dec.hasRemaining()) {
      return;
    }
    long baseRef = dec.be64();
    long baseT = dec.be64();
    while (dec.hasRemaining()) {
      long ref = baseRef + dec.varint();
      long t = baseT + dec.varint();
      body.accept(dec, out.refill(ref, t));
    }
  }

  /** The mint carried by a MinValidTime record (Prometheus 3.x checkpoints). */
  public long minValidTime(byte[] rec, int len) {
    begin(rec, len, RecordType.MIN_VALID_TIME);
    return dec.be64();
  }

  /** The cursor {@link #begin} positioned (for record layouts built from these parts). */
  Decbuf cursor() {
    return dec;
  }

  void begin(byte[] rec, int len, byte expected) {
    dec.reset(rec, 0, len);
    int type = dec.readByte();
    if (type != expected) {
      throw new RecordFormatException(
          "invalid record type " + type + ", expected " + RecordType.name(expected));
    }
  }

  /** Decodes one label set at the cursor; uses the sorted wire order directly when valid. */
  Labels labels() {
    int n = dec.uvarintLen();
    if (n > dec.remaining() / 2) {
      throw new RecordFormatException("label count " + n + " exceeds the record");
    }
    String[] nv = new String[n * 2];
    boolean canonical = true;
    for (int i = 0; i < nv.length; i++) {
      nv[i] = dec.uvarintString(interner);
    }
    for (int i = 0; i < nv.length && canonical; i += 2) {
      canonical = !nv[i + 1].isEmpty() && (i == 0 || nv[i - 2].compareTo(nv[i]) < 0);
    }
    if (canonical) {
      return Labels.fromSortedUnsafe(nv);
    }
    LabelsBuilder b = fallbackBuilder.reset();
    for (int i = 0; i < nv.length; i += 2) {
      b.set(nv[i], nv[i + 1]);
    }
    return b.build();
  }
}
