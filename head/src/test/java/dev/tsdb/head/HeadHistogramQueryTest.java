package dev.tsdb.head;

import static dev.tsdb.head.HeadHistogramAppendTest.H;
import static dev.tsdb.head.HeadHistogramAppendTest.T0;
import static dev.tsdb.head.HeadHistogramAppendTest.floatHist;
import static dev.tsdb.head.HeadHistogramAppendTest.hist;
import static dev.tsdb.head.HeadHistogramAppendTest.newHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.head.HeadHistogramAppendTest.Chunk;
import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkSeriesSet;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading native histograms from the head: sample iterators, isolation and the chunk querier. */
class HeadHistogramQueryTest {
  private static final Matcher ALL = Matcher.re("__name__", ".+");

  /** The only selected series' samples as "t=value" (see HeadHistogramWalTest.valueString). */
  private static List<String> read(Querier q) {
    SeriesSet ss = q.select(true, null, ALL);
    List<String> out = new ArrayList<>();
    assertTrue(ss.next());
    SampleIterator it = ss.at().iterator(null);
    for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
      out.add(it.t() + "=" + HeadHistogramWalTest.valueString(it, vt));
    }
    assertNull(it.error());
    return out;
  }

  private static List<String> read(Head h, long mint, long maxt) {
    try (Querier q = h.querier(mint, maxt)) {
      return read(q);
    }
  }

  private static String sample(long t, Object v) {
    if (v instanceof Double d) {
      return t + "=" + Long.toHexString(Double.doubleToRawLongBits(d));
    }
    return t + "=" + v;
  }

  @Test
  void iteratesFloatsHistogramsAndFloatHistogramsOfOneSeries() throws Exception {
    Head head = newHead();
    Appender a = head.appender();
    List<String> want = new ArrayList<>();
    long ref = 0;
    for (int i = 0; i < 30; i++) {
      long t = T0 + i * 1000L;
      switch ((i / 5) % 3) {
        case 0 -> {
          ref = a.append(ref, H, t, i);
          want.add(sample(t, (double) i));
        }
        case 1 -> {
          ref = a.appendHistogram(ref, H, t, hist(i), null);
          want.add(sample(t, hist(i)));
        }
        default -> {
          ref = a.appendHistogram(ref, H, t, null, floatHist(i));
          want.add(sample(t, floatHist(i)));
        }
      }
      a.commit(); // floats are applied before histograms within one commit
    }
    assertEquals(want, read(head, Long.MIN_VALUE, Long.MAX_VALUE));
    // A time range inside the series, starting in a histogram chunk.
    assertEquals(want.subList(7, 23), read(head, T0 + 7000, T0 + 22_000));

    try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(false, null, ALL);
      assertTrue(ss.next());
      SampleIterator it = ss.at().iterator(null);
      assertEquals(ValueType.HISTOGRAM, it.seek(T0 + 6500));
      assertEquals(T0 + 7000, it.t());
      Histogram reuse = new Histogram();
      assertSame(reuse, it.atHistogram(reuse));
      assertEquals(7, reuse.count);
      assertEquals(7.0, it.atFloatHistogram(null).count); // HISTOGRAM reads as float too
      assertEquals(ValueType.HISTOGRAM, it.seek(T0)); // never backwards
      assertEquals(ValueType.FLOAT_HISTOGRAM, it.seek(T0 + 10_000));
      assertThrows(IllegalStateException.class, () -> it.atHistogram(null));
      assertEquals(10.0, it.atFloatHistogram(null).count);
      assertEquals(ValueType.FLOAT, it.seek(T0 + 15_000));
      assertThrows(IllegalStateException.class, () -> it.atFloatHistogram(null));
      assertEquals(15.0, it.v());
    }
  }

  @Test
  void readersSeeOnlyCommittedHistogramsAsOfTheirStart() throws Exception {
    Head head = newHead();
    Appender a = head.appender();
    for (int i = 0; i < 3; i++) {
      a.appendHistogram(0, H, T0 + i, hist(i + 2), null);
    }
    try (Querier before = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertTrue(before.select(false, null, ALL).next() == false || read(before).isEmpty());
    }
    a.commit();
    try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      List<String> seen = read(head, Long.MIN_VALUE, Long.MAX_VALUE);
      SeriesSet selectedBefore = q.select(false, null, ALL); // snapshots the open chunk now
      assertTrue(selectedBefore.next());
      // A later commit grows the layout (a recode replaces the open chunk) and adds samples.
      Histogram wider = hist(10);
      wider.positiveSpans = new int[] {0, 3};
      wider.positiveBuckets = new long[] {8, -7, 0};
      a.appendHistogram(0, H, T0 + 3, wider, null);
      a.appendHistogram(0, H, T0 + 4, hist(11), null); // a missing bucket: filled in, or cut
      a.commit();
      // Selected after the commit: the recoded chunk, limited to the 3 samples visible to q.
      // They read with the wider layout (an empty bucket more) and mean the same.
      SampleIterator it = selectedBefore.at().iterator(null);
      List<String> fromSnapshot = new ArrayList<>();
      for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
        fromSnapshot.add(it.t() + "=" + HeadHistogramWalTest.valueString(it, vt));
      }
      assertEquals(seen, fromSnapshot); // the replaced chunk, as it was
      List<String> again = read(q);
      assertEquals(3, seen.size());
      assertEquals(3, again.size());
      try (Querier q2 = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        assertEquals(again.subList(0, 3), read(q2).subList(0, 3));
      }
      for (int i = 0; i < 3; i++) {
        assertTrue(again.get(i).startsWith((T0 + i) + "="));
        assertTrue(again.get(i).contains("count=" + (i + 2) + ","), again.get(i));
        assertTrue(again.get(i).contains("pos=[0, 3]"), again.get(i));
      }
    }
    assertEquals(5, read(head, Long.MIN_VALUE, Long.MAX_VALUE).size());
  }

  @Test
  void chunkQuerierHandsOutHistogramChunksWithTheirEncoding() throws Exception {
    Head head = newHead();
    Appender a = head.appender();
    long ref = 0;
    for (int i = 0; i < 40; i++) {
      long t = T0 + i * 1000L;
      if (i < 10) {
        ref = a.append(ref, H, t, i);
      } else if (i < 25) {
        ref = a.appendHistogram(ref, H, t, hist(i), null);
      } else {
        ref = a.appendHistogram(ref, H, t, null, floatHist(i));
      }
      a.commit();
    }
    List<Chunk> stored = HeadHistogramAppendTest.chunks(head, ref);
    for (long[] range : new long[][] {{Long.MIN_VALUE, Long.MAX_VALUE}, {T0 + 5000, T0 + 30_000}}) {
      List<String> want = read(head, range[0], range[1]);
      List<String> got = new ArrayList<>();
      List<Byte> encodings = new ArrayList<>();
      try (ChunkQuerier cq = head.chunkQuerier(range[0], range[1])) {
        ChunkSeriesSet set = cq.select(true, null, ALL);
        assertTrue(set.next());
        for (ChunkMeta m : set.at().chunks()) {
          byte[] d = new byte[m.data().remaining()];
          m.data().duplicate().get(d);
          encodings.add(m.encoding());
          List<String> samples = new ArrayList<>();
          HeadHistogramWalTest.decode(new Chunk(m.encoding(), d), samples);
          assertEquals(m.minTime(), Long.parseLong(samples.get(0).split("=")[0]));
          assertEquals(m.maxTime(),
              Long.parseLong(samples.get(samples.size() - 1).split("=")[0]));
          got.addAll(samples);
        }
      }
      assertEquals(want, got);
      assertEquals(List.of(ChunkEncoding.XOR, ChunkEncoding.HISTOGRAM,
          ChunkEncoding.FLOAT_HISTOGRAM), encodings);
    }
    assertEquals(3, stored.size());
  }

  @Test
  void deletedHistogramsAreSkippedAndChunksReencoded() throws Exception {
    Head head = newHead();
    Appender a = head.appender();
    for (int i = 0; i < 10; i++) {
      a.appendHistogram(0, H, T0 + i * 1000L, hist(i + 2), null);
    }
    a.commit();
    head.delete(T0 + 2000, T0 + 4000, Matcher.eq("__name__", "h"));
    List<String> got = read(head, Long.MIN_VALUE, Long.MAX_VALUE);
    assertEquals(7, got.size());
    try (ChunkQuerier cq = head.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      ChunkSeriesSet set = cq.select(true, null, ALL);
      assertTrue(set.next());
      List<String> fromChunks = new ArrayList<>();
      for (ChunkMeta m : set.at().chunks()) {
        assertEquals(ChunkEncoding.HISTOGRAM, m.encoding());
        byte[] d = new byte[m.data().remaining()];
        m.data().duplicate().get(d);
        HeadHistogramWalTest.decode(new Chunk(m.encoding(), d), fromChunks);
      }
      assertEquals(got, fromChunks);
    }
  }

  @Test
  void floatHistogramReadsMatchWhatWasAppended() throws Exception {
    Head head = newHead();
    Appender a = head.appender();
    FloatHistogram f = floatHist(4);
    f.counterResetHint = CounterResetHint.GAUGE;
    a.appendHistogram(0, Labels.of("__name__", "g"), T0, null, f);
    a.commit();
    try (Querier q = head.querier(T0, T0)) {
      SeriesSet ss = q.select(false, null, ALL);
      assertTrue(ss.next());
      SampleIterator it = ss.at().iterator(null);
      assertEquals(ValueType.FLOAT_HISTOGRAM, it.next());
      assertEquals(f, it.atFloatHistogram(null)); // the gauge hint comes back from the header
      assertEquals(ValueType.NONE, it.next());
    }
  }
}
