package dev.tsdb.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.blocks.BlockTestData.Samples;
import dev.tsdb.head.chunkenc.XorIterator;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkSeriesSet;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.testkit.MemStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockTest {
  @TempDir
  Path dir;

  Map<Labels, Samples> data;
  MemStorage oracle;
  BlockMeta meta;

  @BeforeEach
  void setUp() throws Exception {
    data = BlockTestData.generate(400, 700, 7);
    oracle = new MemStorage();
    Appender a = oracle.appender();
    for (var e : data.entrySet()) {
      for (int i = 0; i < e.getValue().ts().length; i++) {
        a.append(0, e.getKey(), e.getValue().ts()[i], e.getValue().vs()[i]);
      }
    }
    a.commit();
    meta = BlockWriter.write(dir, BlockTestData.chunked(data, 120));
  }

  static final Matcher[][] SELECTORS = {
      {Matcher.eq("__name__", "up")},
      {Matcher.eq("job", "node")},
      {Matcher.eq("__name__", "up"), Matcher.eq("job", "api")},
      {Matcher.re("instance", "10\\.0\\.0\\.1.*")},
      {Matcher.re("instance", "10.0.0.(1|2):9100"), Matcher.neq("job", "node")},
      {Matcher.re("__name__", "up|go_goroutines"), Matcher.nre("code", "2..")},
      {Matcher.eq("__name__", "http_requests_total"), Matcher.eq("code", "")},
      {Matcher.eq("__name__", "http_requests_total"), Matcher.neq("code", "")},
      {Matcher.re("path", ".+")},
      {Matcher.re("path", ".*"), Matcher.eq("job", "api")},
      {Matcher.re("code", "|300")},
      {Matcher.nre("__name__", "up|go_.*")},
      {Matcher.eq("__name__", "nonexistent")},
      {Matcher.eq("nolabel", "x")},
      {Matcher.neq("nolabel", "x"), Matcher.eq("job", "node")},
  };

  @Test
  void metaHasStatsAndRange() throws Exception {
    long samples = data.values().stream().mapToLong(s -> s.ts().length).sum();
    assertEquals(samples, meta.stats().numSamples());
    assertEquals(data.size(), meta.stats().numSeries());
    assertEquals(oracle.minTime(), meta.minTime());
    assertEquals(oracle.maxTime() + 1, meta.maxTime());
    Path blockDir = dir.resolve(meta.ulid());
    assertTrue(Files.isRegularFile(blockDir.resolve("index")));
    assertTrue(Files.isRegularFile(blockDir.resolve("chunks/000001")));
    assertTrue(Files.isRegularFile(blockDir.resolve("tombstones")));
    assertFalse(Files.exists(dir.resolve(meta.ulid() + BlockWriter.TMP_SUFFIX)));
    try (Block b = Block.open(blockDir, Block.OpenOptions.PARANOID)) {
      assertEquals(meta, b.meta());
      assertTrue(b.sizeBytes() > 0);
    }
  }

  @Test
  void selectMatchesReferenceStorage() throws Exception {
    long[][] ranges = {
        {Long.MIN_VALUE, Long.MAX_VALUE},
        {meta.minTime() + 3_000_000, meta.minTime() + 5_000_000},
        {meta.maxTime() - 100_000, meta.maxTime() + 100_000},
        {meta.maxTime() + 1, Long.MAX_VALUE},
    };
    try (Block b = Block.open(dir.resolve(meta.ulid()))) {
      for (long[] r : ranges) {
        try (Querier q = b.querier(r[0], r[1]); Querier o = oracle.querier(r[0], r[1])) {
          for (Matcher[] ms : SELECTORS) {
            String what = List.of(ms) + " " + r[0] + ".." + r[1];
            assertEquals(BlockTestData.read(o, ms), BlockTestData.read(q, ms), what);
          }
        }
      }
      try (Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE);
          Querier o = oracle.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        assertEquals(o.labelNames(), q.labelNames());
        for (String n : List.of("__name__", "instance", "code", "path", "none")) {
          assertEquals(o.labelValues(n), q.labelValues(n), n);
        }
        for (Matcher[] ms : SELECTORS) {
          assertEquals(o.labelNames(ms), q.labelNames(ms), List.of(ms).toString());
          assertEquals(o.labelValues("instance", ms), q.labelValues("instance", ms));
        }
      }
    }
  }

  /**
   * Prometheus 2.x (and this project before it followed 3.x) left a zero byte after some XOR
   * chunks' last bits; such blocks must read as before. Every chunk here carries one.
   */
  @Test
  void chunksWithPrometheus2TrailingZeroByteRead() throws Exception {
    Path old = dir.resolve("v2");
    Files.createDirectories(old);
    Map<Labels, List<ChunkMeta>> chunks = BlockTestData.chunked(data, 120);
    chunks.replaceAll((l, cs) -> cs.stream().map(BlockTest::withTrailingZeroByte).toList());
    BlockMeta m = BlockWriter.write(old, chunks);
    try (Block b = Block.open(old.resolve(m.ulid()));
        Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE);
        Querier o = oracle.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      for (Matcher[] ms : SELECTORS) {
        assertEquals(BlockTestData.read(o, ms), BlockTestData.read(q, ms), List.of(ms).toString());
      }
    }
  }

  private static ChunkMeta withTrailingZeroByte(ChunkMeta c) {
    byte[] b = new byte[c.data().remaining() + 1];
    c.data().duplicate().get(b, 0, b.length - 1);
    return new ChunkMeta(c.minTime(), c.maxTime(), c.encoding(), java.nio.ByteBuffer.wrap(b));
  }

  @Test
  void hintsNarrowRangeAndSeriesFuncSkipsChunks() throws Exception {
    try (Block b = Block.open(dir.resolve(meta.ulid()));
        Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      long from = meta.minTime() + 1_000_000;
      long to = from + 600_000;
      SeriesSet ss = q.select(true, SelectHints.range(from, to), Matcher.eq("job", "node"));
      int n = 0;
      while (ss.next()) {
        SampleIterator it = ss.at().iterator(null);
        while (it.next() != ValueType.NONE) {
          assertTrue(it.t() >= from && it.t() <= to);
          n++;
        }
      }
      assertTrue(n > 0);
      SeriesSet labelsOnly = q.select(false,
          new SelectHints(from, to, 0, 0, "series", List.of(), false), Matcher.eq("job", "node"));
      assertTrue(labelsOnly.next());
      assertEquals(ValueType.NONE, labelsOnly.at().iterator(null).next());
    }
  }

  @Test
  void invertedHintsSelectNothing() throws Exception {
    // Hints ending before they start select nothing, as in the head; the block used to ignore
    // them and read its whole range.
    try (Block b = Block.open(dir.resolve(meta.ulid()));
        Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE);
        ChunkQuerier cq = b.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SelectHints inverted = SelectHints.range(meta.maxTime(), meta.minTime());
      assertFalse(q.select(true, inverted, Matcher.eq("job", "node")).next());
      assertFalse(cq.select(true, inverted, Matcher.eq("job", "node")).next());
      assertTrue(q.select(true, null, Matcher.eq("job", "node")).next());
    }
  }

  @Test
  void seekSkipsChunksAndNeverGoesBack() throws Exception {
    Map.Entry<Labels, Samples> e = data.entrySet().stream()
        .filter(x -> x.getValue().ts().length > 500).findFirst().orElseThrow();
    long[] ts = e.getValue().ts();
    Matcher[] ms = new Matcher[e.getKey().size()];
    for (int i = 0; i < ms.length; i++) {
      ms[i] = Matcher.eq(e.getKey().name(i), e.getKey().value(i));
    }
    try (Block b = Block.open(dir.resolve(meta.ulid()));
        Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(false, null, ms);
      assertTrue(ss.next());
      SampleIterator it = ss.at().iterator(null);
      assertEquals(ValueType.FLOAT, it.seek(ts[300] - 1));
      assertEquals(ts[300], it.t());
      assertEquals(ValueType.FLOAT, it.seek(ts[10]));
      assertEquals(ts[300], it.t());
      assertEquals(ValueType.FLOAT, it.next());
      assertEquals(ts[301], it.t());
      assertEquals(ValueType.FLOAT, it.seek(ts[ts.length - 1]));
      assertEquals(ValueType.NONE, it.seek(ts[ts.length - 1] + 1));
      assertFalse(ss.next());
    }
  }

  @Test
  void tombstonesHideDeletedSamples() throws Exception {
    Path blockDir = dir.resolve(meta.ulid());
    long from = meta.minTime() + 2_000_000;
    long to = from + 1_000_000;
    try (Block b = Block.open(blockDir)) {
      b.delete(from, to, Matcher.eq("job", "node"));
      b.delete(Long.MIN_VALUE, Long.MAX_VALUE, Matcher.eq("__name__", "go_goroutines"));
      assertTrue(b.meta().stats().numTombstones() > 0);
    }
    try (Block b = Block.open(blockDir, Block.OpenOptions.PARANOID);
        Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertTrue(b.meta().stats().numTombstones() > 0);
      Map<Labels, List<String>> got = BlockTestData.read(q, Matcher.re("__name__", ".+"));
      for (var e : data.entrySet()) {
        boolean node = e.getKey().get("job").equals("node");
        boolean gone = e.getKey().metricName().equals("go_goroutines");
        List<String> want = new ArrayList<>();
        long[] ts = e.getValue().ts();
        for (int i = 0; i < ts.length; i++) {
          if (gone || (node && ts[i] >= from && ts[i] <= to)) {
            continue;
          }
          want.add(ts[i] + "=" + Long.toHexString(
              Double.doubleToRawLongBits(e.getValue().vs()[i])));
        }
        if (want.isEmpty()) {
          assertFalse(got.containsKey(e.getKey()), e.getKey().toString());
        } else {
          assertEquals(want, got.get(e.getKey()), e.getKey().toString());
        }
      }
      // The chunk view re-encodes partly deleted chunks and drops fully deleted ones.
      try (ChunkQuerier cq = b.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        ChunkSeriesSet cs = cq.select(true, null, Matcher.eq("job", "node"));
        int series = 0;
        XorIterator xi = new XorIterator();
        while (cs.next()) {
          series++;
          assertFalse(cs.at().labels().metricName().equals("go_goroutines"));
          Samples s = data.get(cs.at().labels());
          List<Long> seen = new ArrayList<>();
          for (ChunkMeta c : cs.at().chunks()) {
            xi.reset(c.data(), c.data().position(), c.data().remaining());
            while (xi.next() != ValueType.NONE) {
              assertFalse(xi.t() >= from && xi.t() <= to);
              assertTrue(xi.t() >= c.minTime() && xi.t() <= c.maxTime());
              seen.add(xi.t());
            }
          }
          long kept = java.util.Arrays.stream(s.ts()).filter(t -> t < from || t > to).count();
          assertEquals(kept, seen.size());
        }
        assertTrue(series > 0);
        assertEquals(null, cs.error());
      }
    }
  }

  @Test
  void chunkQuerierReturnsMappedChunksOverlappingRange() throws Exception {
    long from = meta.minTime() + 5_000_000;
    long to = from + 10;
    try (Block b = Block.open(dir.resolve(meta.ulid()));
        ChunkQuerier cq = b.chunkQuerier(from, to)) {
      ChunkSeriesSet cs = cq.select(true, null, Matcher.re("__name__", ".+"));
      int n = 0;
      while (cs.next()) {
        for (ChunkMeta c : cs.at().chunks()) {
          assertTrue(c.minTime() <= to && c.maxTime() >= from);
          assertTrue(c.data().isDirect());
          n++;
        }
      }
      assertTrue(n > 0);
    }
  }

  @Test
  void closeWaitsForQueriers() throws Exception {
    Block b = Block.open(dir.resolve(meta.ulid()));
    Querier q = b.querier(0, Long.MAX_VALUE);
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean closed = new AtomicBoolean();
    Thread t = new Thread(() -> {
      started.countDown();
      b.close();
      closed.set(true);
    });
    t.start();
    started.await();
    Thread.sleep(100);
    assertFalse(closed.get());
    assertFalse(BlockTestData.read(q, Matcher.eq("job", "api")).isEmpty());
    q.close();
    t.join(5000);
    assertTrue(closed.get());
    assertThrows(IllegalStateException.class, () -> b.querier(0, 1));
  }
}
