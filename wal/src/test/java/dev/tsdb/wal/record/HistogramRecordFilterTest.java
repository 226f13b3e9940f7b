package dev.tsdb.wal.record;

import dev.tsdb.index.format.EncodeBuffer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HistogramRecordFilterTest {
  /** Appends one integer histogram body (schema 0, one positive span of 2 buckets). */
  private static void intHistogram(EncodeBuffer b, int seed) {
    b.putByte(0); // counter reset hint
    b.putVarint(0); // schema
    b.putBE64(Double.doubleToRawLongBits(1e-128));
    b.putUvarint(seed); // zero count
    b.putUvarint(5 + seed); // count
    b.putBE64(Double.doubleToRawLongBits(12.5 + seed));
    b.putUvarint(1); // positive spans
    b.putVarint(0);
    b.putUvarint(2);
    b.putUvarint(0); // negative spans
    b.putUvarint(2); // positive buckets (deltas)
    b.putVarint(2);
    b.putVarint(-1 - seed);
    b.putUvarint(0); // negative buckets
  }

  /** Float histogram with custom buckets (schema -53). */
  private static void floatCustomHistogram(EncodeBuffer b, int seed) {
    b.putByte(1);
    b.putVarint(-53);
    b.putBE64(0);
    b.putBE64(Double.doubleToRawLongBits(0));
    b.putBE64(Double.doubleToRawLongBits(3 + seed));
    b.putBE64(Double.doubleToRawLongBits(9.5));
    b.putUvarint(1);
    b.putVarint(0);
    b.putUvarint(3);
    b.putUvarint(0);
    b.putUvarint(3);
    for (int i = 0; i < 3; i++) {
      b.putBE64(Double.doubleToRawLongBits(i + seed));
    }
    b.putUvarint(0);
    b.putUvarint(2); // custom values (bucket bounds)
    b.putBE64(Double.doubleToRawLongBits(0.5));
    b.putBE64(Double.doubleToRawLongBits(1.0));
  }

  private static byte[] record(byte type, long[] refs, long[] ts, boolean floatCustom, byte[][] bodies) {
    EncodeBuffer b = new EncodeBuffer();
    b.putByte(type);
    b.putBE64(refs[0]);
    b.putBE64(ts[0]);
    for (int i = 0; i < refs.length; i++) {
      b.putVarint(refs[i] - refs[0]);
      b.putVarint(ts[i] - ts[0]);
      int start = b.length();
      if (floatCustom) {
        floatCustomHistogram(b, i);
      } else {
        intHistogram(b, i);
      }
      bodies[i] = Arrays.copyOfRange(b.array(), start, b.length());
    }
    return b.toByteArray();
  }

  @Test
  void keepsEntriesAtOrAfterMintWithRebasedHeader() {
    for (boolean floatCustom : new boolean[] {false, true}) {
      byte type = floatCustom ? RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES : RecordType.HISTOGRAM_SAMPLES;
      long[] refs = {10, 12, 7};
      long[] ts = {100, 200, 300};
      byte[][] bodies = new byte[3][];
      byte[] rec = record(type, refs, ts, floatCustom, bodies);

      HistogramRecordFilter f = new HistogramRecordFilter();
      EncodeBuffer out = new EncodeBuffer();
      f.filter(rec, rec.length, 150, out);
      assertEquals(3, f.total());
      assertEquals(2, f.kept());

      Decbuf d = new Decbuf();
      d.reset(out.array(), 0, out.length());
      assertEquals(type, (byte) d.readByte());
      assertEquals(12, d.be64());
      assertEquals(200, d.be64());
      for (int i = 1; i < 3; i++) {
        long ref = 12 + d.varint();
        long t = 200 + d.varint();
        assertEquals(refs[i], ref);
        assertEquals(ts[i], t);
        byte[] body = Arrays.copyOfRange(out.array(), d.pos, d.pos + bodies[i].length);
        assertArrayEquals(bodies[i], body);
        d.skip(bodies[i].length);
      }
      assertEquals(0, d.remaining());

      f.filter(rec, rec.length, 1000, out);
      assertEquals(0, out.length());
      f.filter(rec, rec.length, Long.MIN_VALUE, out);
      assertArrayEquals(rec, out.toByteArray());
      assertEquals(3, f.count(rec, rec.length));
    }
  }

  @Test
  void truncatedHistogramThrows() {
    byte[][] bodies = new byte[1][];
    byte[] rec = record(RecordType.HISTOGRAM_SAMPLES, new long[] {1}, new long[] {1}, false, bodies);
    HistogramRecordFilter f = new HistogramRecordFilter();
    assertThrows(RecordFormatException.class, () -> f.count(rec, rec.length - 2));
    assertThrows(RecordFormatException.class, () -> f.count(new byte[] {2}, 1));
  }
}
