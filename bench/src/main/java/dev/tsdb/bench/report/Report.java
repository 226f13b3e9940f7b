package dev.tsdb.bench.report;

import dev.tsdb.bench.run.BenchQuery;
import dev.tsdb.bench.run.Measurement;
import dev.tsdb.bench.run.QueryRunner;
import dev.tsdb.bench.run.Snapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns measurements into a Markdown report. Each server's figure is the median over
 * repetitions; each ratio is "our server / Prometheus" computed per repetition (the two ran
 * back to back) and shown as the median with the min..max spread when there are several.
 */
public final class Report {
  /** The reference every ratio is taken against. */
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
    if (!first().queries().isEmpty()) {
      queries(b);
    }
    if (first().snapshot() != null) {
      disk(b);
    }
    return b.toString();
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
    t.row("RSS after a forced full GC (JVM only), MiB", "%.1f",
        m -> m.rssAfterFullGc() < 0 ? Double.NaN : m.rssAfterFullGc() / 1048576.0);
    b.append(t);
  }

  private void queries(StringBuilder b) {
    b.append("\n### Queries\n\n");
    b.append("Latency in ms, median / p90 of the measured runs (median over repetitions);"
        + " ratio = our median / Prometheus's median (lower is better).\n\n");
    List<String> names = new ArrayList<>(runs.keySet());
    b.append("| query |");
    for (String n : names) {
      b.append(' ').append(n).append(" |");
    }
    for (String n : names) {
      if (!n.equals(REFERENCE) && runs.containsKey(REFERENCE)) {
        b.append(' ').append(n).append(" / ").append(REFERENCE).append(" |");
      }
    }
    b.append(" series x points | answers |\n|---|");
    b.append("---|".repeat(names.size() + ratioColumns() + 2)).append('\n');
    for (int q = 0; q < queries.size(); q++) {
      int qi = q;
      b.append("| ").append(queries.get(q).name()).append(" |");
      for (String n : names) {
        b.append(' ').append(String.format("%.1f / %.1f",
            median(values(n, m -> timing(m, qi).medianMs())),
            median(values(n, m -> timing(m, qi).p90Ms())))).append(" |");
      }
      for (String n : names) {
        if (!n.equals(REFERENCE) && runs.containsKey(REFERENCE)) {
          b.append(' ').append(ratio(n, m -> timing(m, qi).medianMs())).append(" |");
        }
      }
      QueryRunner.Timing any = timing(first(), qi);
      b.append(' ').append(any.result() == null ? "-"
          : any.result().seriesCount() + " x " + any.result().pointCount() / Math.max(1,
              any.result().seriesCount())).append(" |");
      b.append(' ').append(answers(qi)).append(" |\n");
    }
    b.append("\nQueries:\n\n");
    for (BenchQuery q : queries) {
      b.append("- ").append(q.name()).append(": `").append(q.expr()).append('`')
          .append(q.isRange() ? " (range, step " + q.stepMs() / 1000 + "s)" : "").append('\n');
    }
  }

  private static QueryRunner.Timing timing(Measurement m, int q) {
    return m.queries().get(q);
  }

  /** Errors, or how each server's last answer compares with the reference's. */
  private String answers(int q) {
    List<String> notes = new ArrayList<>();
    List<Measurement> ref = runs.get(REFERENCE);
    for (Map.Entry<String, List<Measurement>> e : runs.entrySet()) {
      QueryRunner.Timing t = timing(e.getValue().get(e.getValue().size() - 1), q);
      if (t.error() != null) {
        notes.add(e.getKey() + " error: " + t.error().replace('|', '/').replace('\n', ' '));
      } else if (ref != null && !e.getKey().equals(REFERENCE)) {
        QueryRunner.Timing r = timing(ref.get(ref.size() - 1), q);
        if (r.result() != null) {
          notes.add(runs.size() > 2 ? e.getKey() + ": " + t.result().compare(r.result())
              : t.result().compare(r.result()));
        }
      }
    }
    return notes.isEmpty() ? "-" : String.join("; ", notes);
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

  private static double nothingAsNaN(double v) {
    return v == 0 ? Double.NaN : v;
  }

  private static double snapshotPer(Measurement m, long bytes) {
    return m.snapshot().error() != null ? Double.NaN
        : bytes / (double) m.ingest().acceptedSamples();
  }

  private int ratioColumns() {
    int n = 0;
    for (String s : runs.keySet()) {
      if (!s.equals(REFERENCE) && runs.containsKey(REFERENCE)) {
        n++;
      }
    }
    return n;
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
      for (String n : runs.keySet()) {
        if (!n.equals(REFERENCE) && runs.containsKey(REFERENCE)) {
          b.append(' ').append(n).append(" / ").append(REFERENCE).append(" |");
        }
      }
      b.append("\n|---|").append("---|".repeat(runs.size() + ratioColumns())).append('\n');
    }

    void row(String label, String format, ToDoubleFunction<Measurement> f) {
      b.append("| ").append(label).append(" |");
      for (String n : runs.keySet()) {
        double v = median(values(n, f));
        b.append(' ').append(Double.isNaN(v) ? "-" : String.format(format, v)).append(" |");
      }
      for (String n : runs.keySet()) {
        if (!n.equals(REFERENCE) && runs.containsKey(REFERENCE)) {
          b.append(' ').append(ratio(n, f)).append(" |");
        }
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
  String ratio(String server, ToDoubleFunction<Measurement> f) {
    double[] ours = values(server, f);
    double[] ref = values(REFERENCE, f);
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
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Measurement>> e : runs.entrySet()) {
      List<Map<String, Object>> reps = new ArrayList<>();
      for (Measurement m : e.getValue()) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("command", m.command());
        r.put("storage", m.storageKind());
        r.put("samplesAccepted", m.ingest().acceptedSamples());
        r.put("failedRequests", m.ingest().failedRequests());
        r.put("samplesPerSecond", m.ingest().samplesPerSecond());
        r.put("cpuSecondsPerMillionSamples", m.cpuSecondsPerMillionSamples());
        r.put("rssEmptyBytes", m.empty().rssBytes());
        r.put("rssSettledBytes", m.settled().rssBytes());
        r.put("hwmBytes", m.settled().hwmBytes());
        r.put("rssAfterFullGcBytes", m.rssAfterFullGc());
        r.put("rssBytesPerSeries", m.rssBytesPerSeries());
        r.put("walBytes", m.walBytes());
        r.put("chunksHeadBytes", m.chunksHeadBytes());
        r.put("dataDirBytes", m.dataDirBytes());
        if (m.snapshot() != null) {
          r.put("snapshot", m.snapshot());
        }
        List<Map<String, Object>> qs = new ArrayList<>();
        for (QueryRunner.Timing t : m.queries()) {
          Map<String, Object> q = new LinkedHashMap<>();
          q.put("name", t.query().name());
          q.put("medianMs", t.medianMs());
          q.put("p90Ms", t.p90Ms());
          q.put("error", t.error());
          qs.add(q);
        }
        r.put("queries", qs);
        reps.add(r);
      }
      out.put(e.getKey(), reps);
    }
    return out;
  }
}
