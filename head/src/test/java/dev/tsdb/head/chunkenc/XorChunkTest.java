package dev.tsdb.head.chunkenc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tsdb.index.storage.ValueType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class XorChunkTest {
  static final long STALE_NAN = 0x7ff0000000000002L;

  private static void roundTrip(long[] ts, double[] vs) {
    XorAppender a = new XorAppender();
    for (int i = 0; i < ts.length; i++) {
      a.append(ts[i], vs[i]);
    }
    assertEquals(ts.length, a.numSamples());
    byte[] bytes = a.toBytes();
    assertEquals(ts.length, XorChunk.numSamples(bytes, 0));

    // From byte[] at an offset inside a larger array.
    byte[] padded = new byte[bytes.length + 21];
    Arrays.fill(padded, (byte) 0xAB);
    System.arraycopy(bytes, 0, padded, 7, bytes.length);
    XorIterator it = new XorIterator().reset(padded, 7, bytes.length);
    check(it, ts, vs);

    // From a ByteBuffer, both byte orders (the order must not matter).
    for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
      ByteBuffer bb = ByteBuffer.allocateDirect(padded.length).order(order);
      bb.put(padded).flip();
      check(new XorIterator().reset(bb, 7, bytes.length), ts, vs);
    }
    // Live appender view.
    check(a.iterator(null), ts, vs);
    // Resume appending to a copy and compare with the straight encoding of all samples + one more.
    if (ts.length > 0) {
      XorAppender r = XorAppender.resume(bytes, 0, bytes.length);
      XorAppender full = new XorAppender();
      for (int i = 0; i < ts.length; i++) {
        full.append(ts[i], vs[i]);
      }
      long nt = ts[ts.length - 1] + 15_000;
      r.append(nt, 42.5);
      full.append(nt, 42.5);
      if (ts.length > 1) {
        assertArrayEquals(full.toBytes(), r.toBytes());
      }
      long[] ts2 = Arrays.copyOf(ts, ts.length + 1);
      double[] vs2 = Arrays.copyOf(vs, vs.length + 1);
      ts2[ts.length] = nt;
      vs2[ts.length] = 42.5;
      check(r.iterator(null), ts2, vs2);
    }
  }

  private static void check(XorIterator it, long[] ts, double[] vs) {
    for (int i = 0; i < ts.length; i++) {
      assertEquals(ValueType.FLOAT, it.next(), "sample " + i);
      assertEquals(ts[i], it.t(), "t at " + i);
      assertEquals(Double.doubleToRawLongBits(vs[i]), Double.doubleToRawLongBits(it.v()),
          "v bits at " + i);
    }
    assertEquals(ValueType.NONE, it.next());
    assertEquals(ValueType.NONE, it.next());
    assertNull(it.error());
  }

  @Test
  void singleSample() {
    roundTrip(new long[] {1_700_000_000_000L}, new double[] {3.25});
    roundTrip(new long[] {-5}, new double[] {Double.NaN});
    roundTrip(new long[] {Long.MIN_VALUE}, new double[] {-0.0});
    roundTrip(new long[] {Long.MAX_VALUE - 20_000}, new double[] {Double.longBitsToDouble(STALE_NAN)});
  }

  @Test
  void emptyChunk() {
    XorAppender a = new XorAppender();
    assertEquals(2, a.byteLength());
    XorIterator it = new XorIterator().reset(a.toBytes(), 0, 2);
    assertEquals(ValueType.NONE, it.next());
    assertEquals(ValueType.NONE, it.seek(0));
    assertNull(it.error());
  }

  @Test
  void specialValuesKeepExactBits() {
    double[] specials = {Double.NaN, Double.longBitsToDouble(STALE_NAN), Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE,
        Double.longBitsToDouble(0x7ff8000000000001L), Double.longBitsToDouble(0xfff0000000000001L),
        1.0, 1.0, 1.0, -0.0, 0.0};
    long[] ts = new long[specials.length];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = 1000L * i;
    }
    roundTrip(ts, specials);
  }

  @Test
  void equalValuesAndRegularIntervals() {
    int n = 240;
    long[] ts = new long[n];
    double[] vs = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = 1_700_000_000_000L + 15_000L * i;
      vs[i] = 7;
    }
    roundTrip(ts, vs);
    XorAppender a = new XorAppender();
    for (int i = 0; i < n; i++) {
      a.append(ts[i], vs[i]);
    }
    // Constant interval + constant value: two bits per sample after the first two.
    assertEquals(2 + 6 + 8 + 3 + 1 + (n - 2) * 2 / 8, a.byteLength(), 2);
  }

  @Test
  void timestampDeltaBucketBoundaries() {
    // dod values right at and beyond each bucket's symmetric range.
    long[] dods = {0, 1, -1, 8191, -8191, 8192, -8192, 8193, 65535, 65536, -65535, -65536, 65537,
        524287, 524288, -524287, -524288, 524289, 1L << 40, -(1L << 40), Long.MAX_VALUE / 4,
        Long.MIN_VALUE / 4};
    long[] ts = new long[dods.length + 2];
    double[] vs = new double[ts.length];
    ts[0] = 0;
    ts[1] = 10;
    long delta = 10;
    for (int i = 0; i < dods.length; i++) {
      delta += dods[i];
      ts[i + 2] = ts[i + 1] + delta;
    }
    roundTrip(ts, vs);
  }

  @Test
  void hugeAndNegativeDeltas() {
    roundTrip(new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE}, new double[] {1, 2, 3});
    roundTrip(new long[] {-1_000_000_000_000L, -999_999_999_999L, 0, 5_000_000_000_000L},
        new double[] {1, 2, 3, 4});
    // Non-increasing timestamps are not rejected by the encoder and must still round-trip.
    roundTrip(new long[] {100, 50, 50, -200, 10}, new double[] {1, 1, 1, 1, 1});
  }

  @Test
  void randomSeries() {
    Random r = new Random(42);
    for (int round = 0; round < 500; round++) {
      int n = 1 + r.nextInt(300);
      long[] ts = new long[n];
      double[] vs = new double[n];
      long t = r.nextLong() >> r.nextInt(64);
      int kind = r.nextInt(5);
      double v = r.nextGaussian() * 1000;
      for (int i = 0; i < n; i++) {
        switch (kind) {
          case 0 -> t += 15_000 + r.nextInt(20) - 10; // jittered scrape
          case 1 -> t += (r.nextLong() >>> 1) >>> (24 + r.nextInt(40)); // wild deltas
          case 2 -> t += 1;
          default -> t += r.nextLong() >> (1 + r.nextInt(63));
        }
        ts[i] = t;
        switch (kind) {
          case 0 -> v += r.nextInt(100); // counter
          case 1 -> v = r.nextDouble();
          case 2 -> v = Double.longBitsToDouble(r.nextLong()); // random bit patterns
          case 3 -> v = r.nextInt(4) == 0 ? Double.NaN : Math.round(v + r.nextGaussian());
          default -> v = r.nextBoolean() ? v : -v;
        }
        vs[i] = v;
      }
      roundTrip(ts, vs);
    }
  }

  @Test
  void seekSemantics() {
    XorAppender a = new XorAppender();
    for (int i = 0; i < 100; i++) {
      a.append(i * 10L, i);
    }
    XorIterator it = a.iterator(null);
    assertEquals(ValueType.FLOAT, it.seek(-5));
    assertEquals(0, it.t());
    assertEquals(ValueType.FLOAT, it.seek(0));
    assertEquals(0, it.t());
    assertEquals(ValueType.FLOAT, it.seek(55));
    assertEquals(60, it.t());
    assertEquals(ValueType.FLOAT, it.seek(20)); // never backwards
    assertEquals(60, it.t());
    assertEquals(ValueType.FLOAT, it.next());
    assertEquals(70, it.t());
    assertEquals(ValueType.FLOAT, it.seek(990));
    assertEquals(ValueType.NONE, it.seek(991));
    assertEquals(ValueType.NONE, it.seek(0));
    assertEquals(ValueType.NONE, it.next());
  }

  @Test
  void liveSnapshotIgnoresLaterAppends() {
    XorAppender a = new XorAppender(16);
    a.append(1000, 1.5);
    a.append(2000, 2.5);
    byte[] snap = a.buffer();
    int len = a.byteLength();
    int n = a.numSamples();
    for (int i = 3; i < 50; i++) {
      a.append(i * 1000L, i + 0.5); // grows and rewrites the header
    }
    XorIterator it = new XorIterator().reset(snap, 0, len, n);
    assertEquals(ValueType.FLOAT, it.next());
    assertEquals(ValueType.FLOAT, it.next());
    assertEquals(2.5, it.v());
    assertEquals(ValueType.NONE, it.next());
    assertNull(it.error());
  }

  @Test
  void truncatedChunkReportsError() {
    XorAppender a = new XorAppender();
    for (int i = 0; i < 50; i++) {
      a.append(i * 1000L, Math.sqrt(i));
    }
    byte[] b = a.toBytes();
    XorIterator it = new XorIterator().reset(b, 0, b.length / 2);
    int read = 0;
    while (it.next() == ValueType.FLOAT) {
      read++;
    }
    assertNotNull(it.error());
    assertEquals(true, read < 50);
    XorIterator tiny = new XorIterator().reset(b, 0, 1);
    assertEquals(ValueType.NONE, tiny.next());
    assertNotNull(tiny.error());
  }

  /**
   * A one-sample chunk as Prometheus 3.5 and 2.42 wrote it (read back raw from their heads by
   * XorChunkPrometheusIT): 3.x ends after the value; 2.x added a zero byte after it.
   */
  private static final String ONE_SAMPLE_3X = "000182cdf68cca687ff0000000000000";
  private static final String ONE_SAMPLE_2X = ONE_SAMPLE_3X + "00";

  @Test
  void writesNoTrailingZeroByteLikePrometheus3() {
    XorIterator decoded = new XorIterator().reset(hex(ONE_SAMPLE_3X), 0, 16);
    assertEquals(ValueType.FLOAT, decoded.next());
    XorAppender same = new XorAppender();
    same.append(decoded.t(), decoded.v());
    assertEquals(ONE_SAMPLE_3X, java.util.HexFormat.of().formatHex(same.toBytes()));
    // Any chunk: its bits rounded up to whole bytes, nothing more.
    Random r = new Random(5);
    for (int c = 0; c < 300; c++) {
      XorAppender a = new XorAppender();
      long t = r.nextInt(1 << 20);
      int n = 1 + r.nextInt(40);
      for (int i = 0; i < n; i++) {
        t += 1 + (r.nextInt(3) == 0 ? r.nextInt(1 << 21) : 15_000);
        a.append(t, r.nextBoolean() ? r.nextInt(4) : Double.longBitsToDouble(r.nextLong()));
      }
      XorIterator it = a.iterator(null);
      while (it.next() != ValueType.NONE) {
        // to the end
      }
      assertEquals((XorAppender.HEADER_BYTES * 8 + it.bitsConsumed() + 7) / 8, a.byteLength());
    }
  }

  @Test
  void readsAndResumesPrometheus2ChunksWithTheExtraZeroByte() {
    byte[] old = hex(ONE_SAMPLE_2X);
    byte[] cur = hex(ONE_SAMPLE_3X);
    XorIterator a = new XorIterator().reset(old, 0, old.length);
    XorIterator b = new XorIterator().reset(cur, 0, cur.length);
    assertEquals(ValueType.FLOAT, a.next());
    assertEquals(ValueType.FLOAT, b.next());
    assertEquals(b.t(), a.t());
    assertEquals(Double.doubleToRawLongBits(b.v()), Double.doubleToRawLongBits(a.v()));
    assertEquals(ValueType.NONE, a.next());
    assertNull(a.error());
    ByteBuffer bb = ByteBuffer.wrap(old);
    XorIterator fromBuffer = new XorIterator().reset(bb, 0, old.length);
    assertEquals(ValueType.FLOAT, fromBuffer.next());
    assertEquals(b.t(), fromBuffer.t());
    assertEquals(ValueType.NONE, fromBuffer.next());
    assertNull(fromBuffer.error());

    // Resuming either form continues as if all samples had been appended to one new chunk.
    XorAppender fresh = new XorAppender();
    fresh.append(b.t(), b.v());
    fresh.append(b.t() + 15_000, 1.5);
    fresh.append(b.t() + 30_000, 2.5);
    for (byte[] start : new byte[][] {old, cur}) {
      XorAppender r = XorAppender.resume(start, 0, start.length);
      assertEquals(cur.length, r.byteLength());
      r.append(b.t() + 15_000, 1.5);
      r.append(b.t() + 30_000, 2.5);
      assertArrayEquals(fresh.toBytes(), r.toBytes());
    }
  }

  private static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s);
  }
}
