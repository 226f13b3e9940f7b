package dev.tsdb.blocks.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.blocks.Block;
import dev.tsdb.blocks.BlockMeta;
import dev.tsdb.blocks.Compactor;
import dev.tsdb.blocks.BlockWriter;
import dev.tsdb.blocks.Ulid;
import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.chunkenc.XorAppender;
import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.testkit.reference.PrometheusRelease;
import dev.tsdb.testkit.reference.Promtool;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Writes blocks with our writer and checks that Prometheus's promtool reads them exactly: the
 * older 2.42 and the current 3.5.
 */
class PromtoolReadsOurBlocksIT {
  @TempDir
  Path dir;

  /** Known samples per series, in Go label order. */
  private final TreeMap<Labels, List<long[]>> samples = new TreeMap<>(Utf8Order::compare);

  private Map<Labels, List<ChunkMeta>> generate(int numSeries, long start) {
    Random rnd = new Random(42);
    String[] names = {"up", "http_requests_total", "node_load1", "weird_\u00e9"};
    while (samples.size() < numSeries) {
      Labels l = Labels.of("__name__", names[rnd.nextInt(names.length)],
          "instance", "host" + rnd.nextInt(50) + ":9100", "job", rnd.nextBoolean() ? "a" : "b",
          "path", rnd.nextInt(4) == 0 ? "/x \"quoted\"\\n" : "");
      List<long[]> s = new ArrayList<>();
      long t = start + rnd.nextInt(60_000);
      double v = rnd.nextInt(1000);
      int n = 1 + rnd.nextInt(400);
      for (int i = 0; i < n; i++) {
        double val = switch (rnd.nextInt(40)) {
          case 0 -> Double.POSITIVE_INFINITY;
          case 1 -> -1e-7 * rnd.nextDouble();
          case 2 -> 1e300 * rnd.nextDouble();
          default -> v;
        };
        s.add(new long[] {t, Double.doubleToRawLongBits(val)});
        t += 15_000 + rnd.nextInt(3);
        v += rnd.nextInt(3) == 0 ? rnd.nextDouble() * 100 : 1;
      }
      samples.put(l, s);
    }
    Map<Labels, List<ChunkMeta>> out = new TreeMap<>(Utf8Order::compare);
    samples.forEach((l, s) -> {
      List<ChunkMeta> chunks = new ArrayList<>();
      for (int from = 0; from < s.size(); from += 120) {
        int to = Math.min(s.size(), from + 120);
        XorAppender a = new XorAppender();
        for (int i = from; i < to; i++) {
          a.append(s.get(i)[0], Double.longBitsToDouble(s.get(i)[1]));
        }
        chunks.add(new ChunkMeta(s.get(from)[0], s.get(to - 1)[0], ChunkEncoding.XOR,
            ByteBuffer.wrap(a.toBytes())));
      }
      out.put(l, chunks);
    });
    return out;
  }

  private BlockMeta writeBlock(Path data, Map<Labels, List<ChunkMeta>> series, long segmentSize)
      throws Exception {
    try (BlockWriter w = BlockWriter.create(data, Ulid.generate(), segmentSize)) {
      List<String> symbols = new ArrayList<>();
      series.keySet().forEach(l -> l.forEach((n, v) -> {
        symbols.add(n);
        symbols.add(v);
      }));
      w.addSymbols(symbols);
      for (var e : series.entrySet()) {
        w.addSeries(e.getKey(), e.getValue());
      }
      return w.commit();
    }
  }

  @ParameterizedTest
  @EnumSource(PrometheusRelease.class)
  void promtoolListsAnalyzesAndDumpsExactlyOurSamples(PrometheusRelease release)
      throws Exception {
    Promtool promtool = Promtool.of(release);
    Path data = dir.resolve("data");
    long start = 1_700_000_000_000L;
    // Small segments so the chunk refs span several segment files.
    BlockMeta meta = writeBlock(data, generate(300, start), 64 * 1024);
    assertTrue(Files.exists(data.resolve(meta.ulid()).resolve("chunks/000003")));
    Files.createDirectories(data.resolve("wal")); // promtool 2.42's dump insists on a WAL dir

    long numSamples = samples.values().stream().mapToLong(List::size).sum();
    long minT = samples.values().stream().mapToLong(s -> s.get(0)[0]).min().orElseThrow();
    long maxT = samples.values().stream().mapToLong(s -> s.get(s.size() - 1)[0]).max()
        .orElseThrow();

    String list = promtool.run(dir, "tsdb", "list", "data").check().out();
    String row = list.lines().filter(x -> x.startsWith(meta.ulid())).findFirst()
        .orElseThrow(() -> new AssertionError(list));
    String[] cols = row.trim().split("\\s+");
    assertEquals(String.valueOf(minT), cols[1], list);
    assertEquals(String.valueOf(maxT + 1), cols[2], list);
    assertEquals(String.valueOf(numSamples), cols[4], list);
    assertEquals(String.valueOf(meta.stats().numChunks()), cols[5], list);
    assertEquals(String.valueOf(samples.size()), cols[6], list);

    String analyze = promtool.run(dir, "tsdb", "analyze", "data", meta.ulid()).check().out();
    assertTrue(analyze.contains("Series: " + samples.size()), analyze);
    long names = samples.keySet().stream().flatMap(l -> {
      List<String> n = new ArrayList<>();
      l.forEach((k, v) -> n.add(k));
      return n.stream();
    }).distinct().count();
    assertTrue(analyze.contains("Label names: " + names), analyze);

    String dump = promtool.run(dir, "tsdb", "dump", "data").check().out();
    List<String> want = new ArrayList<>();
    samples.forEach((l, s) -> {
      for (long[] x : s) {
        want.add(l + " " + Long.toHexString(x[1]) + " " + x[0]);
      }
    });
    List<String> got = new ArrayList<>();
    for (String line : dump.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      int ts = line.lastIndexOf(' ');
      int val = line.lastIndexOf(' ', ts - 1);
      double v = parseGoFloat(line.substring(val + 1, ts));
      got.add(line.substring(0, val) + " " + Long.toHexString(Double.doubleToRawLongBits(v))
          + " " + line.substring(ts + 1));
    }
    assertEquals(want.size(), got.size());
    assertEquals(want, got);
  }

  @ParameterizedTest
  @EnumSource(PrometheusRelease.class)
  void promtoolReadsOurCompactedBlock(PrometheusRelease release) throws Exception {
    Promtool promtool = Promtool.of(release);
    Path src = dir.resolve("src");
    Map<Labels, List<ChunkMeta>> all = generate(80, 1_700_000_000_000L);
    // Two sources overlapping in time: every series appears in both, with shared samples.
    Map<Labels, List<ChunkMeta>> first = new TreeMap<>(Utf8Order::compare);
    Map<Labels, List<ChunkMeta>> second = new TreeMap<>(Utf8Order::compare);
    all.forEach((l, chunks) -> {
      first.put(l, chunks.subList(0, (chunks.size() + 1) / 2 + (chunks.size() > 2 ? 1 : 0)));
      second.put(l, chunks.subList(chunks.size() / 2, chunks.size()));
    });
    BlockMeta a = writeBlock(src, first, 1 << 20);
    BlockMeta b = writeBlock(src, second, 1 << 20);
    BlockMeta out;
    try (Block ba = Block.open(src.resolve(a.ulid())); Block bb = Block.open(src.resolve(b.ulid()))) {
      out = Compactor.compact(dir.resolve("data"), List.of(ba, bb));
    }
    assertEquals(2, out.compaction().level());
    Files.createDirectories(dir.resolve("data").resolve("wal"));
    String list = promtool.run(dir, "tsdb", "list", "data").check().out();
    long numSamples = samples.values().stream().mapToLong(List::size).sum();
    assertTrue(list.contains(out.ulid()), list);
    assertEquals(numSamples, out.stats().numSamples());
    String dump = promtool.run(dir, "tsdb", "dump", "data").check().out();
    assertEquals(numSamples, dump.lines().filter(x -> !x.isEmpty()).count());
    String firstLine = samples.firstKey() + " ";
    assertTrue(dump.startsWith(firstLine), dump.substring(0, Math.min(200, dump.length())));
  }

  /** Parses Go's %g output (shortest representation, so the double round-trips exactly). */
  static double parseGoFloat(String s) {
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }
}
