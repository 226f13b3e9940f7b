package dev.tsdb.bench;

import dev.tsdb.bench.gen.Fleet;
import dev.tsdb.bench.gen.IngestPlan;
import dev.tsdb.bench.report.Report;
import dev.tsdb.bench.report.SteadyReport;
import dev.tsdb.bench.run.BenchQuery;
import dev.tsdb.bench.run.DiskUsage;
import dev.tsdb.bench.run.Measurement;
import dev.tsdb.bench.run.QueryRunner;
import dev.tsdb.bench.run.QuerySet;
import dev.tsdb.bench.run.ServerRun;
import dev.tsdb.bench.run.SteadyRun;
import dev.tsdb.bench.server.PrometheusProcess;
import dev.tsdb.bench.server.PrometheusVersion;
import dev.tsdb.bench.server.ServerProcess;
import dev.tsdb.bench.server.TsdbServerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark run: prepares the data once, then for each repetition starts every server in
 * turn (alternating the order between repetitions), measures it alone and stops it.
 */
public final class Bench {
  private final Options options;
  private final PrintStream progress;
  /** Reference servers by name, in the order of --prometheus; filled by {@link #references}. */
  private final Map<String, Path> prometheusBinaries = new LinkedHashMap<>();
  private final Map<String, PrometheusVersion> prometheusVersions = new LinkedHashMap<>();
  /** Our server's JVM options for the class-data-sharing archive; empty without one. */
  private List<String> cdsOptions = List.of();

  public Bench(Options options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
  }

  /** Runs the scenario and returns the report. */
  public Report run() throws IOException, InterruptedException {
    Options o = options;
    String loadBefore = loadAverage();
    Fleet fleet = o.fleet(System.currentTimeMillis());
    progress.printf("preparing %,d series x %d rounds...%n", o.series, o.rounds);
    IngestPlan plan = IngestPlan.build(fleet, o.senders, o.batch,
        Runtime.getRuntime().availableProcessors());
    progress.printf("prepared %,d requests (%,.1f MB snappy, %,.1f MB raw) in %.1f s%n",
        plan.totalRequests(), plan.compressedBytes() / 1e6, plan.rawBytes() / 1e6,
        plan.buildNanos() / 1e9);
    List<BenchQuery> querySet = QuerySet.of(fleet);
    references();

    Path work = o.workDir != null ? Files.createDirectories(o.workDir)
        : Files.createTempDirectory("tsdb-bench");
    ServerRun serverRun = new ServerRun(new ServerRun.Plan(o.settle, o.afterBurst,
        o.firstRunsAfterIngest(), o.queries(), o.disk(), o.restart()),
        new QueryRunner(o.warmup, o.warmupTime, o.queryRepeat), progress::println);
    List<String> names = serverNames();
    if (o.tsdbCds && o.servers.contains("tsdb")) {
      cdsOptions = CdsTraining.archive(work, o, (name, dir, jvm) -> new TsdbServerProcess(name,
          dir, o.tsdbJar, jvm), progress);
    }
    Map<String, List<Measurement>> runs = new LinkedHashMap<>();
    for (String n : names) {
      runs.put(n, new ArrayList<>());
    }
    try {
      for (int rep = 0; rep < o.repeat; rep++) {
        List<String> order = new ArrayList<>(names);
        if (rep % 2 == 1) {
          Collections.reverse(order);
        }
        for (String n : order) {
          Path dir = work.resolve("rep" + rep + "-" + n.replaceAll("[^A-Za-z0-9]", ""));
          runs.get(n).add(serverRun.measure(server(n, dir), promtool(n), plan, o.series,
              querySet));
          if (!o.keep) {
            DiskUsage.delete(dir.resolve("data"));
          }
        }
      }
    } finally {
      if (!o.keep) {
        DiskUsage.delete(work);
      } else {
        progress.println("kept data and logs in " + work);
      }
    }
    String header = header(fleet, plan, loadBefore, loadAverage());
    return new Report(header, runs, querySet);
  }

  /**
   * The steady scenario: the plan's rounds timestamped from the next interval on, fed to all
   * servers at once in real time; returns the Markdown report.
   */
  public String runSteady() throws IOException, InterruptedException {
    Options o = options;
    String loadBefore = loadAverage();
    long interval = o.intervalSeconds * 1000L;
    // The first round is due one interval after the servers have started and settled.
    // Preparing takes about 1 s per 4M samples; the lead covers it with room to spare.
    long lead = 5_000L + (long) o.series * o.rounds / 1000;
    long startMs = (System.currentTimeMillis() + lead + o.settle.toMillis()) / interval
        * interval;
    Fleet fleet = new Fleet(o.series, o.seed, startMs, o.rounds, (int) interval);
    progress.printf("preparing %,d series x %d rounds...%n", o.series, o.rounds);
    IngestPlan plan = IngestPlan.build(fleet, o.senders, o.batch,
        Runtime.getRuntime().availableProcessors());
    if (System.currentTimeMillis() > startMs) {
      throw new IOException("preparing the requests took longer than the lead allowed");
    }
    references();
    Path work = o.workDir != null ? Files.createDirectories(o.workDir)
        : Files.createTempDirectory("tsdb-bench");
    try {
      List<ServerProcess> servers = new ArrayList<>();
      for (String n : serverNames()) {
        servers.add(server(n, work.resolve(n.replaceAll("[^A-Za-z0-9]", ""))));
      }
      SteadyRun.Result r = new SteadyRun(plan, fleet.rounds(), startMs, interval, o.settle,
          o.samplePeriod, progress::println).run(servers);
      StringBuilder h = new StringBuilder();
      h.append("## Steady run of ").append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
          Instant.now().atOffset(ZoneOffset.UTC).withNano(0))).append(" UTC\n\n");
      h.append(String.format("- Data: %,d series (%,d targets), %d rounds at %d s fed in real"
          + " time (%,d samples, %,d requests per server), all servers at once.%n",
          fleet.seriesCount(), fleet.targetCount(), fleet.rounds(), o.intervalSeconds,
          plan.totalSamples(), plan.totalRequests()));
      h.append("- Machine: ").append(Runtime.getRuntime().availableProcessors())
          .append(" CPUs (").append(cpuModel()).append("), ").append(memTotal())
          .append("; load average ").append(loadBefore).append(" before, ")
          .append(loadAverage()).append(" after.\n");
      return SteadyReport.markdown(h.toString(), r, fleet.seriesCount());
    } finally {
      if (!o.keep) {
        DiskUsage.delete(work);
      } else {
        progress.println("kept data and logs in " + work);
      }
    }
  }

  /**
   * Asks every --prometheus binary for its version. One reference is named "prometheus"; several
   * are named by release ("prometheus 2.42", "prometheus 3.5") so that one report compares ours
   * with each.
   */
  private void references() throws IOException, InterruptedException {
    if (!prometheusBinaries.isEmpty() || !options.servers.contains("prometheus")) {
      return;
    }
    for (Path binary : options.prometheus) {
      if (!Files.isExecutable(binary)) {
        throw new IOException(binary + " is missing: `apt-get install prometheus`, or"
            + " ../shared/tools/prometheus3.sh for 3.x");
      }
      PrometheusVersion v = PrometheusVersion.of(binary);
      String name = options.prometheus.size() == 1 ? "prometheus"
          : "prometheus " + v.shortName();
      while (prometheusBinaries.containsKey(name)) {
        name += "'";
      }
      prometheusBinaries.put(name, binary);
      prometheusVersions.put(name, v);
      progress.println(name + ": " + binary + ", version " + v.release());
    }
  }

  /**
   * "tsdb" once per heap size (named "tsdb -Xmx<size>" or "tsdb default heap" when there are
   * several), then the references.
   */
  private List<String> serverNames() {
    List<String> out = new ArrayList<>();
    for (String s : options.servers) {
      if (s.equals("tsdb")) {
        for (String heap : options.tsdbHeaps) {
          out.add(options.tsdbHeaps.size() == 1 ? "tsdb" : tsdbName(heap));
        }
      } else {
        out.addAll(prometheusBinaries.keySet());
      }
    }
    return out;
  }

  /** The promtool that lists a server's snapshot: its own, or the first reference's for ours. */
  private Path promtool(String name) {
    Path binary = prometheusBinaries.getOrDefault(name, options.prometheus.get(0));
    return options.promtoolFor(binary);
  }

  private ServerProcess server(String name, Path dir) throws IOException {
    if (prometheusBinaries.containsKey(name)) {
      return new PrometheusProcess(name, dir, prometheusBinaries.get(name),
          prometheusVersions.get(name));
    }
    String heap = options.tsdbHeaps.get(0);
    for (String h : options.tsdbHeaps) {
      if (name.equals(tsdbName(h))) {
        heap = h;
      }
    }
    List<String> jvm = new ArrayList<>();
    if (!heap.equals(Options.DEFAULT_HEAP)) {
      jvm.add("-Xmx" + heap);
    }
    jvm.addAll(options.tsdbJvmOpts);
    jvm.addAll(cdsOptions);
    return new TsdbServerProcess(name, dir, options.tsdbJar, jvm);
  }

  private static String tsdbName(String heap) {
    return heap.equals(Options.DEFAULT_HEAP) ? "tsdb default heap" : "tsdb -Xmx" + heap;
  }

  private String header(Fleet fleet, IngestPlan plan, String loadBefore, String loadAfter) {
    Options o = options;
    StringBuilder b = new StringBuilder();
    b.append("## Run of ").append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
        Instant.now().atOffset(ZoneOffset.UTC).withNano(0))).append(" UTC, scenario `")
        .append(o.scenario).append("`\n\n");
    b.append(String.format("- Data: %,d series (%,d targets x %d series, ~106 metric names),"
        + " %d scrapes at %d s each (timestamps in the last hour) = %,d samples.%n",
        fleet.seriesCount(), fleet.targetCount(), fleet.targetSize(), fleet.rounds(),
        o.intervalSeconds, plan.totalSamples()));
    b.append(String.format("- Push: %d sender threads, at most %d samples per request, %,d"
        + " requests, %,.1f MB snappy (%,.1f MB protobuf), prepared before the servers start.%n",
        o.senders, o.batch, plan.totalRequests(), plan.compressedBytes() / 1e6,
        plan.rawBytes() / 1e6));
    b.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (")
        .append(cpuModel()).append("), ").append(memTotal()).append("; load average ")
        .append(loadBefore).append(" before, ").append(loadAfter)
        .append(" after (other processes share the machine).\n");
    for (Map.Entry<String, PrometheusVersion> e : prometheusVersions.entrySet()) {
      b.append("- Reference **").append(e.getKey()).append("**: `")
          .append(prometheusBinaries.get(e.getKey())).append("`, version ")
          .append(e.getValue().release()).append(" (").append(e.getValue().goVersion())
          .append("); snapshots listed by `").append(promtool(e.getKey())).append("`.\n");
    }
    b.append("- Repetitions: ").append(o.repeat).append("; the servers run one at a time"
        + " (order alternates between repetitions), settle pause ")
        .append(o.settle.toMillis() / 1000.0).append(" s before the empty reading; memory read ")
        .append(o.afterBurst.stream().map(d -> d.toMillis() / 1000.0 + " s")
            .collect(java.util.stream.Collectors.joining(", ")))
        .append(" after the last ingest answer (no forced GC), the settled reading at ")
        .append(o.settle.toMillis() / 1000.0).append(" s.\n");
    return b.toString();
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static String cpuModel() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          return l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "unknown model";
  }

  private static String memTotal() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
          return String.format("%.1f GiB RAM", kb / 1048576.0);
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "? RAM";
  }
}
