package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.api.remote.PromPb;
import dev.tsdb.testkit.process.TsdbJarServer;
import dev.tsdb.testkit.reference.Promtool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks cut by the running server (1h blocks) are what Prometheus's promtool 2.42 expects:
 * {@code promtool tsdb list} shows each with its time range and counts, and {@code promtool tsdb
 * dump} over a block's range prints exactly the samples that were remote-written there.
 */
class StorageBlocksIT {
  private static final long HOUR = 3_600_000;
  private static final long STEP = 30_000;
  private static final String[][] SERIES = {
      {"__name__", "blk_a", "job", "x"}, {"__name__", "blk_a", "job", "y"},
      {"__name__", "blk_b", "instance", "h:1"}};

  @TempDir
  Path dir;

  /** promtool's label formatting: {name="value", ...} sorted by name. */
  private static String promtoolLabels(String[] pairs) {
    TreeSet<String> sorted = new TreeSet<>();
    for (int i = 0; i < pairs.length; i += 2) {
      sorted.add(pairs[i] + "=\"" + pairs[i + 1] + "\"");
    }
    return "{" + String.join(", ", sorted) + "}";
  }

  private static List<String> blockDirs(Path data) throws IOException {
    try (Stream<Path> s = Files.list(data)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9A-Z]{26}"))
          .sorted().toList();
    }
  }

  @Test
  void promtoolListsAndDumpsServerCutBlocks() throws Exception {
    Path data = dir.resolve("data");
    long end = System.currentTimeMillis() - 60_000;
    long start = (end - 5 * HOUR) / HOUR * HOUR + 17_000; // off the block boundaries
    // Every sample as promtool dump prints it: labels, value, timestamp.
    List<long[]> written = new ArrayList<>();
    List<PromPb.Series> series = new ArrayList<>();
    for (int s = 0; s < SERIES.length; s++) {
      List<Long> ts = new ArrayList<>();
      for (long t = start + s * 1000L; t <= end; t += STEP) {
        ts.add(t);
        written.add(new long[] {s, t});
      }
      long[] t = ts.stream().mapToLong(Long::longValue).toArray();
      double[] v = new double[t.length];
      for (int i = 0; i < t.length; i++) {
        v[i] = i % 1000 + s;
      }
      series.add(PromPb.Series.raw(SERIES[s], t, v));
    }
    try (TsdbJarServer s = TsdbJarServer.start(data, dir.resolve("server.log"),
        "--storage.tsdb.min-block-duration=1h")) {
      assertEquals(204, s.write(PromPb.writeRequest(series, List.of())).statusCode());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (blockDirs(data).size() < 3) {
        assertTrue(System.nanoTime() < deadline, "blocks: " + blockDirs(data));
        Thread.sleep(100);
      }
      assertEquals(0, s.stop()); // waits for maintenance to finish
    }
    assertTrue(Files.isDirectory(data.resolve("wal")));

    // Both the older and the current promtool read the blocks.
    for (Promtool promtool : Promtool.all()) {
      String list = promtool.run(dir, "tsdb", "list", data.toString()).check().out();
      List<String> blocks = blockDirs(data);
      List<String[]> rows = new ArrayList<>();
      for (String line : list.lines().toList()) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 7 && blocks.contains(f[0])) {
          rows.add(f);
        }
      }
      assertEquals(blocks.size(), rows.size(), list);
      long covered = Long.MIN_VALUE;
      for (String[] row : rows) {
        long min = Long.parseLong(row[1]);
        long max = Long.parseLong(row[2]);
        List<String> expected = new ArrayList<>();
        TreeSet<Integer> seriesIn = new TreeSet<>();
        long first = Long.MAX_VALUE;
        for (long[] w : written) {
          if (w[1] >= min && w[1] < max) {
            int sIdx = (int) w[0];
            int i = (int) ((w[1] - start - sIdx * 1000L) / STEP);
            expected.add(promtoolLabels(SERIES[sIdx]) + " " + (i % 1000 + sIdx) + " " + w[1]);
            seriesIn.add(sIdx);
            first = Math.min(first, w[1]);
          }
        }
        String what = promtool + ", block " + row[0] + " in\n" + list;
        assertEquals(first, min, "min time is the first sample: " + what);
        assertEquals(0, max % HOUR, "max time on a block boundary: " + what);
        assertEquals(expected.size(), Long.parseLong(row[4]), "samples: " + what);
        assertEquals(seriesIn.size(), Long.parseLong(row[6]), "series: " + what);
        assertTrue(min >= covered, "blocks do not overlap: " + what);
        covered = max;

        String dump = promtool.run(dir, "tsdb", "dump", "--min-time=" + min,
            "--max-time=" + (max - 1), data.toString()).check().out();
        List<String> got = new ArrayList<>(dump.lines().filter(l -> l.startsWith("{")).toList());
        java.util.Collections.sort(got);
        java.util.Collections.sort(expected);
        assertEquals(expected, got, promtool + " dump of " + row[0]);
      }
      assertTrue(covered > start + 3 * HOUR, "blocks cover the older part of the data: " + list);
      System.out.println("StorageBlocksIT: " + promtool + " tsdb list\n" + list);
      assertFalse(rows.isEmpty());
    }
  }
}
