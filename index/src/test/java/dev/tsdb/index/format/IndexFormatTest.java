package dev.tsdb.index.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class IndexFormatTest {
  @TempDir
  Path dir;

  /** A generated index and what it should contain. */
  static final class Fixture {
    final List<Labels> series = new ArrayList<>();
    final List<ChunkMetas> chunks = new ArrayList<>();
    final List<Long> refs = new ArrayList<>();
    // name -> value -> refs
    final Map<String, Map<String, List<Long>>> postings = new TreeMap<>(Utf8Order::compare);
  }

  static Fixture generate(int n, long seed) {
    Random rnd = new Random(seed);
    TreeSet<Labels> set = new TreeSet<>(Utf8Order::compare);
    String[] metrics = {"up", "http_requests_total", "node_cpu_seconds_total", "\u00e9t\u00e9",
        "emoji_\uD83D\uDE00", "z_\uE000"};
    while (set.size() < n) {
      List<String> nv = new ArrayList<>();
      nv.add("__name__");
      nv.add(metrics[rnd.nextInt(metrics.length)]);
      nv.add("instance");
      nv.add("host-" + rnd.nextInt(200) + ":9100");
      nv.add("job");
      nv.add("job" + rnd.nextInt(5));
      if (rnd.nextBoolean()) {
        nv.add("mode");
        nv.add(rnd.nextBoolean() ? "idle" : "user\uD83D\uDE00");
      }
      if (rnd.nextInt(10) == 0) {
        nv.add("rare");
        nv.add("r" + rnd.nextInt(1000));
      }
      set.add(Labels.of(nv.toArray(new String[0])));
    }
    Fixture f = new Fixture();
    long chunkRef = 8;
    for (Labels l : set) {
      f.series.add(l);
      ChunkMetas cm = new ChunkMetas();
      int nc = rnd.nextInt(4);
      long t = rnd.nextInt(1000) - 500;
      for (int i = 0; i < nc; i++) {
        long mint = t + 1 + rnd.nextInt(100);
        long maxt = mint + rnd.nextInt(10_000);
        cm.add(mint, maxt, chunkRef);
        chunkRef += 20 + rnd.nextInt(200);
        t = maxt;
      }
      f.chunks.add(cm);
    }
    return f;
  }

  static Path write(Path file, Fixture f) throws IOException {
    TreeSet<String> symbols = new TreeSet<>(Utf8Order::compare);
    for (Labels l : f.series) {
      l.forEach((k, v) -> {
        symbols.add(k);
        symbols.add(v);
      });
    }
    try (IndexWriter w = IndexWriter.create(file)) {
      for (String s : symbols) {
        w.addSymbol(s);
      }
      for (int i = 0; i < f.series.size(); i++) {
        long ref = w.addSeries(f.series.get(i), f.chunks.get(i));
        f.refs.add(ref);
        Labels l = f.series.get(i);
        l.forEach((k, v) -> f.postings.computeIfAbsent(k, x -> new TreeMap<>(Utf8Order::compare))
            .computeIfAbsent(v, x -> new ArrayList<>()).add(ref));
      }
    }
    return file;
  }

  static void check(IndexReader r, Fixture f) {
    assertEquals(List.copyOf(f.postings.keySet()), r.labelNames());
    for (var e : f.postings.entrySet()) {
      assertEquals(List.copyOf(e.getValue().keySet()), r.labelValues(e.getKey()), e.getKey());
      for (var ve : e.getValue().entrySet()) {
        IndexPostings p = r.postings(e.getKey(), ve.getKey());
        List<Long> got = new ArrayList<>();
        while (p.next()) {
          got.add(p.at());
        }
        assertEquals(ve.getValue(), got, e.getKey() + "=" + ve.getKey());
      }
    }
    IndexPostings all = r.allPostings();
    assertEquals(f.series.size(), all.size());
    ChunkMetas cm = new ChunkMetas();
    for (int i = 0; i < f.series.size(); i++) {
      assertTrue(all.next());
      assertEquals(f.refs.get(i), all.at());
      Labels l = r.series(f.refs.get(i), cm);
      assertEquals(f.series.get(i), l);
      assertEquals(f.chunks.get(i).toString(), cm.toString());
      assertEquals(f.series.get(i), r.seriesLabels(f.refs.get(i)));
    }
    assertFalse(all.next());
    assertEquals(IndexPostings.EMPTY.size(), r.postings("job", "nope").size());
    assertEquals(0, r.postings("nope", "x").size());
    assertEquals(0, r.postings("instance", "").size());
    assertEquals(0, r.postings("instance", "zzzz").size());
  }

  @Test
  void roundTripsSeriesPostingsAndValues() throws IOException {
    Fixture f = generate(3000, 1);
    Path file = write(dir.resolve("index"), f);
    assertFalse(Files.exists(dir.resolve("index_tmp_p")));
    assertFalse(Files.exists(dir.resolve("index_tmp_po")));
    try (IndexReader r = IndexReader.open(file, true)) {
      assertEquals(2, r.version());
      check(r, f);
    }
  }

  @Test
  void readsAcrossSmallMappingWindows() throws IOException {
    Fixture f = generate(500, 2);
    Path file = write(dir.resolve("index"), f);
    // 256-byte windows: every multi-byte read near a boundary crosses into the overlap.
    try (IndexReader r = IndexReader.open(MappedBytes.map(file, 8, 32), true)) {
      check(r, f);
    }
  }

  @Test
  void seekAndBitmap() throws IOException {
    Fixture f = generate(1000, 3);
    Path file = write(dir.resolve("index"), f);
    try (IndexReader r = IndexReader.open(file, false)) {
      List<Long> want = f.postings.get("job").get("job1");
      IndexPostings p = r.postings("job", "job1");
      long target = want.get(want.size() / 2) - 1;
      assertTrue(p.seek(target));
      assertEquals(want.get(want.size() / 2), p.at());
      assertTrue(p.seek(target)); // does not move backwards
      assertEquals(want.get(want.size() / 2), p.at());
      assertFalse(p.seek(want.get(want.size() - 1) + 1));
      RoaringBitmap bm = r.postingsBitmap("job", List.of("job1", "job2", "absent"));
      TreeSet<Long> exp = new TreeSet<>(want);
      exp.addAll(f.postings.get("job").get("job2"));
      assertEquals(exp.size(), bm.getCardinality());
      for (long x : exp) {
        assertTrue(bm.contains((int) x));
      }
    }
  }

  @Test
  void manyValuesExerciseSampledLookups() throws IOException {
    Fixture f = new Fixture();
    TreeSet<Labels> set = new TreeSet<>(Utf8Order::compare);
    for (int i = 0; i < 1000; i++) {
      set.add(Labels.of("__name__", "m", "v", String.format("%05d", i * 2)));
    }
    f.series.addAll(set);
    for (int i = 0; i < set.size(); i++) {
      f.chunks.add(new ChunkMetas());
    }
    Path file = write(dir.resolve("index"), f);
    try (IndexReader r = IndexReader.open(file, true)) {
      check(r, f);
      for (int i = 0; i < 2000; i++) {
        String v = String.format("%05d", i);
        assertEquals(i % 2 == 0 ? 1 : 0, r.postings("v", v).size(), v);
      }
      List<String> from = new ArrayList<>();
      r.forEachValue("v", "01001", (value, off) -> from.add(value) && from.size() < 3);
      assertEquals(List.of("01002", "01004", "01006"), from);
    }
  }

  @Test
  void emptyIndex() throws IOException {
    Path file = dir.resolve("index");
    IndexWriter.create(file).close();
    try (IndexReader r = IndexReader.open(file, true)) {
      assertEquals(List.of(), r.labelNames());
      assertEquals(0, r.allPostings().size());
    }
  }

  @Test
  void writerRejectsDisorder() throws IOException {
    try (IndexWriter w = IndexWriter.create(dir.resolve("a"))) {
      w.addSymbol("b");
      assertThrows(IllegalArgumentException.class, () -> w.addSymbol("a"));
      assertThrows(IllegalArgumentException.class, () -> w.addSymbol("b"));
    }
    try (IndexWriter w = IndexWriter.create(dir.resolve("b"))) {
      w.addSymbol("a");
      w.addSymbol("b");
      w.addSymbol("c");
      w.addSeries(Labels.of("a", "c"), new ChunkMetas());
      assertThrows(IllegalArgumentException.class,
          () -> w.addSeries(Labels.of("a", "b"), new ChunkMetas()));
      assertThrows(IllegalArgumentException.class,
          () -> w.addSeries(Labels.of("a", "x"), new ChunkMetas()));
      assertThrows(IllegalArgumentException.class,
          () -> w.addSeries(Labels.of("b", "c"), new ChunkMetas().add(5, 10, 1).add(10, 12, 2)));
    }
  }

  @Test
  void detectsFlippedAndTruncatedBytes() throws IOException {
    Fixture f = generate(300, 4);
    Path file = write(dir.resolve("index"), f);
    byte[] good = Files.readAllBytes(file);
    IndexReader r0 = IndexReader.open(file, false);
    long seriesPos = f.refs.get(100) * 16 + 3;
    long postingsPos = r0.toc().postings() + 20;
    r0.close();

    // A flipped byte inside a series entry: only full verification notices.
    Path flipped = dir.resolve("flipped");
    Files.write(flipped, good);
    flip(flipped, seriesPos);
    IndexReader.open(flipped, false).close();
    assertThrows(CorruptIndexException.class, () -> IndexReader.open(flipped, true));

    Path flippedPostings = dir.resolve("flipped2");
    Files.write(flippedPostings, good);
    flip(flippedPostings, postingsPos);
    assertThrows(CorruptIndexException.class, () -> IndexReader.open(flippedPostings, true));

    // Truncation breaks the TOC, which is always checked.
    for (int cut : new int[] {1, 10, 60, good.length / 2, good.length - 5}) {
      Path t = dir.resolve("trunc" + cut);
      Files.write(t, java.util.Arrays.copyOf(good, good.length - cut));
      assertThrows(CorruptIndexException.class, () -> IndexReader.open(t, false), "cut " + cut);
    }
    Path magic = dir.resolve("magic");
    Files.write(magic, good);
    flip(magic, 1);
    assertThrows(CorruptIndexException.class, () -> IndexReader.open(magic, false));
  }

  static void flip(Path p, long pos) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
      raf.seek(pos);
      int b = raf.read();
      raf.seek(pos);
      raf.write(b ^ 0x5a);
    }
  }
}
