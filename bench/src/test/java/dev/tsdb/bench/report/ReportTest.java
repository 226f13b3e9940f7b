package dev.tsdb.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.bench.run.BenchQuery;
import dev.tsdb.bench.run.Ingester;
import dev.tsdb.bench.run.Measurement;
import dev.tsdb.bench.run.MemoryReading;
import dev.tsdb.bench.run.QueryRunner;
import dev.tsdb.bench.run.RestartRun;
import dev.tsdb.bench.server.JvmHeap;
import dev.tsdb.bench.server.ProcStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static Measurement measurement(String server, double samplesPerSecond, long rssMiB) {
    long samples = 1_000_000;
    long wall = (long) (samples / samplesPerSecond * 1e9);
    ProcStats settled = new ProcStats(rssMiB << 20, rssMiB << 20, 2000);
    return new Measurement(server, server + " --flags", "kind", 1000, 1_000_000_000L,
        new ProcStats(10L << 20, 10L << 20, 0), settled, settled,
        List.of(new MemoryReading(3, settled, null)), -1,
        new Ingester.Result(samples, 0, 0, wall, null), List.of(), List.of(), 0, 0, 0, null,
        null, "log");
  }

  private static BenchQuery query(String name) {
    return new BenchQuery(name, "up", 1000, 0, 0);
  }

  private static QueryRunner.Timing timing(String name, long... millis) {
    long[] nanos = java.util.Arrays.stream(millis).map(ms -> ms * 1_000_000).toArray();
    return new QueryRunner.Timing(query(name), nanos, null, null);
  }

  /** Ours with first-run latencies and a restart; heap read from /metrics. */
  private static Measurement withRestart(Measurement m, long readyMs, long firstMs,
      JvmHeap heap) {
    List<QueryRunner.Timing> first = List.of(timing("a", firstMs, 1, 1), timing("b", 4 * firstMs,
        4, 4));
    RestartRun.Result restart = new RestartRun.Result(10L << 20, 5L << 20, 0, readyMs * 1_000_000,
        m.settled(), m.server().startsWith("tsdb") ? "WAL replay done in 42 ms: 3 series" : null,
        first, 500_000_000L, 20L << 20, readyMs * 500_000, null);
    return new Measurement(m.server(), m.command(), m.storageKind(), m.seriesCount(),
        m.startToReadyNanos(), m.empty(), m.ingested(), m.settled(),
        List.of(new MemoryReading(3, m.settled(), heap), new MemoryReading(60, m.empty(), heap)),
        -1, m.ingest(), first, List.of(), 0, 0, 0, null, restart, "log");
  }

  @Test
  void ratiosArePerRepetitionWithSpread() {
    Map<String, List<Measurement>> runs = new LinkedHashMap<>();
    runs.put("tsdb", List.of(measurement("tsdb", 200_000, 30), measurement("tsdb", 300_000, 30)));
    runs.put("prometheus", List.of(measurement("prometheus", 100_000, 60),
        measurement("prometheus", 100_000, 60)));
    String md = new Report("# header\n", runs, List.of()).markdown();
    assertTrue(md.startsWith("# header\n"));
    assertTrue(md.contains("| samples/s accepted (2xx) | 250,000 | 100,000 | 2.50x (2.00..3.00) |"),
        md);
    // (30 - 10) MiB over 1000 series vs (60 - 10) MiB: 0.4x.
    assertTrue(md.contains("| RSS growth per active series, bytes | 20972 | 52429 | 0.40x |"), md);
    assertTrue(md.contains("| server CPU s per 1M samples | 2.00 | 2.00 | 1.00x |"), md);
    assertTrue(!md.contains("### Queries") && !md.contains("### Disk"));
  }

  @Test
  void oneRatioColumnPerReferenceAndRestartFigures() {
    Map<String, List<Measurement>> runs = new LinkedHashMap<>();
    runs.put("tsdb", List.of(withRestart(measurement("tsdb", 200_000, 30), 4000, 2,
        new JvmHeap(300L << 20, 400L << 20))));
    runs.put("prometheus 2.42", List.of(withRestart(measurement("prometheus 2.42", 100_000, 60),
        2000, 1, null)));
    runs.put("prometheus 3.5", List.of(withRestart(measurement("prometheus 3.5", 100_000, 60),
        1000, 4, null)));
    Report report = new Report("# header\n", runs, List.of(query("a"), query("b")));
    String md = report.markdown();
    assertTrue(md.contains("| tsdb / prometheus 2.42 | tsdb / prometheus 3.5 |"), md);
    assertTrue(md.contains("| samples/s accepted (2xx) | 200,000 | 100,000 | 100,000 | 2.00x |"
        + " 2.00x |"), md);
    assertTrue(md.contains("| RSS 3 s after the burst (no forced GC), MiB | 30.0 | 60.0 | 60.0 |"
        + " 0.50x | 0.50x |"), md);
    assertTrue(md.contains("| RSS 60 s after the burst (no forced GC), MiB | 10.0 |"), md);
    assertTrue(md.contains("|   JVM heap used 3 s after the burst, MiB | 300.0 | - | - | - | - |"),
        md);
    // Medians of the first runs: a = 1 ms everywhere but the first run; b = 4 ms.
    assertTrue(md.contains("### First query runs after ingestion"), md);
    // Geometric mean of the medians (1, 4) is 2 for every server.
    assertTrue(md.contains("| **geometric mean** | 2.0 | 2.0 | 2.0 | 1.00x | 1.00x |"), md);
    assertTrue(md.contains("| restart to ready after SIGKILL, s | 4.00 | 2.00 | 1.00 | 2.00x |"
        + " 4.00x |"), md);
    assertTrue(md.contains("| restart to ready after a clean stop, s | 2.00 | 1.00 | 0.50 |"
        + " 2.00x | 4.00x |"), md);
    assertTrue(md.contains("| wal at the SIGKILL, MiB | 10.0 | 10.0 | 10.0 | 1.00x | 1.00x |"),
        md);
    assertTrue(md.contains("- tsdb after SIGKILL: `WAL replay done in 42 ms: 3 series`"), md);
    assertTrue(md.contains("- prometheus 3.5 after SIGKILL: (no replay line in the log)"), md);
    assertTrue(md.contains("#### First query runs after the SIGKILL restart"), md);

    Map<String, Object> data = report.data();
    @SuppressWarnings("unchecked")
    Map<String, Object> ours = ((List<Map<String, Object>>) data.get("tsdb")).get(0);
    assertEquals(2.0, (Double) ours.get("firstQueriesGeomeanMs"), 1e-9);
    @SuppressWarnings("unchecked")
    Map<String, Object> restart = (Map<String, Object>) ours.get("restart");
    assertEquals(4.0, restart.get("readyAfterKillSeconds"));
    assertEquals("WAL replay done in 42 ms: 3 series", restart.get("replayAfterKill"));
  }

  @Test
  void geomeanIsNaNWhenAQueryFailed() {
    assertEquals(2.0, Report.geomeanMs(List.of(timing("a", 1), timing("b", 4))), 1e-9);
    assertTrue(Double.isNaN(Report.geomeanMs(List.of(timing("a", 1),
        new QueryRunner.Timing(query("b"), new long[0], null, "HTTP 500")))));
  }

  @Test
  void medianAndRatioFormatting() {
    assertEquals(2.5, Report.median(new double[] {3, 1, 2, 4}));
    assertEquals(2, Report.median(new double[] {3, Double.NaN, 1, 2}));
    assertEquals("-", Report.formatRatio(new double[] {Double.NaN}));
    assertEquals("1.50x", Report.formatRatio(new double[] {1.5}));
  }
}
