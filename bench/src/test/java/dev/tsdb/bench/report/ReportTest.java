package dev.tsdb.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.bench.run.Ingester;
import dev.tsdb.bench.run.Measurement;
import dev.tsdb.bench.server.ProcStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static Measurement measurement(String server, double samplesPerSecond, long rssMiB) {
    long samples = 1_000_000;
    long wall = (long) (samples / samplesPerSecond * 1e9);
    return new Measurement(server, server + " --flags", "kind", 1000,
        new ProcStats(10L << 20, 10L << 20, 0), new ProcStats(rssMiB << 20, rssMiB << 20, 2000),
        new ProcStats(rssMiB << 20, rssMiB << 20, 2000), -1,
        new Ingester.Result(samples, 0, 0, wall, null), List.of(), 0, 0, 0, null, "log");
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
  void medianAndRatioFormatting() {
    assertEquals(2.5, Report.median(new double[] {3, 1, 2, 4}));
    assertEquals(2, Report.median(new double[] {3, Double.NaN, 1, 2}));
    assertEquals("-", Report.formatRatio(new double[] {Double.NaN}));
    assertEquals("1.50x", Report.formatRatio(new double[] {1.5}));
  }
}
