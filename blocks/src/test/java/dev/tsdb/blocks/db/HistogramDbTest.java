package dev.tsdb.blocks.db;

import static dev.tsdb.blocks.db.DbTestUtil.H;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.blocks.BlockMeta;
import dev.tsdb.blocks.Compactor;
import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.chunkenc.HistogramAppender;
import dev.tsdb.head.chunkenc.HistogramIterator;
import dev.tsdb.index.format.Utf8Order;
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
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native histograms through the whole Database: appended into the head, cut into blocks,
 * reopened (blocks + WAL), deleted, cleaned, snapshotted, and read back equal every time.
 * Values are compared in a canonical form (non-empty buckets by index), since chunks may add
 * empty buckets when they widen their layout, as Prometheus's do.
 */
public class HistogramDbTest {
  static final long T0 = DatabaseTest.T0;
  static final double[] NO_VALUES = {};
  static final long START = T0 + 10 * 60_000;
  static final long END = T0 + 5 * H;
  /** How long the generated data spans. */
  public static final long SPAN = END - START;
  static final long STEP = 60_000;
  static final int RESET_AT = 100; // sample index of the counter resets
  static final Labels EXP = series("hist_exp");
  static final Labels CUSTOM = series("hist_custom");
  static final Labels GAUGE = series("fhist_gauge");
  static final Labels FLOAT_COUNTER = series("fhist_counter");
  static final Labels MIXED = series("mixed");

  @TempDir
  Path dir;

  static Labels series(String name) {
    return Labels.of("__name__", name, "job", "test");
  }

  /** Expected samples per series: Double, Histogram or FloatHistogram by timestamp. */
  static TreeMap<Labels, TreeMap<Long, Object>> generate() {
    return generate(START);
  }

  /** {@link #generate()} starting at {@code start} instead (a sample every minute for 4h50m). */
  public static TreeMap<Labels, TreeMap<Long, Object>> generate(long start) {
    TreeMap<Labels, TreeMap<Long, Object>> d = new TreeMap<>(Utf8Order::compare);
    Random r = new Random(7);
    TreeMap<Integer, Long> exp = new TreeMap<>(Map.of(0, 1L, 1, 2L, 3, 1L));
    TreeMap<Integer, Long> custom = new TreeMap<>(Map.of(0, 1L, 2, 1L));
    TreeMap<Integer, Long> fc = new TreeMap<>(Map.of(-2, 1L, 5, 3L));
    long zc = 0;
    int i = 0;
    for (long t = start; t < start + SPAN; t += STEP, i++) {
      // Exponential counter: grows, a new bucket now and then (layout widens), a reset, then a
      // schema change (a new chunk).
      if (i == RESET_AT) {
        exp = new TreeMap<>(Map.of(0, 1L));
        zc = 0;
      }
      grow(exp, r, i % 17 == 5 ? r.nextInt(12) - 4 : Integer.MIN_VALUE);
      zc += r.nextInt(2);
      int schema = i < 200 ? 3 : 1;
      Histogram h = hist(schema, 0.001, zc, exp, NO_VALUES);
      put(d, EXP, t, h);
      grow(custom, r, i % 23 == 7 ? r.nextInt(5) : Integer.MIN_VALUE);
      put(d, CUSTOM, t, hist(Histogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, custom,
          new double[] {0.5, 1, 2.5, 5}));
      // Float gauge: moves both ways.
      TreeMap<Integer, Long> g = new TreeMap<>();
      for (int b = -1; b < 3; b++) {
        if (r.nextInt(4) != 0) {
          g.put(b, (long) r.nextInt(20));
        }
      }
      FloatHistogram gauge = FloatHistogram.of(hist(0, 0, r.nextInt(3), g, NO_VALUES),
          null);
      gauge.counterResetHint = CounterResetHint.GAUGE;
      put(d, GAUGE, t, gauge);
      // Float counter with a reset.
      if (i == RESET_AT + 50) {
        fc = new TreeMap<>(Map.of(5, 1L));
      }
      grow(fc, r, Integer.MIN_VALUE);
      FloatHistogram f = FloatHistogram.of(hist(2, 0, 0, fc, NO_VALUES), null);
      f.sum += 0.25; // not integral
      put(d, FLOAT_COUNTER, t, f);
      // Floats, then histograms, floats again, then float histograms: each switch cuts a chunk.
      Object mixed = switch (i / 60) {
        case 0, 2 -> (double) i;
        case 1 -> hist(0, 0, i, new TreeMap<>(Map.of(1, (long) i)), NO_VALUES);
        default -> FloatHistogram.of(hist(-2, 0, 0, new TreeMap<>(Map.of(0, (long) i)),
            NO_VALUES), null);
      };
      put(d, MIXED, t, mixed);
    }
    return d;
  }

  private static void put(TreeMap<Labels, TreeMap<Long, Object>> d, Labels l, long t, Object v) {
    d.computeIfAbsent(l, k -> new TreeMap<>()).put(t, v);
  }

  /** Adds to every bucket; {@code newBucket} (when not MIN_VALUE) is created if missing. */
  private static void grow(TreeMap<Integer, Long> buckets, Random r, int newBucket) {
    buckets.replaceAll((k, v) -> v + r.nextInt(4));
    if (newBucket != Integer.MIN_VALUE) {
      buckets.putIfAbsent(newBucket, 1L);
    }
  }

  /** An integer histogram with the given absolute bucket counts by index. */
  static Histogram hist(int schema, double zeroThreshold, long zeroCount,
      TreeMap<Integer, Long> buckets, double[] customValues) {
    Histogram h = new Histogram();
    h.schema = schema;
    h.zeroThreshold = zeroThreshold;
    h.zeroCount = zeroCount;
    h.customValues = customValues.clone();
    List<Integer> spans = new ArrayList<>();
    long[] deltas = new long[buckets.size()];
    long count = zeroCount;
    long prevCount = 0;
    int prevIndex = 0;
    int k = 0;
    for (Map.Entry<Integer, Long> e : buckets.entrySet()) {
      int idx = e.getKey();
      if (k == 0 || idx != prevIndex + 1) {
        spans.add(k == 0 ? idx : idx - prevIndex - 1);
        spans.add(0);
      }
      spans.set(spans.size() - 1, spans.get(spans.size() - 1) + 1);
      deltas[k++] = e.getValue() - prevCount;
      prevCount = e.getValue();
      prevIndex = idx;
      count += e.getValue();
    }
    h.positiveSpans = spans.stream().mapToInt(Integer::intValue).toArray();
    h.positiveBuckets = deltas;
    h.count = count;
    h.sum = count * 1.5;
    return h;
  }

  public static void appendAll(Database db, TreeMap<Labels, TreeMap<Long, Object>> d)
      throws Exception {
    TreeSet<Long> times = new TreeSet<>();
    d.values().forEach(m -> times.addAll(m.keySet()));
    for (long t : times) {
      Appender a = db.appender();
      for (Map.Entry<Labels, TreeMap<Long, Object>> e : d.entrySet()) {
        Object v = e.getValue().get(t);
        if (v instanceof Double x) {
          a.append(0, e.getKey(), t, x);
        } else if (v instanceof Histogram h) {
          a.appendHistogram(0, e.getKey(), t, h.copy(), null);
        } else if (v instanceof FloatHistogram f) {
          a.appendHistogram(0, e.getKey(), t, null, f.copy());
        }
      }
      a.commit();
    }
  }

  /** Canonical text of a sample: type, scalars, gauge-ness and the non-empty buckets. */
  public static String canon(Object v) {
    if (v instanceof Double x) {
      return "float " + x;
    }
    FloatHistogram f = v instanceof Histogram h ? FloatHistogram.of(h, null) : (FloatHistogram) v;
    StringBuilder b = new StringBuilder(v instanceof Histogram ? "hist" : "floathist");
    b.append(f.counterResetHint == CounterResetHint.GAUGE ? " gauge" : "")
        .append(" schema=").append(f.schema).append(" zt=").append(f.zeroThreshold)
        .append(" zc=").append(f.zeroCount).append(" count=").append(f.count)
        .append(" sum=").append(f.sum).append(" custom=")
        .append(java.util.Arrays.toString(f.customValues)).append(" pos=");
    buckets(b, f.positiveSpans, f.positiveBuckets);
    b.append(" neg=");
    buckets(b, f.negativeSpans, f.negativeBuckets);
    return b.toString();
  }

  private static void buckets(StringBuilder b, int[] spans, double[] counts) {
    int idx = 0;
    int k = 0;
    for (int s = 0; s < spans.length; s += 2) {
      idx += spans[s];
      for (int j = 0; j < spans[s + 1]; j++, idx++, k++) {
        if (counts[k] != 0) {
          b.append(idx).append(':').append(counts[k]).append(',');
        }
      }
    }
  }

  public static Map<Labels, List<String>> expected(TreeMap<Labels, TreeMap<Long, Object>> d) {
    Map<Labels, List<String>> out = new TreeMap<>(Utf8Order::compare);
    d.forEach((l, m) -> {
      List<String> s = new ArrayList<>();
      m.forEach((t, v) -> s.add(t + " " + canon(v)));
      out.put(l, s);
    });
    return out;
  }

  /** Everything the database answers, in canonical form (reusing one instance per type). */
  public static Map<Labels, List<String>> readAll(Database db) throws Exception {
    Map<Labels, List<String>> out = new TreeMap<>(Utf8Order::compare);
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, Matcher.eq("job", "test"));
      SampleIterator it = null;
      Histogram h = null;
      FloatHistogram fh = null;
      while (set.next()) {
        it = set.at().iterator(it);
        List<String> s = new ArrayList<>();
        for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
          Object v = switch (vt) {
            case FLOAT -> it.v();
            case HISTOGRAM -> h = it.atHistogram(h);
            default -> fh = it.atFloatHistogram(fh);
          };
          s.add(it.t() + " " + canon(v));
        }
        if (it.error() != null) {
          throw new AssertionError(it.error());
        }
        out.put(set.at().labels(), s);
      }
      if (set.error() != null) {
        throw new AssertionError(set.error());
      }
    }
    return out;
  }

  /** Chunk encodings and first-sample hints of a series' chunks in [mint, maxt]. */
  static List<String> chunks(Database db, Labels l, long mint, long maxt) {
    List<String> out = new ArrayList<>();
    try (ChunkQuerier q = db.chunkQuerier(mint, maxt)) {
      ChunkSeriesSet set = q.select(true, null, Matcher.eq("__name__", l.get("__name__")));
      while (set.next()) {
        for (ChunkMeta c : set.at().chunks()) {
          String hint = "";
          if (c.encoding() == ChunkEncoding.HISTOGRAM) {
            HistogramIterator it = new HistogramIterator().reset(c.data(), c.data().position(),
                c.data().remaining());
            hint = " " + it.counterResetHeader();
          }
          out.add(c.minTime() + " " + ChunkEncoding.name(c.encoding()) + hint);
        }
      }
      assertEquals(null, set.error());
    }
    return out;
  }

  @Test
  void histogramsSurviveHeadCutReopenDeletionCleanupAndSnapshot() throws Exception {
    TreeMap<Labels, TreeMap<Long, Object>> d = generate();
    Map<Labels, List<String>> want = expected(d);
    long cut = T0 + 2 * H;
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      appendAll(db, d);
      assertEquals(want, readAll(db), "head");
      db.compact();
      assertEquals(1, db.blocks().size());
      assertEquals(cut, db.headFloor());
      assertEquals(want, readAll(db), "block + head");
      // The block holds real histogram chunks; the reset starts a chunk whose header says so.
      List<String> exp = chunks(db, EXP, START, cut - 1);
      long resetT = START + RESET_AT * STEP;
      assertTrue(exp.contains(resetT + " histogram COUNTER_RESET"), exp.toString());
      assertTrue(chunks(db, GAUGE, START, cut - 1).stream()
          .allMatch(c -> c.endsWith("floathistogram")), "gauge chunks");
      List<String> mixed = chunks(db, MIXED, START, END);
      List<String> runs = new ArrayList<>(); // encodings with repeats collapsed
      for (String c : mixed) {
        String enc = c.split(" ")[1];
        if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(enc)) {
          runs.add(enc);
        }
      }
      assertEquals(List.of("XOR", "histogram", "XOR", "floathistogram"), runs, mixed.toString());
    }
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      assertEquals(want, readAll(db), "reopened: block + WAL");
      // Delete through the block and into the head.
      long from = T0 + H;
      long to = T0 + 3 * H;
      db.delete(from, to, Matcher.eq("__name__", "hist_exp"));
      db.delete(from, to, Matcher.eq("__name__", "mixed"));
      d.get(EXP).subMap(from, true, to, true).clear();
      d.get(MIXED).subMap(from, true, to, true).clear();
      want = expected(d);
      assertEquals(want, readAll(db), "after delete");
      String before = db.blocks().get(0).ulid();
      db.cleanTombstones();
      BlockMeta cleaned = db.blocks().get(0);
      assertFalse(before.equals(cleaned.ulid()), "block rewritten");
      assertEquals(0, cleaned.stats().numTombstones());
      assertEquals(want, readAll(db), "after clean tombstones");
      db.snapshot(dir.resolve("snap"), true);
    }
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      assertEquals(want, readAll(db), "reopened after deletion");
    }
    try (Database db = Database.open(dir.resolve("snap"), DbTestUtil.testOptions())) {
      assertEquals(want, readAll(db), "snapshot");
    }
  }

  @Test
  void verticalCompactionMergesOverlappingHistogramChunksFirstSourceWins() throws Exception {
    TreeMap<Integer, Long> b = new TreeMap<>(Map.of(0, 1L));
    HistogramAppender first = new HistogramAppender();
    HistogramAppender second = new HistogramAppender();
    List<String> want = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      b.put(0, b.get(0) + 1);
      if (i % 100 == 50) {
        b.put(i / 10, 1L); // widen the layout
      }
      Histogram h = hist(1, 0, 0, b, NO_VALUES);
      Histogram other = h.copy();
      other.sum = -1; // what the second source says for the same time
      if (i < 200) {
        HistogramAppender next = first.append(i * 1000L, h, null).appender();
        assertTrue(next == first || i % 100 == 50, "recoded only when widened");
        first = next;
      }
      if (i >= 150) {
        second = second.append(i * 1000L, i < 200 ? other : h, null).appender();
      }
      want.add(i * 1000L + " " + canon(h));
    }
    List<ChunkMeta> a = List.of(new ChunkMeta(0, 199_000, ChunkEncoding.HISTOGRAM,
        ByteBuffer.wrap(first.toBytes())));
    List<ChunkMeta> c = List.of(new ChunkMeta(150_000, 299_000, ChunkEncoding.HISTOGRAM,
        ByteBuffer.wrap(second.toBytes())));
    List<ChunkMeta> merged = Compactor.mergeChunks(List.of(a, c));
    assertEquals(3, merged.size(), "120-sample chunks");
    List<String> got = new ArrayList<>();
    Histogram h = null;
    for (ChunkMeta m : merged) {
      assertEquals(ChunkEncoding.HISTOGRAM, m.encoding());
      HistogramIterator it = new HistogramIterator().reset(m.data(), m.data().position(),
          m.data().remaining());
      while (it.next() != ValueType.NONE) {
        got.add(it.t() + " " + canon(h = it.atHistogram(h)));
      }
    }
    assertEquals(want, got);
    assertEquals(Set.of(0L, 120_000L, 240_000L),
        Set.copyOf(merged.stream().map(ChunkMeta::minTime).toList()));
  }
}
