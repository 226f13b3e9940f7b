package dev.tsdb.wal.record;

import dev.tsdb.index.format.EncodeBuffer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  private final EncodeBuffer buf = new EncodeBuffer(8);
  private final RecordDecoder dec = new RecordDecoder();

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  @Test
  void varintsMatchGoEncoding() {
    // Go: binary.PutUvarint(300) = ac 02; PutVarint(-1) = 01; PutVarint(1) = 02; PutVarint(-64) = 7f
    buf.reset();
    buf.putUvarint(300);
    buf.putVarint(-1);
    buf.putVarint(1);
    buf.putVarint(-64);
    buf.putUvarint(-1L); // max uint64: 9 x ff then 01
    byte[] want = bytes(0xac, 0x02, 0x01, 0x02, 0x7f,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    assertArrayEquals(want, buf.toByteArray());

    Decbuf d = new Decbuf();
    d.reset(want, 0, want.length);
    assertEquals(300, d.uvarint());
    assertEquals(-1, d.varint());
    assertEquals(1, d.varint());
    assertEquals(-64, d.varint());
    assertEquals(-1L, d.uvarint());
    assertTrue(!d.hasRemaining());
  }

  @Test
  void varintOverflowIsRejected() {
    byte[] b = bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02);
    Decbuf d = new Decbuf();
    d.reset(b, 0, b.length);
    assertThrows(RecordFormatException.class, d::uvarint);
  }

  @Test
  void samplesRecordHasPrometheusLayout() {
    SampleBatch s = new SampleBatch(1);
    s.add(5, 1000, 1.5);
    s.add(3, 1010, -0.0);
    RecordEncoder.samples(s, buf);
    byte[] want = bytes(
        2, // type
        0, 0, 0, 0, 0, 0, 0, 5, // base ref
        0, 0, 0, 0, 0, 0, 0x03, 0xe8, // base t = 1000
        0, 0, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, // dref 0, dt 0, 1.5
        0x03, 0x14, 0x80, 0, 0, 0, 0, 0, 0, 0); // dref -2 -> 3, dt 10 -> 20, -0.0
    assertArrayEquals(want, buf.toByteArray());

    SampleBatch out = new SampleBatch(1);
    dec.samples(buf.array(), buf.length(), out);
    assertEquals(2, out.size);
    assertEquals(5, out.refs[0]);
    assertEquals(1000, out.ts[0]);
    assertEquals(1.5, out.vs[0]);
    assertEquals(3, out.refs[1]);
    assertEquals(1010, out.ts[1]);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(out.vs[1]));
  }

  @Test
  void samplesKeepNaNBitsAndExtremes() {
    SampleBatch s = new SampleBatch();
    long staleNaN = 0x7ff0000000000002L; // Prometheus's stale marker
    s.add(Long.MAX_VALUE, Long.MIN_VALUE, Double.longBitsToDouble(staleNaN));
    s.add(0, Long.MAX_VALUE, Double.POSITIVE_INFINITY);
    s.add(1L << 40, -5, Double.MIN_VALUE);
    RecordEncoder.samples(s, buf);
    SampleBatch out = new SampleBatch();
    dec.samples(buf.array(), buf.length(), out);
    assertEquals(3, out.size);
    for (int i = 0; i < 3; i++) {
      assertEquals(s.refs[i], out.refs[i]);
      assertEquals(s.ts[i], out.ts[i]);
      assertEquals(Double.doubleToRawLongBits(s.vs[i]), Double.doubleToRawLongBits(out.vs[i]));
    }
  }

  @Test
  void emptySamplesRecordIsTypeByteOnly() {
    RecordEncoder.samples(new SampleBatch(), buf);
    assertArrayEquals(bytes(2), buf.toByteArray());
    SampleBatch out = new SampleBatch();
    out.add(1, 1, 1);
    dec.samples(buf.array(), buf.length(), out);
    assertEquals(0, out.size);
  }

  @Test
  void seriesRoundTripWithUnicode() {
    SeriesBatch s = new SeriesBatch(1);
    s.add(1, Labels.of("__name__", "up", "job", "node"));
    s.add(1L << 50, Labels.of("__name__", "temp_°C", "city", "Zürich 北京 \uD83D\uDE00"));
    s.add(7, Labels.EMPTY);
    RecordEncoder.series(s, buf);
    assertEquals(1, buf.array()[0]);
    // first series: ref BE64 then 2 labels, "__name__" length 8
    assertEquals(1, buf.array()[8]);
    assertEquals(2, buf.array()[9]);
    assertEquals(8, buf.array()[10]);

    SeriesBatch out = new SeriesBatch();
    dec.series(buf.array(), buf.length(), out);
    assertEquals(3, out.size);
    for (int i = 0; i < 3; i++) {
      assertEquals(s.refs[i], out.refs[i]);
      assertEquals(s.labels[i], out.labels[i]);
    }
  }

  @Test
  void labelsAreCanonicalisedWhenUnsortedOnTheWire() {
    EncodeBuffer b = new EncodeBuffer();
    b.putByte(RecordType.SERIES);
    b.putBE64(9);
    b.putUvarint(3);
    for (String str : new String[] {"job", "x", "__name__", "up", "empty", ""}) {
      b.putUvarintStr(str);
    }
    SeriesBatch out = new SeriesBatch();
    dec.series(b.array(), b.length(), out);
    assertEquals(Labels.of("__name__", "up", "job", "x"), out.labels[0]);
  }

  @Test
  void internerIsUsedForLabelStrings() {
    Map<String, String> pool = new HashMap<>();
    RecordDecoder interning = new RecordDecoder((b, off, len) ->
        pool.computeIfAbsent(new String(b, off, len, StandardCharsets.UTF_8), k -> k));
    SeriesBatch s = new SeriesBatch();
    s.add(1, Labels.of("__name__", "a", "job", "j"));
    s.add(2, Labels.of("__name__", "b", "job", "j"));
    RecordEncoder.series(s, buf);
    SeriesBatch out = new SeriesBatch();
    interning.series(buf.array(), buf.length(), out);
    assertSame(out.labels[0].value(1), out.labels[1].value(1));
    assertSame(out.labels[0].name(0), out.labels[1].name(0));
  }

  @Test
  void tombstonesRoundTrip() {
    TombstoneBatch t = new TombstoneBatch(1);
    t.add(3, -100, 200);
    t.add(4, Long.MIN_VALUE, Long.MAX_VALUE);
    RecordEncoder.tombstones(t, buf);
    TombstoneBatch out = new TombstoneBatch();
    dec.tombstones(buf.array(), buf.length(), out);
    assertEquals(2, out.size);
    assertEquals(3, out.refs[0]);
    assertEquals(-100, out.mints[0]);
    assertEquals(200, out.maxts[0]);
    assertEquals(Long.MIN_VALUE, out.mints[1]);
    assertEquals(Long.MAX_VALUE, out.maxts[1]);
  }

  @Test
  void exemplarsRoundTrip() {
    ExemplarBatch e = new ExemplarBatch(1);
    e.add(10, 5000, 0.25, Labels.of("trace_id", "abc"));
    e.add(8, 4990, 3, Labels.EMPTY);
    RecordEncoder.exemplars(e, buf);
    ExemplarBatch out = new ExemplarBatch();
    dec.exemplars(buf.array(), buf.length(), out);
    assertEquals(2, out.size);
    assertEquals(8, out.refs[1]);
    assertEquals(4990, out.ts[1]);
    assertEquals(3.0, out.vs[1]);
    assertEquals(Labels.of("trace_id", "abc"), out.labels[0]);
    assertEquals(Labels.EMPTY, out.labels[1]);
  }

  @Test
  void metadataRoundTripAndUnknownFieldsSkipped() {
    MetadataBatch m = new MetadataBatch(1);
    m.add(1, MetadataBatch.COUNTER, "seconds", "Total time.");
    m.add(300, MetadataBatch.GAUGE, "", "");
    RecordEncoder.metadata(m, buf);
    MetadataBatch out = new MetadataBatch();
    dec.metadata(buf.array(), buf.length(), out);
    assertEquals(2, out.size);
    assertEquals(1, out.refs[0]);
    assertEquals(MetadataBatch.COUNTER, out.types[0]);
    assertEquals("seconds", out.units[0]);
    assertEquals("Total time.", out.helps[0]);
    assertEquals(300, out.refs[1]);
    assertEquals("counter", MetadataBatch.typeName(out.types[0]));

    // A future field ("FOO") must be skipped without losing alignment.
    EncodeBuffer b = new EncodeBuffer();
    b.putByte(RecordType.METADATA);
    b.putUvarint(7);
    b.putByte(MetadataBatch.SUMMARY);
    b.putUvarint(3);
    for (String str : new String[] {"FOO", "bar", "HELP", "h", "UNIT", "bytes"}) {
      b.putUvarintStr(str);
    }
    dec.metadata(b.array(), b.length(), out);
    assertEquals(1, out.size);
    assertEquals("h", out.helps[0]);
    assertEquals("bytes", out.units[0]);
  }

  @Test
  void samplesV2AreDecoded() {
    // type 11 | first: ref varint, t varint, st varint, value | next: dref, dt (to first), marker, value
    EncodeBuffer b = new EncodeBuffer();
    b.putByte(RecordType.SAMPLES_V2);
    b.putVarint(10);
    b.putVarint(1000);
    b.putVarint(0);
    b.putBE64(Double.doubleToRawLongBits(1));
    b.putVarint(2); // ref 12
    b.putVarint(5); // t 1005
    b.putByte(2); // explicit start time
    b.putVarint(7);
    b.putBE64(Double.doubleToRawLongBits(2));
    b.putVarint(-1); // ref 11
    b.putVarint(9); // t 1009
    b.putByte(1); // same start time as previous
    b.putBE64(Double.doubleToRawLongBits(3));
    SampleBatch out = new SampleBatch();
    dec.samples(b.array(), b.length(), out);
    assertEquals(3, out.size);
    assertArrayEquals(new long[] {10, 12, 11}, Arrays.copyOf(out.refs, 3));
    assertArrayEquals(new long[] {1000, 1005, 1009}, Arrays.copyOf(out.ts, 3));
    assertArrayEquals(new double[] {1, 2, 3}, Arrays.copyOf(out.vs, 3));
  }

  @Test
  void malformedRecordsThrow() {
    SampleBatch out = new SampleBatch();
    SampleBatch s = new SampleBatch();
    s.add(1, 2, 3);
    RecordEncoder.samples(s, buf);
    assertThrows(RecordFormatException.class, () -> dec.samples(buf.array(), buf.length() - 1, out));
    assertThrows(RecordFormatException.class, () -> dec.series(buf.array(), buf.length(), new SeriesBatch()));
    byte[] hugeCount = bytes(1, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 0x03);
    assertThrows(RecordFormatException.class,
        () -> dec.series(hugeCount, hugeCount.length, new SeriesBatch()));
  }

  @Test
  void recordTypes() {
    assertEquals(RecordType.UNKNOWN, RecordType.of(new byte[0], 0));
    assertEquals(RecordType.UNKNOWN, RecordType.of(bytes(99), 1));
    assertEquals(RecordType.METADATA, RecordType.of(bytes(6), 1));
    assertTrue(RecordType.isHistogram(RecordType.FLOAT_HISTOGRAM_SAMPLES));
    assertTrue(!RecordType.isHistogram(RecordType.SAMPLES));
  }
}
