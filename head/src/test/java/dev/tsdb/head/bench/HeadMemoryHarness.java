package dev.tsdb.head.bench;

import dev.tsdb.head.Head;
import dev.tsdb.head.HeadOptions;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Memory per active series (not a unit test): ingests N series (default 100k, node-exporter-like
 * labels, counters and gauges) for an hour at 15 s resolution (240 samples each), then reports
 * live heap and resident memory per series. Run, e.g.:
 *
 * <pre>
 * java -Xmx1g -XX:+UseSerialGC -cp ... dev.tsdb.head.bench.HeadMemoryHarness [series] [wal-dir]
 * </pre>
 *
 * With a wal-dir the head is opened with a WAL there (as in production).
 */
public final class HeadMemoryHarness {
  private HeadMemoryHarness() {}

  static Labels series(int i) {
    int metric = i / 1000;
    int j = i % 1000;
    return Labels.of("__name__", "app_metric_" + metric + (metric % 2 == 0 ? "_total" : ""),
        "instance", "10.0." + (j / 250) + "." + (j % 250) + ":9100",
        "job", "node", "method", j % 3 == 0 ? "GET" : "POST",
        "path", "/api/v1/resource/" + (j % 50), "code", j % 7 == 0 ? "500" : "200");
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path walDir = args.length > 1 ? Path.of(args[1]) : null;
    long[] base = usage();
    HeadOptions opts = new HeadOptions().clock(() -> Long.MAX_VALUE / 2);
    Head head;
    if (walDir != null) {
      Files.createDirectories(walDir);
      head = Head.open(walDir, opts);
    } else {
      head = new Head(opts);
    }
    Random r = new Random(1);
    double[] value = new double[n];
    int[] inc = new int[n];
    for (int i = 0; i < n; i++) {
      value[i] = r.nextInt(1_000_000);
      inc[i] = r.nextInt(100);
    }
    long[] refs = new long[n];
    long t0 = 1_700_000_000_000L - 1_700_000_000_000L % 7_200_000;
    long start = System.nanoTime();
    Appender a = head.appender();
    for (int k = 0; k < 240; k++) {
      long t = t0 + k * 15_000L;
      for (int i = 0; i < n; i++) {
        if ((i / 1000) % 2 == 0) {
          value[i] += inc[i]; // counter
        } else {
          value[i] = Math.round(r.nextGaussian() * 1000) / 10.0; // gauge, one decimal
        }
        // Labels are rebuilt only on first sight, as a scraper caches refs.
        refs[i] = a.append(refs[i], refs[i] == 0 ? series(i) : null, t, value[i]);
        if (i % 5000 == 4999) {
          a.commit();
        }
      }
      a.commit();
    }
    long ingestMs = (System.nanoTime() - start) / 1_000_000;
    value = null;
    inc = null;
    long[] after = usage();
    long heap = after[0] - base[0];
    long rss = after[1] - base[1];
    System.out.printf("series=%d samples=%d ingest=%d ms (%.1f M samples/s)%n", n, 240L * n,
        ingestMs, 240.0 * n / ingestMs / 1000);
    System.out.printf("live heap: %d bytes = %.0f bytes/series%n", heap, (double) heap / n);
    System.out.printf("RSS delta: %d bytes = %.0f bytes/series (RSS now %d MiB)%n", rss,
        (double) rss / n, after[1] >> 20);
    System.out.printf("head.estimateBytes (chunks+bookkeeping+postings): %.0f bytes/series%n",
        (double) head.estimateBytes() / n);
 System.out.println(head.memoryBreakdown());
    System.out.println("series in head: " + head.numSeries() + " refs kept: " + refs.length);
    System.out.flush();
    // -Dharness.pause=N keeps the process alive N seconds (for jcmd GC.class_histogram).
    Thread.sleep(1000L * Integer.getInteger("harness.pause", 0));
    head.close();
  }

  /** Live heap after full GCs, and resident set size, in bytes. */
  static long[] usage() throws Exception {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return new long[] {heap, rss};
  }
}
