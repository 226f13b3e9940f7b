package dev.tsdb.blocks.db.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.blocks.BlockMeta;
import dev.tsdb.blocks.db.Database;
import dev.tsdb.blocks.db.DbOptions;
import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.testkit.process.HttpEndpoint;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import dev.tsdb.testkit.reference.Promtool;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Data directory compatibility with Prometheus (2.42 and 3.5) in both directions: we serve a
 * directory Prometheus wrote (promtool-created blocks, a block Prometheus cut from its head, its
 * WAL and chunks_head/, whose chunks our head loads), and promtool and Prometheus read a directory
 * our database wrote, chunks_head/ included.
 */
class PrometheusDataDirIT {
  static final long H = 3_600_000L;

  @TempDir
  Path work;

  private final TreeMap<Labels, TreeMap<Long, Double>> want = new TreeMap<>(Utf8Order::compare);

  private void put(Labels l, long t, double v) {
    want.computeIfAbsent(l, k -> new TreeMap<>()).put(t, v);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }

  /** A Prometheus of {@code release} on {@code data}, fed by remote write only. */
  private Prometheus prometheus(PrometheusRelease release, Path data) throws Exception {
    return Prometheus.in(release, work).data(data)
        .config("global:\n  scrape_interval: 1h\nscrape_configs: []\n").start();
  }

  @ParameterizedTest
  @EnumSource(PrometheusRelease.class)
  void weServeEverySampleOfAPrometheusDataDir(PrometheusRelease release) throws Exception {
    Path data = work.resolve("data");
    Files.createDirectories(data);
    long now = System.currentTimeMillis() / 1000 * 1000;
    Random rnd = new Random(7);

    // 1. Old data as OpenMetrics -> promtool blocks in the data dir.
    StringBuilder om = new StringBuilder();
    om.append("# HELP it_old_gauge Generated.\n# TYPE it_old_gauge gauge\n");
    for (int s = 0; s < 10; s++) {
      Labels l = Labels.of("__name__", "it_old_gauge", "instance", "old-" + s, "job", "it");
      for (long t = now - 30 * H; t < now - 25 * H; t += 60_000) {
        double v = rnd.nextInt(10_000) / 4.0;
        put(l, t, v);
        om.append("it_old_gauge{instance=\"old-").append(s).append("\",job=\"it\"} ")
            .append(fmt(v)).append(' ').append(t / 1000).append('\n');
      }
    }
    om.append("# EOF\n");
    Path omFile = work.resolve("old.om");
    Files.writeString(omFile, om);
    Promtool.of(release).run(work, "tsdb", "create-blocks-from", "openmetrics",
        omFile.toString(), data.toString()).check();

    // 2. Recent data remote-written into Prometheus. Each Prometheus start begins a new WAL
    //    segment, so four short runs leave four segments; the fifth run's data makes the head
    //    span more than 1.5 block ranges, so Prometheus cuts a block and checkpoints the older
    //    two thirds of the WAL. Our database then has blocks, a checkpoint, WAL segments and
    //    chunks_head/ to deal with.
    long from = now - 4 * H;
    long[] runEnds = {from + 40 * 60_000, from + 80 * 60_000, from + 120 * 60_000,
        from + 160 * 60_000, now};
    long runFrom = from;
    for (int run = 0; run < runEnds.length; run++) {
      try (Prometheus prom = prometheus(release, data)) {
        for (long w = runFrom; w < runEnds[run]; w += 10 * 60_000) {
          HttpResponse<String> r = prom.write(WriteRequests.of(
              batch(from, w, Math.min(runEnds[run], w + 10 * 60_000), rnd)));
          assertEquals(2, r.statusCode() / 100, "remote write: " + r.statusCode() + " "
              + r.body());
        }
        if (run == runEnds.length - 1) {
          long deadline = System.currentTimeMillis() + 120_000;
          while (!(hasBlockAfter(data, now - 5 * H) && hasCheckpoint(data))
              && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
          }
          assertTrue(hasBlockAfter(data, now - 5 * H), "no head block:\n" + prom.logText());
          assertTrue(hasCheckpoint(data), "no WAL checkpoint:\n" + prom.logText());
        }
      }
      runFrom = runEnds[run];
    }
    assertTrue(Files.isDirectory(data.resolve("chunks_head")), "chunks_head/ written");
    assertTrue(Files.isDirectory(data.resolve("wal")));

    assertTrue(chunkBytes(data) > 0, "Prometheus wrote head chunks");

    // 3. Our database serves all of it, its head loading Prometheus's chunks_head/.
    DbOptions o = new DbOptions().compactionIntervalMs(0);
    try (Database db = Database.open(data, o)) {
      assertTrue(Files.isDirectory(data.resolve("chunks_head")), "chunks_head/ kept");
      assertTrue(db.blocks().size() >= 2, db.blocks().toString());
      assertEquals(0, db.corruptedBlocksTotal());
      TreeMap<Labels, TreeMap<Long, Double>> got = readAll(db);
      assertEquals(want.keySet(), got.keySet());
      for (Labels l : want.keySet()) {
        assertEquals(want.get(l), got.get(l), l.toString());
      }
      // And keeps working on it: compaction leaves the data as it was.
      db.compact();
      assertEquals(want, readAll(db));
    }
  }

  private TreeMap<Labels, TreeMap<Long, Double>> batch(long from, long lo, long hi, Random rnd) {
    TreeMap<Labels, TreeMap<Long, Double>> batch = new TreeMap<>(Utf8Order::compare);
    for (int s = 0; s < 20; s++) {
      Labels l = Labels.of("__name__", "it_requests_total", "code", s % 2 == 0 ? "200" : "500",
          "instance", "new-" + s, "job", "it");
      TreeMap<Long, Double> samples = new TreeMap<>();
      for (long t = lo; t < hi; t += 15_000) {
        double v = (t - from) / 1000.0 * (s + 1) + (rnd.nextInt(8) == 0 ? 0.125 : 0);
        samples.put(t, v);
        put(l, t, v);
      }
      batch.put(l, samples);
    }
    return batch;
  }

  /** Bytes of chunk records in chunks_head/ (segment headers left out). */
  private static long chunkBytes(Path data) throws Exception {
    long n = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(data.resolve("chunks_head"))) {
      for (Path p : ds) {
        if (p.getFileName().toString().matches("\\d+")) {
          n += Math.max(0, Files.size(p) - 8);
        }
      }
    }
    return n;
  }

  private static boolean hasCheckpoint(Path data) throws Exception {
    try (var s = Files.list(data.resolve("wal"))) {
      return s.anyMatch(p -> p.getFileName().toString().matches("checkpoint\\.\\d+"));
    }
  }

  private static boolean hasBlockAfter(Path data, long t) throws Exception {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(data)) {
      for (Path p : ds) {
        if (p.getFileName().toString().length() == 26) {
          try {
            if (BlockMeta.read(p).minTime() >= t) {
              return true;
            }
          } catch (java.io.IOException e) {
            // being written or deleted by Prometheus's compactor right now
          }
        }
      }
    }
    return false;
  }

  private static TreeMap<Labels, TreeMap<Long, Double>> readAll(Database db) {
    TreeMap<Labels, TreeMap<Long, Double>> got = new TreeMap<>(Utf8Order::compare);
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, Matcher.re("__name__", "it_.+"));
      SampleIterator it = null;
      while (set.next()) {
        TreeMap<Long, Double> m = new TreeMap<>();
        it = set.at().iterator(it);
        while (it.next() != ValueType.NONE) {
          if (m.put(it.t(), it.v()) != null) {
            throw new AssertionError("duplicate sample " + set.at().labels() + " @" + it.t());
          }
        }
        got.put(set.at().labels(), m);
      }
      if (set.error() != null) {
        throw new AssertionError(set.error());
      }
    }
    return got;
  }

  @ParameterizedTest
  @EnumSource(PrometheusRelease.class)
  void promtoolAndPrometheusReadWhatOurDatabaseWrote(PrometheusRelease release)
      throws Exception {
    Path data = work.resolve("ours");
    long now = System.currentTimeMillis() / 1000 * 1000;
    long from = now - 7 * H;
    DbOptions o = new DbOptions().compactionIntervalMs(0);
    List<BlockMeta> blocks;
    try (Database db = Database.open(data, o)) {
      Appender a = db.appender();
      for (long t = from; t <= now; t += 30_000) {
        for (int s = 0; s < 15; s++) {
          Labels l = Labels.of("__name__", "it_ours", "instance", "i-" + s, "job", "ours");
          double v = (t - from) / 1000.0 + s * 0.5;
          a.append(0, l, t, v);
          put(l, t, v);
        }
        a.commit();
      }
      db.compact();
      blocks = db.blocks();
      assertTrue(blocks.size() >= 2, blocks.toString());
    }
    assertTrue(chunkBytes(data) > 0, "our head wrote its full chunks to chunks_head/");
    // promtool lists our blocks...
    Promtool promtool = Promtool.of(release);
    String list = promtool.run(work, "tsdb", "list", data.toString()).check().out();
    for (BlockMeta m : blocks) {
      String row = list.lines().filter(x -> x.startsWith(m.ulid())).findFirst()
          .orElseThrow(() -> new AssertionError(list));
      String[] cols = row.trim().split("\\s+");
      assertEquals(String.valueOf(m.minTime()), cols[1]);
      assertEquals(String.valueOf(m.maxTime()), cols[2]);
      assertEquals(String.valueOf(m.stats().numSamples()), cols[4]);
    }
    // ...and dumps every sample, from blocks and from the head it replays from our WAL.
    String dump = promtool.run(work, "tsdb", "dump", data.toString()).check().out();
    TreeMap<String, TreeMap<Long, Double>> dumped = new TreeMap<>();
    for (String line : dump.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      int ts = line.lastIndexOf(' ');
      int val = line.lastIndexOf(' ', ts - 1);
      Double prev = dumped.computeIfAbsent(line.substring(0, val), k -> new TreeMap<>())
          .put(Long.parseLong(line.substring(ts + 1)), Double.parseDouble(line.substring(val + 1, ts)));
      assertEquals(null, prev, "promtool dumped a sample twice: " + line);
    }
    TreeMap<String, TreeMap<Long, Double>> expected = new TreeMap<>();
    want.forEach((l, m) -> expected.put(l.toString(), m));
    assertEquals(expected, dumped);

    // Prometheus itself opens the directory and answers from blocks + WAL.
    try (Prometheus prom = prometheus(release, data)) {
      String q = "count_over_time(it_ours{instance=\"i-3\"}[8h])";
      String body = prom.get("/api/v1/query?query=" + HttpEndpoint.enc(q) + "&time="
          + (now / 1000)).body();
      long n = want.get(Labels.of("__name__", "it_ours", "instance", "i-3", "job", "ours")).size();
      assertTrue(Pattern.compile("\"" + n + "\"\\]").matcher(body).find(),
          "want " + n + " samples: " + body + "\n" + prom.logText());
      // It loaded our chunks_head/ as it is: no repair, no out-of-sequence chunk.
      String log = prom.logText();
      assertTrue(!log.contains("Loading on-disk chunks failed") && !log.contains("out of sequence")
          && !log.contains("orrupt"), log);
    }
  }
}
