package dev.tsdb.blocks.db.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunk snapshots ({@code chunk_snapshot.N.M/}) exchanged with Prometheus 3.5 run with
 * {@code --enable-feature=memory-snapshot-on-shutdown}: each loads the other's. To prove the
 * snapshot (not a WAL replay) brought the data back, the data directory is restarted once more
 * without new samples (so the snapshot moves to a later, empty WAL segment) and the WAL segments
 * before it, which hold every sample, are deleted before the other server opens it.
 */
class ChunkSnapshotPrometheusIT {
  static final long H = 3_600_000L;
  static final String FEATURE = "--enable-feature=memory-snapshot-on-shutdown";
  static final int SERIES = 20;

  @TempDir
  Path work;

  private final TreeMap<Labels, TreeMap<Long, Double>> want = new TreeMap<>(Utf8Order::compare);

  private Prometheus prometheus(Path data) throws Exception {
    return Prometheus.in(PrometheusRelease.V3_5, work).data(data)
        .config("global:\n  scrape_interval: 1h\nscrape_configs: []\n").flags(FEATURE).start();
  }

  /** 1h of 15s samples per series: a chunk in chunks_head/ and an open head chunk each. */
  private TreeMap<Labels, TreeMap<Long, Double>> data(long now) {
    for (int s = 0; s < SERIES; s++) {
      Labels l = Labels.of("__name__", "it_snap", "instance", "i-" + s, "job", "it");
      TreeMap<Long, Double> m = new TreeMap<>();
      for (long t = now - H; t < now; t += 15_000) {
        m.put(t, (t - now + H) / 1000.0 * (s + 1) + (t % 7 == 0 ? 0.25 : 0));
      }
      want.put(l, m);
    }
    return want;
  }

  @Test
  void weLoadASnapshotPrometheusWrote() throws Exception {
    Path data = work.resolve("prom");
    long now = System.currentTimeMillis() / 1000 * 1000;
    try (Prometheus prom = prometheus(data)) {
      HttpResponse<String> r = prom.write(WriteRequests.of(data(now)));
      assertEquals(2, r.statusCode() / 100, r.body());
    }
    try (Prometheus prom = prometheus(data)) {
      assertFalse(prom.logText().contains("Failed to load chunk snapshot"), prom.logText());
    }
    dropWalBeforeSnapshot(data);
    DbOptions o = new DbOptions().compactionIntervalMs(0).chunkSnapshotOnShutdown(true);
    try (Database db = Database.open(data, o)) {
      assertEquals(want, readAll(db));
    }
  }

  @Test
  void prometheusLoadsASnapshotWeWrote() throws Exception {
    Path data = work.resolve("ours");
    long now = System.currentTimeMillis() / 1000 * 1000;
    DbOptions o = new DbOptions().compactionIntervalMs(0).chunkSnapshotOnShutdown(true);
    try (Database db = Database.open(data, o)) {
      Appender a = db.appender();
      data(now).forEach((l, m) -> m.forEach((t, v) -> {
        try {
          a.append(0, l, t, v);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }));
      a.commit();
    }
    try (Database db = Database.open(data, o)) {
      assertEquals(want, readAll(db));
    }
    dropWalBeforeSnapshot(data);
    try (Prometheus prom = prometheus(data)) {
      String q = "sum(count_over_time(it_snap[2h])) and sum(it_snap)";
      String body = prom.get("/api/v1/query?query=" + HttpEndpoint.enc(q) + "&time="
          + (now / 1000)).body();
      assertTrue(body.contains("\"" + SERIES * 240 + "\"]"), body + "\n" + prom.logText());
      String one = "sum_over_time(it_snap{instance=\"i-3\"}[2h])";
      double sum = want.get(Labels.of("__name__", "it_snap", "instance", "i-3", "job", "it"))
          .values().stream().mapToDouble(Double::doubleValue).sum();
      String body1 = prom.get("/api/v1/query?query=" + HttpEndpoint.enc(one) + "&time="
          + (now / 1000)).body();
      assertTrue(body1.contains("\"" + fmt(sum) + "\"]"), fmt(sum) + " in " + body1);
      assertFalse(prom.logText().contains("Failed to load chunk snapshot"), prom.logText());
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }

  /** Deletes the WAL segments older than the newest snapshot's segment. */
  private static void dropWalBeforeSnapshot(Path data) throws Exception {
    List<Path> snaps;
    try (Stream<Path> s = Files.list(data)) {
      snaps = s.filter(p -> p.getFileName().toString().matches("chunk_snapshot\\.\\d+\\.\\d+"))
          .sorted().toList();
    }
    assertEquals(1, snaps.size(), "one snapshot in " + data);
    int n = Integer.parseInt(snaps.get(0).getFileName().toString().split("\\.")[1]);
    assertTrue(n > 0, snaps.toString());
    try (Stream<Path> s = Files.list(data.resolve("wal"))) {
      for (Path p : s.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        if (Integer.parseInt(p.getFileName().toString()) < n) {
          Files.delete(p);
        }
      }
    }
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
          m.put(it.t(), it.v());
        }
        got.put(set.at().labels(), m);
      }
      if (set.error() != null) {
        throw new AssertionError(set.error());
      }
    }
    return got;
  }
}
