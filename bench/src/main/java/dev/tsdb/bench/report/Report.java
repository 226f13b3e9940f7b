package dev.tsdb.bench.report;

import dev.tsdb.bench.run.BenchQuery;
import dev.tsdb.bench.run.Measurement;
import dev.tsdb.bench.run.QueryRunner;
import dev.tsdb.bench.run.RestartRun;
import dev.tsdb.bench.run.Snapshot;
import dev.tsdb.bench.server.JvmHeap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Turns measurements into a Markdown report. Each server's figure is the median over
 * repetitions; each ratio is "our server / Prometheus" computed per repetition (the two ran
 * back to back) and shown as the median with the min..max spread when there are several. Every
 * server whose name starts with "prometheus" is a reference ("prometheus", or "prometheus 2.42"
 * and "prometheus 3.5" in one run), and each of ours gets a ratio column per reference.
 */
public final class Report {
  /** Name (prefix) of the reference servers every ratio is taken against. */
  public static final String REFERENCE = "prometheus";

  private final String header;
  private final Map<String, List<Measurement>> runs;
  private final List<BenchQuery> queries;

  /**
   * @param header Markdown printed first (title, method summary, machine)
   * @param runs measurements per server name, one per repetition, in display order
   */
  public Report(String header, Map<String, List<Measurement>> runs, List<BenchQuery> queries) {
    this.header = header;
    this.runs = new LinkedHashMap<>(runs);
    this.queries = queries;
  }

  public String markdown() {
    StringBuilder b = new StringBuilder(header);
    b.append("\n### Servers\n\n");
    for (Map.Entry<String, List<Measurement>> e : runs.entrySet()) {
      Measurement m = e.getValue().get(0);
      b.append("- **").append(e.getKey()).append("**: `").append(m.command())
          .append("`; storage: ").append(m.storageKind()).append('\n');
    }
    ingestion(b);
    memory(b);
    if (!first().firstQueries().isEmpty()) {
      b.append("\n### First query runs after ingestion\n\n");
      b.append("The first ").append(first().firstQueries().get(0).runNanos().length)
          .append(" runs of each query with no warm-up, once the memory readings are done and"
              + " before any other query: what a dashboard opened after the burst sees. Latency"
              + " in ms, median of those runs (median over repetitions).\n\n");
      latencyTable(b, Measurement::firstQueries, false, false);
    }
    if (!first().queries().isEmpty()) {
      queries(b);
    }
    if (first().snapshot() != null) {
      disk(b);
    }
    if (first().restart() != null) {
      restart(b);
    }
    return b.toString();
  }

  static boolean isReference(String server) {
    return server.startsWith(REFERENCE);
  }

  private List<String> references() {
    return runs.keySet().stream().filter(Report::isReference).toList();
  }

  /** "ours / reference" pairs, one ratio column each. */
  private List<String[]> ratioPairs() {
    List<String[]> out = new ArrayList<>();
    for (String n : runs.keySet()) {
      if (!isReference(n)) {
        for (String r : references()) {
          out.add(new String[] {n, r});
        }
      }
    }
    return out;
  }

  private Measurement first() {
    return runs.values().iterator().next().get(0);
  }

  private void ingestion(StringBuilder b) {
    b.append("\n### Ingestion\n\n");
    Table t = table("higher is better for samples/s, lower for the rest");
    t.row("samples/s accepted (2xx)", "%,.0f", m -> m.ingest().samplesPerSecond());
    t.row("wall time of the push, s", "%.1f", m -> m.ingest().wallNanos() / 1e9);
    t.row("server CPU s per 1M samples", "%.2f", Measurement::cpuSecondsPerMillionSamples);
    t.row("failed requests", "%.0f", m -> m.ingest().failedRequests());
    b.append(t);
    for (List<Measurement> ms : runs.values()) {
      for (Measurement m : ms) {
        if (m.ingest().firstError() != null) {
          b.append("\n").append(m.server()).append(" first error: `")
              .append(m.ingest().firstError()).append("`\n");
          break;
        }
      }
    }
  }

  private void memory(StringBuilder b) {
    b.append("\n### Memory\n\n");
    Table t = table("lower is better");
    t.row("RSS of the empty server, MiB", "%.1f", m -> m.empty().rssBytes() / 1048576.0);
    t.row("RSS after ingest + settle, MiB", "%.1f", m -> m.settled().rssBytes() / 1048576.0);
    t.row("peak RSS (VmHWM), MiB", "%.1f", m -> m.settled().hwmBytes() / 1048576.0);
    t.row("RSS growth per active series, bytes", "%.0f", Measurement::rssBytesPerSeries);
    for (int i = 0; i < first().afterBurst().size(); i++) {
      int ri = i;
      String at = String.format("%.0f s after the burst", first().afterBurst().get(i)
          .secondsAfterBurst());
      t.row("RSS " + at + " (no forced GC), MiB", "%.1f",
          m -> m.afterBurst().get(ri).stats().rssBytes() / 1048576.0);
      t.row("  JVM heap used " + at + ", MiB", "%.1f",
          m -> heapMiB(m.afterBurst().get(ri).heap(), true));
      t.row("  JVM heap committed " + at + ", MiB", "%.1f",
          m -> heapMiB(m.afterBurst().get(ri).heap(), false));
    }
    t.row("RSS after a forced full GC (JVM only), MiB", "%.1f",
        m -> m.rssAfterFullGc() < 0 ? Double.NaN : m.rssAfterFullGc() / 1048576.0);
    b.append(t);
  }

  private static double heapMiB(JvmHeap heap, boolean used) {
    return heap == null ? Double.NaN
        : (used ? heap.usedBytes() : heap.committedBytes()) / 1048576.0;
  }

  private void queries(StringBuilder b) {
    b.append("\n### Queries\n\n");
    b.append("Latency in ms, median / p90 of the measured runs (median over repetitions);"
        + " ratio = our median / Prometheus's median (lower is better).\n\n");
    latencyTable(b, Measurement::queries, true, true);
    b.append("\nQueries:\n\n");
    for (BenchQuery q : queries) {
      b.append("- ").append(q.name()).append(": `").append(q.expr()).append('`')
          .append(q.isRange() ? " (range, step " + q.stepMs() / 1000 + "s)" : "").append('\n');
    }
  }

  /**
   * One row per query (median, with p90 if asked), ratio columns, then the geometric mean of the
   * medians over all queries: a figure per server that no single query dominates.
   */
  private void latencyTable(StringBuilder b, Function<Measurement, List<QueryRunner.Timing>> of,
      boolean p90, boolean answers) {
    List<String> names = new ArrayList<>(runs.keySet());
    b.append("| query |");
    for (String n : names) {
      b.append(' ').append(n).append(" |");
    }
    for (String[] p : ratioPairs()) {
      b.append(' ').append(p[0]).append(" / ").append(p[1]).append(" |");
    }
    int extra = answers ? 2 : 0;
    if (answers) {
      b.append(" series x points | answers |");
    }
    b.append("\n|---|").append("---|".repeat(names.size() + ratioPairs().size() + extra))
        .append('\n');
    for (int q = 0; q < queries.size(); q++) {
      int qi = q;
      b.append("| ").append(queries.get(q).name()).append(" |");
      for (String n : names) {
        double median = median(values(n, m -> of.apply(m).get(qi).medianMs()));
        b.append(' ').append(p90 ? String.format("%.1f / %.1f", median,
            median(values(n, m -> of.apply(m).get(qi).p90Ms())))
            : String.format("%.1f", median)).append(" |");
      }
      for (String[] p : ratioPairs()) {
        b.append(' ').append(ratio(p[0], p[1], m -> of.apply(m).get(qi).medianMs()))
            .append(" |");
      }
      if (answers) {
        QueryRunner.Timing any = of.apply(first()).get(qi);
        b.append(' ').append(any.result() == null ? "-"
            : any.result().seriesCount() + " x " + any.result().pointCount() / Math.max(1,
                any.result().seriesCount())).append(" |");
        b.append(' ').append(answers(qi)).append(" |");
      }
      b.append('\n');
    }
    b.append("| **geometric mean** |");
    for (String n : names) {
      double g = median(values(n, m -> geomeanMs(of.apply(m))));
      b.append(' ').append(Double.isNaN(g) ? "-" : String.format("%.1f", g)).append(" |");
    }
    for (String[] p : ratioPairs()) {
      b.append(' ').append(ratio(p[0], p[1], m -> geomeanMs(of.apply(m)))).append(" |");
    }
    b.append(" |".repeat(extra)).append('\n');
  }

  /** Geometric mean of the queries' median latencies; NaN if any query failed. */
  static double geomeanMs(List<QueryRunner.Timing> timings) {
    double logSum = 0;
    for (QueryRunner.Timing t : timings) {
      double ms = t.medianMs();
      if (!(ms > 0)) {
        return Double.NaN;
      }
      logSum += Math.log(ms);
    }
    return timings.isEmpty() ? Double.NaN : Math.exp(logSum / timings.size());
  }

  /** Errors, or how each server's last answer compares with each reference's. */
  private String answers(int q) {
    List<String> notes = new ArrayList<>();
    for (Map.Entry<String, List<Measurement>> e : runs.entrySet()) {
      QueryRunner.Timing t = last(e.getKey()).queries().get(q);
      if (t.error() != null) {
        notes.add(e.getKey() + " error: " + t.error().replace('|', '/').replace('\n', ' '));
      }
    }
    List<String[]> pairs = ratioPairs();
    for (String[] p : pairs) {
      QueryRunner.Timing t = last(p[0]).queries().get(q);
      QueryRunner.Timing r = last(p[1]).queries().get(q);
      if (t.result() != null && r.result() != null) {
        String c = t.result().compare(r.result());
        notes.add(pairs.size() > 1 ? p[0] + " vs " + p[1] + ": " + c : c);
      }
    }
    return notes.isEmpty() ? "-" : String.join("; ", notes);
  }

  private Measurement last(String server) {
    List<Measurement> ms = runs.get(server);
    return ms.get(ms.size() - 1);
  }

  private void disk(StringBuilder b) {
    b.append("\n### Disk\n\n");
    b.append("After ingestion, before any block is cut (Prometheus cuts the first block only"
        + " once its head spans 3 h): the write-ahead log and memory-mapped head chunks. Then"
        + " both servers write their in-memory data as blocks through the snapshot API"
        + " (`POST /api/v1/admin/tsdb/snapshot`), which measures the persistent block format"
        + " for identical data; `promtool tsdb list` reads every snapshot back."
        + " A dash means the server wrote no such files or has no snapshot support.\n\n");
    Table t = table("lower is better");
    // "-" rather than 0 where a server wrote no such files (e.g. an in-memory storage).
    t.row("WAL bytes per sample", "%.2f", m -> nothingAsNaN(m.walBytesPerSample()));
    t.row("chunks_head bytes per sample", "%.2f",
        m -> nothingAsNaN(m.chunksHeadBytes() / (double) m.ingest().acceptedSamples()));
    t.row("whole data dir bytes per sample", "%.2f",
        m -> nothingAsNaN(m.dataDirBytesPerSample()));
    t.row("snapshot blocks bytes per sample", "%.3f", m -> snapshotPer(m, m.snapshot()
        .totalBytes()));
    t.row("  of which chunks, bytes per sample", "%.3f", m -> snapshotPer(m, m.snapshot()
        .chunkBytes()));
    t.row("  of which index, bytes per series", "%.1f", m -> m.snapshot().error() != null
        ? Double.NaN : m.snapshot().indexBytes() / (double) m.seriesCount());
    t.row("snapshot time, s", "%.1f", m -> m.snapshot().error() != null ? Double.NaN
        : m.snapshot().millis() / 1000.0);
    b.append(t);
    b.append('\n');
    for (Map.Entry<String, List<Measurement>> e : runs.entrySet()) {
      Measurement m = e.getValue().get(e.getValue().size() - 1);
      Snapshot.Result s = m.snapshot();
      b.append("- ").append(e.getKey()).append(" snapshot: ");
      if (s.error() != null) {
        b.append("not available (").append(s.error()).append(")\n");
      } else if (s.promtoolError() != null) {
        b.append(s.promtoolError()).append('\n');
      } else {
        b.append("promtool lists ").append(String.format("%,d", s.promtoolSamples()))
            .append(" samples in ").append(String.format("%,d", s.promtoolSeries()))
            .append(" series (pushed: ").append(String.format("%,d", m.ingest()
                .acceptedSamples())).append(")\n");
      }
    }
  }

  private void restart(StringBuilder b) {
    b.append("\n### Restart\n\n");
    b.append("After ingestion (and the other scenarios' measurements) the server is killed with"
        + " SIGKILL and started again on the same data directory; once ready, the query set's"
        + " first runs are recorded; then it is stopped with SIGTERM (waiting for the exit) and"
        + " started once more. Start-to-ready is from launching the process to `/-/ready`"
        + " answering 200 (polled every 20 ms). Disk sizes are those the restart after the"
        + " SIGKILL reads.\n\n");
    Table t = table("lower is better");
    t.row("start to ready, empty data dir, s", "%.2f", m -> m.startToReadyNanos() / 1e9);
    t.row("restart to ready after SIGKILL, s", "%.2f",
        m -> m.restart().readyAfterKillNanos() / 1e9);
    t.row("RSS once ready after SIGKILL, MiB", "%.1f",
        m -> m.restart().rssAfterKillRestart().rssBytes() / 1048576.0);
    t.row("clean stop (SIGTERM to exit), s", "%.2f", m -> m.restart().stopNanos() / 1e9);
    t.row("restart to ready after a clean stop, s", "%.2f",
        m -> m.restart().readyAfterStopNanos() / 1e9);
    t.row("wal at the SIGKILL, MiB", "%.1f", m -> m.restart().walBytes() / 1048576.0);
    t.row("chunks_head at the SIGKILL, MiB", "%.1f",
        m -> m.restart().chunksHeadBytes() / 1048576.0);
    t.row("blocks at the SIGKILL, MiB", "%.1f", m -> m.restart().blockBytes() / 1048576.0);
    t.row("data dir after the clean stop, MiB", "%.1f",
        m -> m.restart().dataDirAfterStopBytes() / 1048576.0);
    b.append(t);
    b.append("\nWhat each server logged about its replay (last repetition):\n\n");
    for (String n : runs.keySet()) {
      RestartRun.Result r = last(n).restart();
      b.append("- ").append(n).append(" after SIGKILL: ").append(quoted(r.replayAfterKill()))
          .append("\n  - after the clean stop: ").append(quoted(r.replayAfterStop()))
          .append('\n');
    }
    b.append("\n#### First query runs after the SIGKILL restart\n\n");
    b.append("As after ingestion: the first ").append(first().restart().firstQueriesAfterKill()
        .get(0).runNanos().length).append(" runs of each query, median, ms.\n\n");
    latencyTable(b, m -> m.restart().firstQueriesAfterKill(), false, false);
  }

  private static String quoted(String logLine) {
    return logLine == null ? "(no replay line in the log)"
        : "`" + logLine.replace('`', '\'') + "`";
  }

  private static double nothingAsNaN(double v) {
    return v == 0 ? Double.NaN : v;
  }

  private static double snapshotPer(Measurement m, long bytes) {
    return m.snapshot().error() != null ? Double.NaN
        : bytes / (double) m.ingest().acceptedSamples();
  }

  private Table table(String note) {
    return new Table(note);
  }

  /** A metric-per-row table: one column per server, then one ratio column per non-reference. */
  private final class Table {
    private final StringBuilder b = new StringBuilder();

    Table(String note) {
      b.append("| ").append(note).append(" |");
      for (String n : runs.keySet()) {
        b.append(' ').append(n).append(" |");
      }
      for (String[] p : ratioPairs()) {
        b.append(' ').append(p[0]).append(" / ").append(p[1]).append(" |");
      }
      b.append("\n|---|").append("---|".repeat(runs.size() + ratioPairs().size()))
          .append('\n');
    }

    void row(String label, String format, ToDoubleFunction<Measurement> f) {
      b.append("| ").append(label).append(" |");
      for (String n : runs.keySet()) {
        double v = median(values(n, f));
        b.append(' ').append(Double.isNaN(v) ? "-" : String.format(format, v)).append(" |");
      }
      for (String[] p : ratioPairs()) {
        b.append(' ').append(ratio(p[0], p[1], f)).append(" |");
      }
      b.append('\n');
    }

    @Override
    public String toString() {
      return b.toString();
    }
  }

  private double[] values(String server, ToDoubleFunction<Measurement> f) {
    return runs.get(server).stream().mapToDouble(m -> {
      try {
        return f.applyAsDouble(m);
      } catch (RuntimeException e) {
        return Double.NaN;
      }
    }).toArray();
  }

  /** Per-repetition ratios server / reference: "1.23x" or "1.23x (1.10..1.40)". */
  String ratio(String server, String reference, ToDoubleFunction<Measurement> f) {
    double[] ours = values(server, f);
    double[] ref = values(reference, f);
    int n = Math.min(ours.length, ref.length);
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = ours[i] / ref[i];
    }
    return formatRatio(r);
  }

  static String formatRatio(double[] ratios) {
    double[] finite = Arrays.stream(ratios).filter(d -> !Double.isNaN(d) && !Double.isInfinite(d))
        .sorted().toArray();
    if (finite.length == 0) {
      return "-";
    }
    String s = String.format("%.2fx", median(finite));
    String low = String.format("%.2f", finite[0]);
    String high = String.format("%.2f", finite[finite.length - 1]);
    if (!low.equals(high)) {
      s += " (" + low + ".." + high + ")";
    }
    return s;
  }

  static double median(double[] values) {
    double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** The figures as plain data, for the JSON output. */
  public Map<String, Object> data() {
    return ReportData.of(runs);
  }
}
