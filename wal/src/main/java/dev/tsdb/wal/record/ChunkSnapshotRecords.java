package dev.tsdb.wal.record;

import dev.tsdb.index.format.EncodeBuffer;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;

/**
 * Records of a head chunk snapshot ({@code chunk_snapshot.N.M/}, written on clean shutdown), in
 * the layout Prometheus 3.x's head reads and writes, so either server loads the other's. The
 * records are stored in WAL-format segments; the first byte is the snapshot record type (not a
 * WAL record type). BE = big-endian, varint = zig-zag, as in {@link RecordEncoder}:
 * <pre>
 * series     1 | ref BE64 | labels | 0 BE64 (was the chunk range) | hasChunk uvarint (0 or 1)
 *              [ minT BE64 | maxT BE64 | encoding byte | len uvarint | chunk bytes
 *                | XOR: 3 x (0 BE64, 0.0 BE64), 0 BE64, last value BE64 (float bits)
 *                | histogram / float histogram: the last sample's body (as in WAL records) ]
 * tombstones 2 | len uvarint | ( version 1 byte | (ref uvarint, mint varint, maxt varint)* )
 * exemplars  3 | body of a WAL exemplars record (baseRef BE64, baseT BE64, entries)
 * </pre>
 * A snapshot holds every series (one record each; the open head chunk only, older chunks are
 * in {@code chunks_head/}), then one tombstones record, then exemplar records in the order the
 * exemplar buffer holds them. An unknown record type fails the load (then the WAL is replayed).
 */
public final class ChunkSnapshotRecords {
  public static final byte SERIES = 1;
  public static final byte TOMBSTONES = 2;
  public static final byte EXEMPLARS = 3;
  private static final byte TOMBSTONES_V1 = 1;
  private static final byte XOR = 1;
  private static final byte HISTOGRAM = 2;
  private static final byte FLOAT_HISTOGRAM = 3;

  /**
   * One series of a snapshot. {@code chunk} is null when the series had no open chunk; else
   * {@code encoding} says which of lastValue / lastHistogram / lastFloatHistogram is meaningful.
   */
  public record Series(long ref, Labels labels, long minT, long maxT, byte encoding,
      byte[] chunk, double lastValue, Histogram lastHistogram,
      FloatHistogram lastFloatHistogram) {
    public static Series withoutChunk(long ref, Labels labels) {
      return new Series(ref, labels, 0, 0, (byte) 0, null, 0, null, null);
    }
  }

  /** Receives tombstone intervals in record order. */
  @FunctionalInterface
  public interface IntervalSink {
    void interval(long ref, long mint, long maxt);
  }

  private final RecordDecoder dec;

  public ChunkSnapshotRecords(StringInterner interner) {
    this.dec = new RecordDecoder(interner);
  }

  /** The snapshot record type of {@code rec} (its first byte), or -1 for an empty record. */
  public static int type(byte[] rec, int len) {
    return len == 0 ? -1 : rec[0];
  }

  /** Writes one series record into {@code out} (cleared first). */
  public static void encodeSeries(Series s, EncodeBuffer out) {
    out.reset();
    out.putByte(SERIES);
    out.putBE64(s.ref());
    RecordEncoder.labels(s.labels(), out);
    out.putBE64(0);
    if (s.chunk() == null) {
      out.putUvarint(0);
      return;
    }
    out.putUvarint(1);
    out.putBE64(s.minT());
    out.putBE64(s.maxT());
    out.putByte(s.encoding());
    out.putUvarint(s.chunk().length);
    out.putBytes(s.chunk(), 0, s.chunk().length);
    switch (s.encoding()) {
      case XOR -> {
        // Prometheus once kept the last four samples here; only the last value is still read.
        for (int i = 0; i < 7; i++) {
          out.putBE64(0);
        }
        out.putBE64(Double.doubleToRawLongBits(s.lastValue()));
      }
      case HISTOGRAM -> HistogramBodies.put(s.lastHistogram(), out);
      case FLOAT_HISTOGRAM -> HistogramBodies.put(s.lastFloatHistogram(), out);
      default -> throw new IllegalArgumentException("chunk encoding " + s.encoding());
    }
  }

  /** Decodes a series record; throws {@link RecordFormatException} when malformed. */
  public Series decodeSeries(byte[] rec, int len) {
    dec.begin(rec, len, SERIES);
    Decbuf d = dec.cursor();
    long ref = d.be64();
    Labels labels = dec.labels();
    d.be64(); // the chunk range once written here; unused
    long hasChunk = d.uvarint();
    if (hasChunk == 0) {
      requireEnd(d);
      return Series.withoutChunk(ref, labels);
    }
    long minT = d.be64();
    long maxT = d.be64();
    byte encoding = (byte) d.readByte();
    int n = d.uvarintLen();
    if (n > d.remaining()) {
      throw new RecordFormatException("chunk of " + n + " bytes exceeds the record");
    }
    byte[] chunk = java.util.Arrays.copyOfRange(d.b, d.pos, d.pos + n);
    d.skip(n);
    double last = 0;
    Histogram h = null;
    FloatHistogram fh = null;
    switch (encoding) {
      case XOR -> {
        d.skip(7 * 8);
        last = Double.longBitsToDouble(d.be64());
      }
      case HISTOGRAM -> {
        h = new Histogram();
        HistogramBodies.read(d, h);
      }
      case FLOAT_HISTOGRAM -> {
        fh = new FloatHistogram();
        HistogramBodies.read(d, fh);
      }
      default -> throw new RecordFormatException("unknown chunk encoding " + encoding);
    }
    requireEnd(d);
    return new Series(ref, labels, minT, maxT, encoding, chunk, last, h, fh);
  }

  private static void requireEnd(Decbuf d) {
    if (d.hasRemaining()) {
      throw new RecordFormatException(d.remaining() + " unexpected bytes left in series record");
    }
  }

  /**
   * Writes the tombstones record: {@code refs/mints/maxts[0, n)} are the intervals, one entry
   * each.
   */
  public static void encodeTombstones(long[] refs, long[] mints, long[] maxts, int n,
      EncodeBuffer out) {
    EncodeBuffer body = new EncodeBuffer(1 + n * 12);
    body.putByte(TOMBSTONES_V1);
    for (int i = 0; i < n; i++) {
      body.putUvarint(refs[i]);
      body.putVarint(mints[i]);
      body.putVarint(maxts[i]);
    }
    out.reset();
    out.putByte(TOMBSTONES);
    out.putUvarint(body.length());
    out.putBytes(body.array(), 0, body.length());
  }

  /** Decodes the tombstones record into {@code sink}. */
  public void decodeTombstones(byte[] rec, int len, IntervalSink sink) {
    dec.begin(rec, len, TOMBSTONES);
    Decbuf d = dec.cursor();
    int n = d.uvarintLen();
    if (n != d.remaining()) {
      throw new RecordFormatException("tombstones of " + n + " bytes in a record holding "
          + d.remaining());
    }
    if (n == 0) {
      return;
    }
    int version = d.readByte();
    if (version != TOMBSTONES_V1) {
      throw new RecordFormatException("tombstones format version " + version);
    }
    while (d.hasRemaining()) {
      long ref = d.uvarint();
      long mint = d.varint();
      long maxt = d.varint();
      sink.interval(ref, mint, maxt);
    }
  }

  /** Writes one exemplars record. */
  public static void encodeExemplars(ExemplarBatch batch, EncodeBuffer out) {
    RecordEncoder.exemplars(batch, EXEMPLARS, out);
  }

  /** Decodes one exemplars record into {@code out} (cleared first). */
  public void decodeExemplars(byte[] rec, int len, ExemplarBatch out) {
    dec.exemplars(rec, len, EXEMPLARS, out);
  }
}
