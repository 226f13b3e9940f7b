package dev.tsdb.head.chunkenc;

import dev.tsdb.index.histogram.Histogram;
import java.util.Arrays;

/**
 * The part of a histogram chunk written once, after the header byte: zero threshold, schema,
 * positive and negative spans and, for schema -53, the custom bucket bounds (chunks.md,
 * "Histogram chunk data"). Spans are flattened (offset, length) pairs as in {@link Histogram}.
 *
 * <p>Immutable once built; iterators hand its arrays out by copy, so one instance per chunk.
 */
final class HistogramLayout {
  static final long STALE_NAN_BITS = 0x7ff0000000000002L;
  /** The layout Prometheus writes for a chunk whose first sample is a stale marker. */
  static final HistogramLayout EMPTY =
      new HistogramLayout(0, 0, new int[0], new int[0], new double[0]);

  final int schema;
  final double zeroThreshold;
  final int[] positiveSpans;
  final int[] negativeSpans;
  final double[] customValues;
  final int positiveBuckets;
  final int negativeBuckets;

  HistogramLayout(int schema, double zeroThreshold, int[] positiveSpans, int[] negativeSpans,
      double[] customValues) {
    this.schema = schema;
    this.zeroThreshold = zeroThreshold;
    this.positiveSpans = positiveSpans;
    this.negativeSpans = negativeSpans;
    this.customValues = schema == Histogram.CUSTOM_BUCKETS_SCHEMA ? customValues : new double[0];
    this.positiveBuckets = Histogram.bucketsCovered(positiveSpans);
    this.negativeBuckets = Histogram.bucketsCovered(negativeSpans);
  }

  static boolean isStale(double sum) {
    return Double.doubleToRawLongBits(sum) == STALE_NAN_BITS;
  }

  /** Same bucket bounds: equal schema and zero threshold, and bit-equal custom bounds. */
  boolean sameBounds(int otherSchema, double otherZeroThreshold, double[] otherCustom) {
    return schema == otherSchema && zeroThreshold == otherZeroThreshold
        && (schema != Histogram.CUSTOM_BUCKETS_SCHEMA || bitsEqual(customValues, otherCustom));
  }

  static boolean bitsEqual(double[] a, double[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
        return false;
      }
    }
    return true;
  }

  HistogramLayout withSpans(int[] positive, int[] negative) {
    return new HistogramLayout(schema, zeroThreshold, positive, negative, customValues);
  }

  void write(BitWriter w) {
    writeZeroThreshold(w, zeroThreshold);
    w.writeVarbitInt(schema);
    writeSpans(w, positiveSpans);
    writeSpans(w, negativeSpans);
    if (schema == Histogram.CUSTOM_BUCKETS_SCHEMA) {
      w.writeVarbitUint(customValues.length);
      for (double bound : customValues) {
        writeCustomBound(w, bound);
      }
    }
  }

  /** Reads a layout; null when the stream ends early. */
  static HistogramLayout read(BitReader r) {
    double zt = readZeroThreshold(r);
    int schema = (int) r.readVarbitInt();
    int[] pos = readSpans(r);
    int[] neg = readSpans(r);
    double[] custom = new double[0];
    if (schema == Histogram.CUSTOM_BUCKETS_SCHEMA && !r.eof()) {
      long n = r.readVarbitUint();
      if (n < 0 || n > 1 << 16) {
        return null;
      }
      custom = new double[(int) n];
      for (int i = 0; i < n; i++) {
        custom[i] = readCustomBound(r);
      }
    }
    return r.eof() || pos == null || neg == null ? null
        : new HistogramLayout(schema, zt, pos, neg, custom);
  }

  private static void writeSpans(BitWriter w, int[] spans) {
    w.writeVarbitUint(spans.length / 2);
    for (int i = 0; i < spans.length; i += 2) {
      w.writeVarbitUint(spans[i + 1] & 0xffffffffL); // length (uint32)
      w.writeVarbitInt(spans[i]); // offset
    }
  }

  private static int[] readSpans(BitReader r) {
    long n = r.readVarbitUint();
    if (r.eof() || n < 0 || n > 1 << 16) {
      return null;
    }
    int[] spans = new int[(int) n * 2];
    for (int i = 0; i < spans.length; i += 2) {
      spans[i + 1] = (int) r.readVarbitUint();
      spans[i] = (int) r.readVarbitInt();
    }
    return spans;
  }

  /**
   * One byte for 0 and for powers of two 2^-243..2^10 (the byte holds Go's frexp exponent + 243),
   * else 255 and the 64 float bits.
   */
  static void writeZeroThreshold(BitWriter w, double threshold) {
    if (threshold == 0) {
      w.writeBits(0, 8);
      return;
    }
    long bits = Double.doubleToRawLongBits(threshold);
    int frexpExp = Math.getExponent(threshold) + 1; // x = 0.5 * 2^frexpExp for a power of two
    boolean powerOfTwo = threshold > 0 && (bits & 0x000fffffffffffffL) == 0
        && Math.getExponent(threshold) >= Double.MIN_EXPONENT;
    if (!powerOfTwo || frexpExp < -242 || frexpExp > 11) {
      w.writeBits(255, 8);
      w.writeBits(bits, 64);
      return;
    }
    w.writeBits(frexpExp + 243, 8);
  }

  static double readZeroThreshold(BitReader r) {
    int b = (int) r.readBits(8);
    return switch (b) {
      case 0 -> 0;
      case 255 -> Double.longBitsToDouble(r.readBits(64));
      default -> Math.scalb(0.5, b - 243);
    };
  }

  /**
   * Bounds that are multiples of 0.001 in 0..33554.43 as the varbit uint of bound*1000+1 (so it
   * starts with a 1 bit); others as a 0 bit and the 64 float bits.
   */
  static void writeCustomBound(BitWriter w, double bound) {
    double scaled = bound * 1000;
    if (scaled < 0 || scaled > 33554430 || !wholeWhenTimes1000(bound)) {
      w.writeBit(false);
      w.writeBits(Double.doubleToRawLongBits(bound), 64);
      return;
    }
    w.writeVarbitUint(goRound(scaled) + 1);
  }

  static double readCustomBound(BitReader r) {
    long v = r.readVarbitUint();
    if (v == 0) {
      return Double.longBitsToDouble(r.readBits(64));
    }
    return (double) (v - 1) / 1000;
  }

  private static boolean wholeWhenTimes1000(double x) {
    return (double) goRound(x * 1000) / 1000 == x;
  }

  /** Go's math.Round (half away from zero) for the non-negative, in-range values used here. */
  private static long goRound(double x) {
    double f = Math.floor(x);
    return (long) (x - f >= 0.5 ? f + 1 : f);
  }

  @Override
  public String toString() {
    return "layout{schema=" + schema + ", zt=" + zeroThreshold + ", pos="
        + Arrays.toString(positiveSpans) + ", neg=" + Arrays.toString(negativeSpans)
        + ", custom=" + Arrays.toString(customValues) + "}";
  }
}
