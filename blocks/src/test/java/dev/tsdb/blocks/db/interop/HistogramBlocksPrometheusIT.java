package dev.tsdb.blocks.db.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.blocks.db.Database;
import dev.tsdb.blocks.db.DbOptions;
import dev.tsdb.blocks.db.HistogramDbTest;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import dev.tsdb.testkit.reference.Promtool;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native histogram blocks interchange with Prometheus 3.5. The same samples (integer and float
 * histograms, custom buckets, a gauge, counter resets, a float/histogram switch) go into a real
 * Prometheus over remote write and into our database. Prometheus's blocks (a snapshot of its
 * head) are opened by our database and read back equal; promtool 3.5 dumps our blocks exactly
 * as it dumps Prometheus's own.
 */
class HistogramBlocksPrometheusIT {
  static final long H = 3_600_000L;

  @TempDir
  Path work;

  private static DbOptions options() {
    return new DbOptions().compactionIntervalMs(0).retentionTimeMs(0);
  }

  /** Equality with a short message: the first differing sample of each series. */
  private static void assertSameSamples(Map<Labels, List<String>> want,
      Map<Labels, List<String>> got, String what) {
    StringBuilder diff = new StringBuilder();
    for (Labels l : want.keySet()) {
      List<String> w = want.get(l);
      List<String> g = got.getOrDefault(l, List.of());
      for (int i = 0; i < Math.max(w.size(), g.size()); i++) {
        String a = i < w.size() ? w.get(i) : "(none)";
        String b = i < g.size() ? g.get(i) : "(none)";
        if (!a.equals(b)) {
          diff.append(l).append(" #").append(i).append(" of ").append(w.size()).append("/")
              .append(g.size()).append(":\n  want ").append(a).append("\n  got  ").append(b)
              .append('\n');
          break;
        }
      }
    }
    assertEquals(want.keySet(), got.keySet(), what);
    assertEquals("", diff.toString(), what);
  }

  @Test
  void prometheusAndWeReadEachOthersHistogramBlocks() throws Exception {
    // Recent data, so nothing is too old for Prometheus's head or its retention.
    long start = (System.currentTimeMillis() - 6 * H) / (2 * H) * (2 * H) + 60_000;
    TreeMap<Labels, TreeMap<Long, Object>> data = HistogramDbTest.generate(start);
    Map<Labels, List<String>> want = HistogramDbTest.expected(data);
    long numSamples = data.values().stream().mapToLong(Map::size).sum();

    Path theirs;
    try (Prometheus p = Prometheus.in(PrometheusRelease.V3_5, work.resolve("prom"))
        .config("global:\n  scrape_interval: 1h\nscrape_configs: []\n")
        .flags("--enable-feature=native-histograms", "--web.enable-admin-api").start()) {
      // Prometheus appends a series' floats before its histograms, so one request with the
      // mixed series' float/histogram runs would make the earlier runs out of order: send an
      // hour (one run) per request.
      for (long from = start; from < start + HistogramDbTest.SPAN; from += H) {
        TreeMap<Labels, TreeMap<Long, Object>> hour = new TreeMap<>(data.comparator());
        for (Map.Entry<Labels, TreeMap<Long, Object>> e : data.entrySet()) {
          hour.put(e.getKey(), new TreeMap<>(e.getValue().subMap(from, from + H)));
        }
        HttpResponse<String> wr = p.write(WriteRequests.ofMixed(hour));
        assertEquals(204, wr.statusCode(), () -> "remote write: " + wr.body());
      }
      HttpResponse<String> snap = p.post("/api/v1/admin/tsdb/snapshot");
      assertEquals(200, snap.statusCode(), snap::body);
      String name = new ObjectMapper().readTree(snap.body()).path("data").path("name").asText();
      theirs = work.resolve("prom/data/snapshots").resolve(name);
    }
    try (Database db = Database.open(theirs, options())) {
      assertFalse(db.blocks().isEmpty(), "Prometheus's snapshot holds blocks");
      assertSameSamples(want, HistogramDbTest.readAll(db), "Prometheus's blocks, read by us");
    }

    Path ours = work.resolve("ours");
    try (Database db = Database.open(work.resolve("db"), options())) {
      HistogramDbTest.appendAll(db, data);
      db.compact(); // a block cut from the head, the rest in the head
      assertEquals(1, db.blocks().size());
      db.snapshot(ours, true); // the block, and the head written as a second block
    }
    Files.createDirectories(ours.resolve("wal"));
    Promtool promtool = Promtool.of(PrometheusRelease.V3_5);
    String ourDump = promtool.run(work, "tsdb", "dump", ours.toString()).check().out();
    String theirDump = promtool.run(work, "tsdb", "dump", theirs.toString()).check().out();
    // promtool 3.5's dump reads each series with one loop per value type, so it leaves out a
    // histogram series' first sample and the runs after a type switch: not every sample shows,
    // but Prometheus's own blocks of the same data dump exactly the same lines.
    long lines = ourDump.lines().filter(l -> !l.isEmpty()).count();
    assertTrue(lines > numSamples * 3 / 4 && lines <= numSamples, lines + " of " + numSamples);
    assertTrue(ourDump.lines().filter(l -> l.contains("{count:")).count() > numSamples / 2,
        "histograms in the dump");
    assertEquals(theirDump, ourDump);

    // Debian's promtool 2.42 (the older reader) opens our histogram blocks (every chunk
    // encoding, custom buckets included) as it opens Prometheus 3.5's; its dump prints only the
    // float samples, identically for both.
    Promtool old = Promtool.of(PrometheusRelease.V2_42);
    Promtool.Result ourOld = old.run(work, "tsdb", "dump", ours.toString()).check();
    Promtool.Result theirOld = old.run(work, "tsdb", "dump", theirs.toString()).check();
    assertTrue(ourOld.out().lines().count() > 0, "floats in the 2.42 dump");
    assertEquals(theirOld.out(), ourOld.out());
  }
}
