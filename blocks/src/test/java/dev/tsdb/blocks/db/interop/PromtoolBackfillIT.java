package dev.tsdb.blocks.db.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.blocks.db.Database;
import dev.tsdb.blocks.db.DbOptions;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.testkit.reference.PrometheusRelease;
import dev.tsdb.testkit.reference.Promtool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Backfilling a running database: promtool's {@code tsdb create-blocks-from openmetrics} writes
 * blocks straight into the data directory of an open {@link Database}; its maintenance cycle
 * picks them up, and queries answer from them and the head together. A second backfill over the
 * same hours makes overlapping blocks, which vertical compaction merges.
 */
class PromtoolBackfillIT {
  private static final long T0 = 1_700_006_400_000L; // a multiple of 2h
  private static final long H = 3_600_000L;

  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(PrometheusRelease.class)
  void blocksWrittenIntoARunningDatabaseAreServed(PrometheusRelease release) throws Exception {
    Promtool promtool = Promtool.of(release);
    Path data = dir.resolve("data");
    DbOptions o = new DbOptions().compactionIntervalMs(100).retentionTimeMs(0);
    TreeMap<String, List<String>> want = new TreeMap<>();
    try (Database db = Database.open(data, o)) {
      Appender a = db.appender();
      Labels live = Labels.of("__name__", "live", "job", "x");
      for (long t = T0 + 10 * H; t < T0 + 10 * H + 600_000; t += 60_000) {
        a.append(0, live, t, 1);
        want.computeIfAbsent(live.toString(), k -> new ArrayList<>()).add(t + "=1.0");
      }
      a.commit();

      backfill(promtool, data, "first.om", T0, 5 * H, 0, want);
      awaitBlocks(db, want);
      // Same hours again, samples in between: overlapping blocks, merged by compaction.
      backfill(promtool, data, "second.om", T0 + H, 2 * H, 30_000, want);
      awaitBlocks(db, want);
      long deadline = System.currentTimeMillis() + 30_000;
      while (overlapping(db) && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(!overlapping(db), "overlaps merged: " + db.blocks());
      assertEquals(want, read(db));
    }
  }

  /** promtool writes the OpenMetrics file's samples as blocks into {@code data}. */
  private void backfill(Promtool promtool, Path data, String file, long from, long span,
      long offset, TreeMap<String, List<String>> want) throws Exception {
    StringBuilder om = new StringBuilder("# TYPE backfilled gauge\n");
    for (int s = 0; s < 3; s++) {
      Labels l = Labels.of("__name__", "backfilled", "series", "s" + s);
      for (long t = from + offset; t < from + span; t += 60_000) {
        double v = (t / 60_000) % 13 + s;
        om.append("backfilled{series=\"s").append(s).append("\"} ").append(v).append(' ')
            .append(t / 1000).append('\n');
        want.computeIfAbsent(l.toString(), k -> new ArrayList<>()).add(t + "=" + v);
      }
    }
    om.append("# EOF\n");
    Files.writeString(dir.resolve(file), om, StandardCharsets.UTF_8);
    promtool.run(dir, "tsdb", "create-blocks-from", "openmetrics", file, data.toString())
        .check();
    want.values().forEach(v -> v.sort((x, y) -> Long.compare(
        Long.parseLong(x.substring(0, x.indexOf('='))),
        Long.parseLong(y.substring(0, y.indexOf('='))))));
  }

  private static void awaitBlocks(Database db, TreeMap<String, List<String>> want)
      throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!want.equals(read(db)) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(want, read(db));
  }

  private static boolean overlapping(Database db) {
    var blocks = db.blocks();
    for (int i = 1; i < blocks.size(); i++) {
      if (blocks.get(i).minTime() < blocks.get(i - 1).maxTime()) {
        return true;
      }
    }
    return false;
  }

  private static TreeMap<String, List<String>> read(Database db) throws Exception {
    TreeMap<String, List<String>> got = new TreeMap<>();
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(true, null, Matcher.re("__name__", ".+"));
      SampleIterator it = null;
      while (ss.next()) {
        it = ss.at().iterator(it);
        List<String> samples = new ArrayList<>();
        while (it.next() == ValueType.FLOAT) {
          samples.add(it.t() + "=" + it.v());
        }
        got.put(ss.at().labels().toString(), samples);
      }
    }
    return got;
  }
}
