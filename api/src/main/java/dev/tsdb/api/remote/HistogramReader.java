package dev.tsdb.api.remote;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import java.util.Arrays;

/**
 * Reads one remote-write {@code prometheus.Histogram} message into a {@link Histogram} or a
 * {@link FloatHistogram}, the way Prometheus converts it (prompb ToIntHistogram /
 * ToFloatHistogram): the {@code count} oneof decides the kind; an integer histogram takes the
 * deltas and {@code zero_count_int}, a float one the absolute counts and {@code zero_count_float},
 * and the fields of the other kind are ignored.
 *
 * <pre>
 * Histogram  { oneof count { uint64 count_int = 1; double count_float = 2; }
 *              double sum = 3; sint32 schema = 4; double zero_threshold = 5;
 *              oneof zero_count { uint64 zero_count_int = 6; double zero_count_float = 7; }
 *              repeated BucketSpan negative_spans = 8; repeated sint64 negative_deltas = 9;
 *              repeated double negative_counts = 10; repeated BucketSpan positive_spans = 11;
 *              repeated sint64 positive_deltas = 12; repeated double positive_counts = 13;
 *              ResetHint reset_hint = 14; int64 timestamp = 15;
 *              repeated double custom_values = 16; }
 * BucketSpan { sint32 offset = 1; uint32 length = 2; }
 * ResetHint  { UNKNOWN = 0; YES = 1; NO = 2; GAUGE = 3; }   // same order as CounterResetHint
 * </pre>
 *
 * <p>Repeated scalars are accepted packed and unpacked, as protobuf parsers must; a known field
 * with another wire type is malformed (as for Prometheus, whose parser refuses the request).
 * Unknown fields are skipped. Values collect
 * in scratch buffers reused across messages; the only allocations per message are the histogram
 * and its exact-size arrays. Not thread-safe.
 */
final class HistogramReader {
  private static final int F_COUNT_INT = 1;
  private static final int F_COUNT_FLOAT = 2;
  private static final int F_SUM = 3;
  private static final int F_SCHEMA = 4;
  private static final int F_ZERO_THRESHOLD = 5;
  private static final int F_ZERO_COUNT_INT = 6;
  private static final int F_ZERO_COUNT_FLOAT = 7;
  private static final int F_NEGATIVE_SPANS = 8;
  private static final int F_NEGATIVE_DELTAS = 9;
  private static final int F_NEGATIVE_COUNTS = 10;
  private static final int F_POSITIVE_SPANS = 11;
  private static final int F_POSITIVE_DELTAS = 12;
  private static final int F_POSITIVE_COUNTS = 13;
  private static final int F_RESET_HINT = 14;
  private static final int F_TIMESTAMP = 15;
  private static final int F_CUSTOM_VALUES = 16;

  private final ProtoReader inner = new ProtoReader();
  private final Scratch negativeSpans = new Scratch();
  private final Scratch negativeDeltas = new Scratch();
  private final Scratch negativeCounts = new Scratch();
  private final Scratch positiveSpans = new Scratch();
  private final Scratch positiveDeltas = new Scratch();
  private final Scratch positiveCounts = new Scratch();
  private final Scratch customValues = new Scratch();

  /** The message's timestamp (ms). */
  long timestamp;
  /** The integer histogram read, or null when the message holds a float histogram. */
  Histogram histogram;
  /** The float histogram read, or null when the message holds an integer histogram. */
  FloatHistogram floatHistogram;

  /** Reads the message in {@code m}'s range; malformed bytes throw like protobuf-java. */
  void read(ProtoReader m) throws InvalidProtocolBufferException {
    negativeSpans.clear();
    negativeDeltas.clear();
    negativeCounts.clear();
    positiveSpans.clear();
    positiveDeltas.clear();
    positiveCounts.clear();
    customValues.clear();
    boolean isFloat = false;
    long countInt = 0;
    double countFloat = 0;
    long zeroCountInt = 0;
    double zeroCountFloat = 0;
    double sum = 0;
    int schema = 0;
    double zeroThreshold = 0;
    int resetHint = 0;
    long t = 0;
    for (int tag; (tag = m.readTag()) != 0; ) {
      switch (tag) {
        // A oneof keeps the member set last; the getter of the other member then answers 0.
        case (F_COUNT_INT << 3) | ProtoReader.VARINT -> {
          countInt = m.readVarint64();
          countFloat = 0;
          isFloat = false;
        }
        case (F_COUNT_FLOAT << 3) | ProtoReader.FIXED64 -> {
          countFloat = m.readDouble();
          countInt = 0;
          isFloat = true;
        }
        case (F_ZERO_COUNT_INT << 3) | ProtoReader.VARINT -> {
          zeroCountInt = m.readVarint64();
          zeroCountFloat = 0;
        }
        case (F_ZERO_COUNT_FLOAT << 3) | ProtoReader.FIXED64 -> {
          zeroCountFloat = m.readDouble();
          zeroCountInt = 0;
        }
        case (F_SUM << 3) | ProtoReader.FIXED64 -> sum = m.readDouble();
        case (F_SCHEMA << 3) | ProtoReader.VARINT -> schema = zigzag32(m.readVarint32());
        case (F_ZERO_THRESHOLD << 3) | ProtoReader.FIXED64 -> zeroThreshold = m.readDouble();
        case (F_RESET_HINT << 3) | ProtoReader.VARINT -> resetHint = m.readVarint32();
        case (F_TIMESTAMP << 3) | ProtoReader.VARINT -> t = m.readVarint64();
        case (F_NEGATIVE_SPANS << 3) | ProtoReader.LEN -> readSpan(m, negativeSpans);
        case (F_POSITIVE_SPANS << 3) | ProtoReader.LEN -> readSpan(m, positiveSpans);
        case (F_NEGATIVE_DELTAS << 3) | ProtoReader.VARINT,
            (F_NEGATIVE_DELTAS << 3) | ProtoReader.LEN -> readSint64s(m, tag, negativeDeltas);
        case (F_POSITIVE_DELTAS << 3) | ProtoReader.VARINT,
            (F_POSITIVE_DELTAS << 3) | ProtoReader.LEN -> readSint64s(m, tag, positiveDeltas);
        case (F_NEGATIVE_COUNTS << 3) | ProtoReader.FIXED64,
            (F_NEGATIVE_COUNTS << 3) | ProtoReader.LEN -> readDoubles(m, tag, negativeCounts);
        case (F_POSITIVE_COUNTS << 3) | ProtoReader.FIXED64,
            (F_POSITIVE_COUNTS << 3) | ProtoReader.LEN -> readDoubles(m, tag, positiveCounts);
        case (F_CUSTOM_VALUES << 3) | ProtoReader.FIXED64,
            (F_CUSTOM_VALUES << 3) | ProtoReader.LEN -> readDoubles(m, tag, customValues);
        default -> {
          if ((tag >>> 3) <= F_CUSTOM_VALUES) {
            throw wrongWireType(tag);
          }
          m.skipField(tag); // a field added after this reader was written
        }
      }
    }
    timestamp = t;
    CounterResetHint hint = CounterResetHint.of(resetHint);
    if (isFloat) {
      FloatHistogram f = new FloatHistogram();
      f.counterResetHint = hint;
      f.schema = schema;
      f.zeroThreshold = zeroThreshold;
      f.zeroCount = zeroCountFloat;
      f.count = countFloat;
      f.sum = sum;
      if (positiveSpans.size > 0) {
        f.positiveSpans = positiveSpans.toInts();
      }
      if (positiveCounts.size > 0) {
        f.positiveBuckets = positiveCounts.toDoubles();
      }
      if (negativeSpans.size > 0) {
        f.negativeSpans = negativeSpans.toInts();
      }
      if (negativeCounts.size > 0) {
        f.negativeBuckets = negativeCounts.toDoubles();
      }
      if (customValues.size > 0) {
        f.customValues = customValues.toDoubles();
      }
      floatHistogram = f;
      histogram = null;
    } else {
      Histogram h = new Histogram();
      h.counterResetHint = hint;
      h.schema = schema;
      h.zeroThreshold = zeroThreshold;
      h.zeroCount = zeroCountInt;
      h.count = countInt;
      h.sum = sum;
      if (positiveSpans.size > 0) {
        h.positiveSpans = positiveSpans.toInts();
      }
      if (positiveDeltas.size > 0) {
        h.positiveBuckets = positiveDeltas.toLongs();
      }
      if (negativeSpans.size > 0) {
        h.negativeSpans = negativeSpans.toInts();
      }
      if (negativeDeltas.size > 0) {
        h.negativeBuckets = negativeDeltas.toLongs();
      }
      if (customValues.size > 0) {
        h.customValues = customValues.toDoubles();
      }
      histogram = h;
      floatHistogram = null;
    }
  }

  /** A known field with another wire type: protobuf-java (and Prometheus's gogo) refuse it. */
  private static InvalidProtocolBufferException wrongWireType(int tag) {
    return new InvalidProtocolBufferException("Protocol message tag had invalid wire type "
        + (tag & 7) + " for Histogram field " + (tag >>> 3) + ".");
  }

  /** One BucketSpan message, appended as its (offset, length) pair. */
  private void readSpan(ProtoReader m, Scratch into) throws InvalidProtocolBufferException {
    int n = m.readLength();
    ProtoReader s = inner.reset(m.buf, m.pos, m.pos + n);
    m.pos += n;
    int offset = 0;
    int length = 0;
    for (int t; (t = s.readTag()) != 0; ) {
      switch (t) {
        case (1 << 3) | ProtoReader.VARINT -> offset = zigzag32(s.readVarint32());
        // A uint32: lengths past 2^31 read as negative ints (validation reads them unsigned).
        case (2 << 3) | ProtoReader.VARINT -> length = s.readVarint32();
        default -> {
          if ((t >>> 3) <= 2) {
            throw wrongWireType(t);
          }
          s.skipField(t);
        }
      }
    }
    into.add(offset);
    into.add(length);
  }

  private void readSint64s(ProtoReader m, int tag, Scratch into)
      throws InvalidProtocolBufferException {
    switch (tag & 7) {
      case ProtoReader.VARINT -> into.add(zigzag64(m.readVarint64()));
      case ProtoReader.LEN -> {
        int n = m.readLength();
        ProtoReader p = inner.reset(m.buf, m.pos, m.pos + n);
        m.pos += n;
        while (p.hasMore()) {
          into.add(zigzag64(p.readVarint64()));
        }
      }
      default -> throw wrongWireType(tag);
    }
  }

  private void readDoubles(ProtoReader m, int tag, Scratch into)
      throws InvalidProtocolBufferException {
    switch (tag & 7) {
      case ProtoReader.FIXED64 -> into.add(m.readFixed64());
      case ProtoReader.LEN -> {
        int n = m.readLength();
        ProtoReader p = inner.reset(m.buf, m.pos, m.pos + n);
        m.pos += n;
        while (p.hasMore()) {
          into.add(p.readFixed64()); // a length not a multiple of 8 ends mid-value: truncated
        }
      }
      default -> throw wrongWireType(tag);
    }
  }

  private static int zigzag32(int n) {
    return (n >>> 1) ^ -(n & 1);
  }

  private static long zigzag64(long n) {
    return (n >>> 1) ^ -(n & 1);
  }

  /** A growable list of 64-bit values (ints, longs, or doubles as raw bits), reused. */
  private static final class Scratch {
    long[] values = new long[16];
    int size;

    void clear() {
      size = 0;
    }

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int[] toInts() {
      int[] out = new int[size];
      for (int i = 0; i < size; i++) {
        out[i] = (int) values[i];
      }
      return out;
    }

    long[] toLongs() {
      return Arrays.copyOf(values, size);
    }

    double[] toDoubles() {
      double[] out = new double[size];
      for (int i = 0; i < size; i++) {
        out[i] = Double.longBitsToDouble(values[i]);
      }
      return out;
    }
  }
}
