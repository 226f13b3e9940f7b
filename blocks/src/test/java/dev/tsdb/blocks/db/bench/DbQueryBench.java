package dev.tsdb.blocks.db.bench;

import dev.tsdb.blocks.BlockMeta;
import dev.tsdb.blocks.BlockWriter;
import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.chunkenc.XorAppender;
import dev.tsdb.blocks.db.Database;
import dev.tsdb.blocks.db.DbOptions;
import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reading every sample of 1000 series through the database: over one block only, over three
 * blocks plus the head (k-way merge by labels and time), and over two overlapping blocks (merge
 * with dedup on every sample). Reports time per query; divide by the sample count printed at
 * setup for per-sample cost. Run with {@link BenchMain}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DbQueryBench {
  static final long H = DbOptions.HOUR;
  static final long T0 = 1_700_006_400_000L;
  static final int SERIES = 1000;

  Path dir;
  Database db;
  Database overlapping;
  SampleIterator reuse;

  static Labels series(int i) {
    return Labels.of("__name__", "bench_metric", "instance", "host-" + i, "job", "bench");
  }

  static void writeBlock(Path parent, long mint, long step, Random rnd) throws Exception {
    TreeSet<String> symbols = new TreeSet<>(Utf8Order::compare);
    List<Labels> ls = new ArrayList<>();
    for (int i = 0; i < SERIES; i++) {
      Labels l = series(i);
      ls.add(l);
      l.forEach((n, v) -> {
        symbols.add(n);
        symbols.add(v);
      });
    }
    ls.sort(Utf8Order::compare);
    try (BlockWriter w = BlockWriter.create(parent)) {
      w.addSortedSymbols(symbols);
      for (Labels l : ls) {
        List<ChunkMeta> chunks = new ArrayList<>();
        XorAppender a = null;
        long first = 0;
        double v = rnd.nextInt(1000);
        for (long t = mint; t < mint + 2 * H; t += step) {
          if (a == null) {
            a = new XorAppender(256);
            first = t;
          }
          v += rnd.nextInt(10);
          a.append(t, v);
          if (a.numSamples() == 120) {
            chunks.add(new ChunkMeta(first, t, ChunkEncoding.XOR, ByteBuffer.wrap(a.toBytes())));
            a = null;
          }
        }
        if (a != null) {
          chunks.add(new ChunkMeta(first, mint + 2 * H - step, ChunkEncoding.XOR,
              ByteBuffer.wrap(a.toBytes())));
        }
        w.addSeries(l, chunks);
      }
      w.commit(mint, mint + 2 * H, new BlockMeta.Compaction(1, List.of(w.ulid().toString())));
    }
  }

  @Setup(Level.Trial)
  public void setup() throws Exception {
    dir = Files.createTempDirectory("dbbench");
    Random rnd = new Random(1);
    Path main = dir.resolve("main");
    for (int b = 0; b < 3; b++) {
      writeBlock(main, T0 + b * 2 * H, 15_000, rnd);
    }
    DbOptions o = new DbOptions().compactionIntervalMs(0).retentionTimeMs(0)
        .maxFutureMs(Long.MAX_VALUE / 4);
    o.walEnabled = false;
    db = Database.open(main, o);
    Appender a = db.appender();
    for (long t = T0 + 6 * H; t < T0 + 7 * H; t += 15_000) {
      for (int i = 0; i < SERIES; i++) {
        a.append(0, series(i), t, t / 1000.0);
      }
      a.commit();
    }
    Path ov = dir.resolve("overlap");
    writeBlock(ov, T0, 15_000, rnd);
    writeBlock(ov, T0, 20_000, rnd);
    overlapping = Database.open(ov, o);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    db.close();
    overlapping.close();
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private long readAll(Database d, long mint, long maxt) throws Exception {
    long n = 0;
    try (Querier q = d.querier(mint, maxt)) {
      SeriesSet set = q.select(false, null, Matcher.eq("job", "bench"));
      while (set.next()) {
        reuse = set.at().iterator(reuse);
        while (reuse.next() != ValueType.NONE) {
          n++;
        }
      }
    }
    return n;
  }

  /** 480 samples x 1000 series from one block. */
  @Benchmark
  public long oneBlock() throws Exception {
    return readAll(db, T0 + 2 * H, T0 + 4 * H - 1);
  }

  /** 1680 samples x 1000 series: three blocks and the head merged. */
  @Benchmark
  public long threeBlocksAndHead() throws Exception {
    return readAll(db, T0, T0 + 7 * H);
  }

  /** 240 samples x 1000 series from the head only. */
  @Benchmark
  public long headOnly() throws Exception {
    return readAll(db, T0 + 6 * H, T0 + 7 * H);
  }

  /** Two overlapping blocks (15s and 20s steps): every sample goes through the dedup merge. */
  @Benchmark
  public long overlappingBlocks() throws Exception {
    return readAll(overlapping, T0, T0 + 2 * H);
  }
}
