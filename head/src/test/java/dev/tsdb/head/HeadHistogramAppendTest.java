package dev.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.chunkenc.HeadChunkCutter;
import dev.tsdb.head.chunkenc.HistogramIterator;
import dev.tsdb.head.chunkenc.RandomHistograms;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.SampleRejectedException;
import dev.tsdb.index.storage.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Appending native histograms to the head: chunk cuts, encodings and Prometheus's append rules. */
class HeadHistogramAppendTest {
  static final Labels H = Labels.of("__name__", "h");
  static final long T0 = 1_699_999_200_000L; // a 2h boundary

  static Head newHead() {
    return new Head(new HeadOptions().clock(() -> Long.MAX_VALUE / 2));
  }

  /** An integer histogram with two positive buckets holding count-1 and 1. */
  static Histogram hist(long count) {
    Histogram h = new Histogram();
    h.count = count;
    h.sum = 2.5 * count;
    h.positiveSpans = new int[] {0, 2};
    h.positiveBuckets = new long[] {count - 1, 2 - count};
    return h;
  }

  static FloatHistogram floatHist(long count) {
    return FloatHistogram.of(hist(count), null);
  }

  record Chunk(byte encoding, byte[] data) {}

  /** The series' in-order chunks, sealed then open. */
  static List<Chunk> chunks(Head head, long ref) {
    MemSeries s = head.byRef(ref);
    List<Chunk> out = new ArrayList<>();
    synchronized (s) {
      for (int i = 0; i < s.nSealed; i++) {
        byte[] c = s.sealed[i];
        byte[] data;
        try {
          data = SealedChunk.isMapped(c) ? MappedChunk.copy(head.chunkFiles, c)
              : Arrays.copyOfRange(c, SealedChunk.PREFIX, c.length);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        out.add(new Chunk(SealedChunk.encoding(c), data));
      }
      if (s.hasOpenChunk()) {
        byte[] buf = s.head != null ? s.head.buffer() : s.hist.buffer();
        out.add(new Chunk(s.openEncoding(), Arrays.copyOf(buf, s.openBytes())));
      }
    }
    return out;
  }

  static byte[] encodings(List<Chunk> chunks) {
    byte[] e = new byte[chunks.size()];
    for (int i = 0; i < e.length; i++) {
      e[i] = chunks.get(i).encoding();
    }
    return e;
  }

  static SampleRejectedException rejected(org.junit.jupiter.api.function.Executable e) {
    return assertThrows(SampleRejectedException.class, e);
  }

  @Test
  void histogramsGoIntoHistogramChunksAndReadBack() throws Exception {
    Head head = newHead();
    Appender a = head.appender();
    long ref = 0;
    for (int i = 0; i < 5; i++) {
      ref = a.appendHistogram(ref, H, T0 + i * 15_000L, hist(i + 2), null);
    }
    a.commit();
    List<Chunk> cs = chunks(head, ref);
    assertArrayEquals(new byte[] {ChunkEncoding.HISTOGRAM}, encodings(cs));
    HistogramIterator it = new HistogramIterator().reset(cs.get(0).data(), 0,
        cs.get(0).data().length);
    for (int i = 0; i < 5; i++) {
      assertEquals(ValueType.HISTOGRAM, it.next());
      assertEquals(T0 + i * 15_000L, it.t());
      Histogram got = it.atHistogram(null);
      got.counterResetHint = CounterResetHint.UNKNOWN; // the chunk header's, not ours
      assertEquals(hist(i + 2), got);
    }
    assertEquals(ValueType.NONE, it.next());
    assertEquals(5, head.stats().histogramSamplesAppended.sum()); // type="histogram"
    assertEquals(0, head.stats().samplesAppended.sum());
    assertEquals(T0, head.minTime());
    assertEquals(T0 + 60_000, head.maxTime());
  }

  @Test
  void switchingBetweenFloatsAndHistogramKindsCutsChunks() throws Exception {
    Head head = newHead();
    Appender a = head.appender();
    long ref = a.append(0, H, T0, 1);
    a.append(ref, H, T0 + 1000, 2);
    a.commit();
    a.appendHistogram(ref, H, T0 + 2000, hist(3), null);
    a.appendHistogram(ref, H, T0 + 3000, hist(4), null);
    a.commit();
    a.appendHistogram(ref, H, T0 + 4000, null, floatHist(5));
    a.commit();
    a.append(ref, H, T0 + 5000, 6);
    a.commit();
    a.appendHistogram(ref, H, T0 + 6000, hist(7), null);
    a.commit();
    assertArrayEquals(new byte[] {ChunkEncoding.XOR, ChunkEncoding.HISTOGRAM,
        ChunkEncoding.FLOAT_HISTOGRAM, ChunkEncoding.XOR, ChunkEncoding.HISTOGRAM},
        encodings(chunks(head, ref)));
    assertEquals(5, head.numChunks());
    MemSeries s = head.byRef(ref);
    synchronized (s) {
      assertEquals(T0 + 4000, SealedChunk.minT(s.sealed[2]));
      assertEquals(T0 + 4000, SealedChunk.maxT(s.sealed[2]));
      assertEquals(2, SealedChunk.numSamples(s.sealed[1]));
    }
  }

  @Test
  void aFloatStaleMarkerOnAHistogramSeriesBecomesAHistogramStaleMarker() throws Exception {
    Head head = newHead();
    Appender a = head.appender();
    long ref = a.appendHistogram(0, H, T0, hist(3), null);
    a.append(ref, H, T0 + 1000, Double.longBitsToDouble(0x7ff0000000000002L));
    a.commit();
    // Against committed histograms too (the usual case: a rule or sender ending a series).
    a = head.appender();
    a.appendHistogram(ref, H, T0 + 2000, hist(4), null);
    a.commit();
    a = head.appender();
    a.append(ref, H, T0 + 3000, Double.longBitsToDouble(0x7ff0000000000002L));
    a.commit();
    // Histogram chunks only (a stale chunk takes only stale samples after it, as in Prometheus,
    // so the histogram after the first marker starts the second chunk): no XOR chunk was cut.
    assertArrayEquals(new byte[] {ChunkEncoding.HISTOGRAM, ChunkEncoding.HISTOGRAM},
        encodings(chunks(head, ref)));
    try (dev.tsdb.index.storage.Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      dev.tsdb.index.storage.SeriesSet ss = q.select(false, null,
          dev.tsdb.index.labels.Matcher.eq("__name__", H.get("__name__")));
      ss.next();
      dev.tsdb.index.storage.SampleIterator it = ss.at().iterator(null);
      for (int i = 0; i < 4; i++) {
        assertEquals(dev.tsdb.index.storage.ValueType.HISTOGRAM, it.next());
        boolean stale = Double.doubleToRawLongBits(it.atHistogram(null).sum)
            == 0x7ff0000000000002L;
        assertEquals(i % 2 == 1, stale, "sample " + i);
      }
    }
  }

  @Test
  void kindSwitchesWithinOneAppenderKeepTheAppendOrder() throws Exception {
    // Prometheus 3.6+ commits type-clean batches in order: switching kinds loses nothing
    // (3.5 applied all floats first and dropped the older histograms as out of order).
    Head head = newHead();
    Appender a = head.appender();
    long ref = a.appendHistogram(0, H, T0, hist(3), null);
    a.appendHistogram(ref, H, T0 + 1000, null, floatHist(4));
    a.append(ref, H, T0 + 2000, 1);
    a.appendHistogram(ref, H, T0 + 3000, hist(5), null);
    a.commit();
    assertArrayEquals(new byte[] {ChunkEncoding.HISTOGRAM, ChunkEncoding.FLOAT_HISTOGRAM,
        ChunkEncoding.XOR, ChunkEncoding.HISTOGRAM}, encodings(chunks(head, ref)));
    assertEquals(0, head.stats().droppedAtCommit.sum());
  }

  @Test
  void chunksAreCutAsTheHeadChunkCutterCutsThem() throws Exception {
    for (boolean floats : new boolean[] {false, true}) {
      Head head = newHead();
      HeadChunkCutter cutter = new HeadChunkCutter();
      RandomHistograms gen = new RandomHistograms(42, false, true);
      Random jitter = new Random(7);
      Appender a = head.appender();
      long ref = 0;
      long t = T0 + 60_000;
      for (int i = 0; i < 600; i++) {
        t += jitter.nextInt(10) == 0 ? 60_000 : 15_000 + jitter.nextInt(5) - 2;
        if (floats) {
          FloatHistogram h = gen.nextFloat();
          cutter.append(t, h);
          ref = a.appendHistogram(ref, H, t, null, h);
        } else {
          Histogram h = gen.next();
          cutter.append(t, h);
          ref = a.appendHistogram(ref, H, t, h, null);
        }
        if (i % 50 == 49) {
          a.commit();
        }
      }
      a.commit();
      List<byte[]> want = cutter.chunks();
      List<Chunk> got = chunks(head, ref);
      assertTrue(want.size() > 3, "data should cut several chunks: " + want.size());
      assertEquals(want.size(), got.size());
      for (int i = 0; i < want.size(); i++) {
        assertArrayEquals(want.get(i), got.get(i).data(), "chunk " + i);
        assertEquals(floats ? ChunkEncoding.FLOAT_HISTOGRAM : ChunkEncoding.HISTOGRAM,
            got.get(i).encoding());
      }
    }
  }

  @Test
  void duplicatesAndConflictsAsPrometheus() throws Exception {
    Head head = newHead();
    Appender a = head.appender();
    long ref = a.appendHistogram(0, H, T0, hist(3), null);
    long fref = a.append(0, Labels.of("__name__", "f"), T0, 1);
    a.commit();
    // The same histogram again (another hint does not count): a no-op.
    Histogram same = hist(3);
    same.counterResetHint = CounterResetHint.NOT_COUNTER_RESET;
    a.appendHistogram(ref, H, T0, same, null);
    a.commit();
    assertEquals(1, head.stats().samplesAppended.sum()); // the float
    assertEquals(1, head.stats().histogramSamplesAppended.sum()); // and one histogram
    String dup = "duplicate sample for timestamp";
    assertEquals(dup, rejected(() -> a.appendHistogram(ref, H, T0, hist(4), null)).getMessage());
    assertEquals(dup,
        rejected(() -> a.appendHistogram(ref, H, T0, null, floatHist(3))).getMessage());
    assertEquals(dup, rejected(() -> a.append(ref, H, T0, 3)).getMessage());
    assertEquals(dup, rejected(() -> a.appendHistogram(fref, null, T0, hist(1), null))
        .getMessage());
    assertEquals("out of order sample",
        rejected(() -> a.appendHistogram(ref, H, T0 - 1, hist(3), null)).getMessage());
    a.rollback();
  }

  @Test
  void outOfOrderHistogramsAreAcceptedWithinTheOutOfOrderWindow() throws Exception {
    Head head = new Head(new HeadOptions().clock(() -> Long.MAX_VALUE / 2)
        .outOfOrderTimeWindowMs(600_000));
    Appender a = head.appender();
    long ref = a.appendHistogram(0, H, T0 + 3_600_000, hist(3), null);
    a.commit();
    // Within the window: accepted into the out-of-order chunks (Prometheus 3.x), both kinds.
    a.appendHistogram(ref, H, T0 + 3_500_000, hist(2), null);
    a.appendHistogram(ref, H, T0 + 3_400_000, null, floatHist(1));
    assertEquals("too old sample",
        rejected(() -> a.appendHistogram(ref, H, T0, hist(3), null)).getMessage());
    a.append(ref, H, T0 + 3_300_000, 1);
    a.commit();
    HeadStats st = head.stats();
    assertEquals(2, st.outOfOrderHistogramsAppended.sum());
    assertEquals(1, st.outOfOrderSamplesAppended.sum());
    // Appended counts include the out-of-order samples, as Prometheus's.
    assertEquals(3, st.histogramSamplesAppended.sum());
    assertEquals(1, st.samplesAppended.sum());
    assertEquals(1, st.tooOldHistogramsRejected.sum());
    assertEquals(0, st.tooOldRejected.sum());
    // The same timestamp again is a duplicate of the out-of-order chunk: dropped at commit.
    a.appendHistogram(ref, H, T0 + 3_500_000, hist(9), null);
    a.commit();
    assertEquals(2, st.outOfOrderHistogramsAppended.sum());
    assertEquals(1, st.droppedAtCommit.sum());
    assertEquals(T0 + 3_300_000, head.minTime());
  }

  @Test
  void withoutAWindowOldHistogramsAreCountedByType() throws Exception {
    Head head = newHead();
    Appender a = head.appender();
    long ref = a.appendHistogram(0, H, T0 + 3_600_000, hist(3), null);
    a.commit();
    assertEquals("out of order sample",
        rejected(() -> a.appendHistogram(ref, H, T0 + 3_500_000, hist(3), null)).getMessage());
    assertEquals(1, head.stats().outOfOrderHistogramsRejected.sum());
    assertEquals(0, head.stats().outOfOrderRejected.sum());
  }

  @Test
  void theBatchKeepsACopyOfTheCallersHistogram() throws Exception {
    Head head = newHead();
    Appender a = head.appender();
    Histogram reused = hist(3);
    long ref = a.appendHistogram(0, H, T0, reused, null);
    reused.count = 99;
    reused.positiveBuckets[0] = 97;
    a.commit();
    byte[] c = chunks(head, ref).get(0).data();
    HistogramIterator it = new HistogramIterator().reset(c, 0, c.length);
    it.next();
    assertEquals(3, it.atHistogram(null).count);
  }

  @Test
  void aConflictWonByAnotherCommitIsDroppedAtCommit() throws Exception {
    Head head = newHead();
    Appender first = head.appender();
    Appender second = head.appender();
    long ref = first.appendHistogram(0, H, T0, hist(3), null);
    first.commit();
    Appender a1 = head.appender();
    a1.appendHistogram(ref, H, T0 + 1000, hist(4), null);
    second.appendHistogram(ref, H, T0 + 1000, hist(5), null); // checked against committed state
    a1.commit();
    second.commit();
    assertEquals(1, head.stats().droppedAtCommit.sum());
    assertEquals(2, head.stats().histogramSamplesAppended.sum());
  }

  @Test
  void counterResetStartsANewChunk() throws Exception {
    Head head = newHead();
    Appender a = head.appender();
    long ref = a.appendHistogram(0, H, T0, hist(10), null);
    a.appendHistogram(ref, H, T0 + 1000, hist(12), null);
    a.appendHistogram(ref, H, T0 + 2000, hist(2), null); // counts went down
    a.commit();
    assertArrayEquals(new byte[] {ChunkEncoding.HISTOGRAM, ChunkEncoding.HISTOGRAM},
        encodings(chunks(head, ref)));
  }

  @Test
  void rollbackForgetsHistograms() throws Exception {
    Head head = newHead();
    Appender a = head.appender();
    long ref = a.appendHistogram(0, H, T0, hist(3), null);
    a.rollback();
    a.commit();
    assertEquals(0, head.stats().samplesAppended.sum());
    assertEquals(0, head.stats().histogramSamplesAppended.sum());
    MemSeries s = head.byRef(ref);
    synchronized (s) {
      assertTrue(!s.pendingCommit && !s.hasOpenChunk());
    }
    assertThrows(IllegalArgumentException.class,
        () -> a.appendHistogram(ref, H, T0, hist(3), floatHist(3)));
  }
}
