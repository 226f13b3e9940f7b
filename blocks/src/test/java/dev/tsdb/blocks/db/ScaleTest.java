package dev.tsdb.blocks.db;

import static dev.tsdb.blocks.db.DbTestUtil.H;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.blocks.Block;
import dev.tsdb.blocks.BlockMeta;
import dev.tsdb.blocks.BlockWriter;
import dev.tsdb.blocks.Ulid;
import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.chunkenc.XorAppender;
import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * 300k series over 12 blocks: queries read chunks only of the blocks and series in range, and
 * opening the database touches the index metadata, not the data, of each block.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleTest {
  static final long T0 = DatabaseTest.T0;
  static final int BLOCKS = 12;
  static final int UNIVERSE = 300_000;
  static final int PER_BLOCK = 100_000;
  static final int SHIFT = 25_000; // block b holds series [b*SHIFT, b*SHIFT + PER_BLOCK) mod UNIVERSE
  static final int METRICS = 50;

  @TempDir
  static Path dir;

  static Labels series(int i) {
    return Labels.of("__name__", "m_" + (i % METRICS), "instance", String.format("inst-%06d", i),
        "shard", String.valueOf(i % 10));
  }

  static boolean inBlock(int series, int block) {
    int start = block * SHIFT % UNIVERSE;
    int off = Math.floorMod(series - start, UNIVERSE);
    return off < PER_BLOCK;
  }

  /** One chunk of 120 samples (one per minute) every series of a block shares. */
  static ChunkMeta chunk(long mint, int valueBytes, Random rnd) {
    XorAppender a = new XorAppender(2048);
    for (int k = 0; k < 120; k++) {
      a.append(mint + k * 60_000L, valueBytes == 0 ? 1.0 : rnd.nextDouble());
    }
    return new ChunkMeta(mint, mint + 119 * 60_000L, ChunkEncoding.XOR, ByteBuffer.wrap(a.toBytes()));
  }

  /** Writes a block of the given series ids, all sharing one chunk. */
  static BlockMeta writeBlock(Path parent, int[] ids, long mint, ChunkMeta c) throws IOException {
    List<Labels> ls = new ArrayList<>(ids.length);
    TreeSet<String> symbols = new TreeSet<>(Utf8Order::compare);
    for (int id : ids) {
      Labels l = series(id);
      ls.add(l);
      l.forEach((n, v) -> {
        symbols.add(n);
        symbols.add(v);
      });
    }
    ls.sort(Utf8Order::compare);
    try (BlockWriter w = BlockWriter.create(parent, Ulid.generate())) {
      w.addSortedSymbols(symbols);
      List<ChunkMeta> one = new ArrayList<>(1);
      for (Labels l : ls) {
        one.clear();
        one.add(new ChunkMeta(c.minTime(), c.maxTime(), c.encoding(), c.data().duplicate()));
        w.addSeries(l, one);
      }
      return w.commit(mint, mint + 2 * H, new BlockMeta.Compaction(1, List.of(w.ulid().toString())));
    }
  }

  @BeforeAll
  void writeBlocks() throws IOException {
    long start = System.nanoTime();
    Random rnd = new Random(1);
    for (int b = 0; b < BLOCKS; b++) {
      int[] ids = new int[PER_BLOCK];
      for (int k = 0; k < PER_BLOCK; k++) {
        ids[k] = (b * SHIFT + k) % UNIVERSE;
      }
      long mint = T0 + b * 2 * H;
      writeBlock(dir.resolve("big"), ids, mint, chunk(mint, 0, rnd));
    }
    System.out.println("wrote " + BLOCKS + " blocks in " + (System.nanoTime() - start) / 1_000_000
        + " ms");
  }

  private static long[] chunkReads(Database db) {
    List<Block> blocks = db.servedBlocks();
    long[] out = new long[blocks.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = blocks.get(i).chunksRead();
    }
    return out;
  }

  private static long[] delta(long[] after, long[] before) {
    long[] d = new long[after.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = after[i] - before[i];
    }
    return d;
  }

  private static long count(Querier q, SelectHints hints, Matcher... ms) {
    SeriesSet set = q.select(false, hints, ms);
    long n = 0;
    SampleIterator it = null;
    while (set.next()) {
      it = set.at().iterator(it);
      while (it.next() != ValueType.NONE) {
        n++;
      }
    }
    assertEquals(null, set.error());
    return n;
  }

  @Test
  void queriesReadOnlyChunksOfBlocksAndSeriesInRange() throws Exception {
    DbOptions o = DbTestUtil.testOptions();
    o.maxBlockDurationMs = 2 * H;
    try (Database db = Database.open(dir.resolve("big"), o)) {
      assertEquals(BLOCKS, db.blocks().size());
      // One series over blocks 3..4: exactly its two chunks are read.
      int id = 3 * SHIFT + 90_000; // in blocks 3 (offset 90k) and 4 (offset 65k), 5, 6
      assertTrue(inBlock(id, 3) && inBlock(id, 4) && !inBlock(id, 2));
      long[] before = chunkReads(db);
      try (Querier q = db.querier(T0 + 6 * H, T0 + 10 * H - 1)) {
        assertEquals(240, count(q, null, Matcher.eq("instance", String.format("inst-%06d", id))));
      }
      long[] d = delta(chunkReads(db), before);
      long[] want = new long[BLOCKS];
      want[3] = 1;
      want[4] = 1;
      assertEquals(java.util.Arrays.toString(want), java.util.Arrays.toString(d));

      // A metric (1/50 of the series) within one block: one chunk per matching series there.
      before = chunkReads(db);
      long matching = 0;
      for (int i = 0; i < UNIVERSE; i++) {
        if (i % METRICS == 7 && inBlock(i, 5)) {
          matching++;
        }
      }
      try (Querier q = db.querier(T0 + 10 * H + 30 * 60_000, T0 + 11 * H)) {
        assertEquals(matching * 31, count(q, null, Matcher.eq("__name__", "m_7")));
      }
      d = delta(chunkReads(db), before);
      want = new long[BLOCKS];
      want[5] = matching;
      assertEquals(java.util.Arrays.toString(want), java.util.Arrays.toString(d));

      // Series (labels only) over everything reads no chunk at all.
      before = chunkReads(db);
      try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        SeriesSet set = q.select(false, new SelectHints(0, 0, 0, 0, "series", List.of(), false),
            Matcher.eq("shard", "3"));
        long n = 0;
        while (set.next()) {
          n++;
        }
        assertEquals(UNIVERSE / 10, n);
      }
      assertEquals(java.util.Arrays.toString(new long[BLOCKS]),
          java.util.Arrays.toString(delta(chunkReads(db), before)));
    }
  }

  /** Minor page faults of this process so far (first touches of mapped pages count). */
  private static long minorFaults() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[7]); // field 10 (minflt), counted after pid and comm
  }

  private static long dirBytes(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).mapToLong(x -> x.toFile().length()).sum();
    }
  }

  private long openFaults(Path data) throws IOException {
    DbOptions o = DbTestUtil.testOptions();
    o.walEnabled = false;
    long best = Long.MAX_VALUE;
    for (int run = 0; run < 3; run++) {
      long f0 = minorFaults();
      Database db = Database.open(data, o);
      long f1 = minorFaults();
      db.close();
      best = Math.min(best, f1 - f0);
    }
    return best;
  }

  @Test
  void openTouchesIndexMetadataNotData() throws Exception {
    // Same series and index layout; "fat" chunks hold random values (~1 KiB per chunk) instead
    // of constants (~30 bytes), so the fat blocks are much larger.
    Random rnd = new Random(2);
    int n = 20_000;
    int[] ids = new int[n];
    for (int k = 0; k < n; k++) {
      ids[k] = k;
    }
    Path thin = dir.resolve("thin");
    Path fat = dir.resolve("fat");
    for (int b = 0; b < 4; b++) {
      long mint = T0 + b * 2 * H;
      writeBlock(thin, ids, mint, chunk(mint, 0, rnd));
      writeBlock(fat, ids, mint, chunk(mint, 8, rnd));
    }
    long thinBytes = dirBytes(thin);
    long fatBytes = dirBytes(fat);
    assertTrue(fatBytes > thinBytes * 5, thinBytes + " vs " + fatBytes);
    openFaults(thin); // warm up classes and JIT
    long thinFaults = openFaults(thin);
    long fatFaults = openFaults(fat);
    long extraPages = (fatBytes - thinBytes) / 4096;
    System.out.println("open faults: thin " + thinFaults + " fat " + fatFaults + "; extra pages "
        + extraPages);
    // Reading the data at open would fault in the extra pages; allow noise of 2% of them.
    assertTrue(fatFaults - thinFaults < extraPages / 50,
        "thin " + thinFaults + " fat " + fatFaults + " extra pages " + extraPages);
    // More blocks, more work: eight thin blocks fault in more than four.
    for (int b = 4; b < 8; b++) {
      long mint = T0 + b * 2 * H;
      writeBlock(thin, ids, mint, chunk(mint, 0, rnd));
    }
    long moreFaults = openFaults(thin);
    assertTrue(moreFaults > thinFaults, thinFaults + " vs " + moreFaults);
  }
}
