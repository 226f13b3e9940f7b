package dev.tsdb.bench.run;

import dev.tsdb.bench.gen.IngestPlan;
import dev.tsdb.bench.server.JvmHeap;
import dev.tsdb.bench.server.ProcStats;
import dev.tsdb.bench.server.ServerProcess;
import dev.tsdb.bench.server.TsdbServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures one server from start to stop: empty footprint, ingestion of the plan, footprint at
 * fixed times after the burst, then optionally the first (cold) runs and the warmed-up runs of
 * the query set, the on-disk sizes, and restarts. Only one server runs at a time, so the two
 * never compete for the machine.
 */
public final class ServerRun {
  private static final Pattern STORAGE_KIND = Pattern.compile("Starting TSDB.*kind=\"([^\"]*)\"");

  /**
   * What to measure besides ingestion.
   *
   * @param settle idle pause before the empty reading, and the time of the "settled" reading
   *     after the burst
   * @param afterBurst further readings after the burst (e.g. 3 s and 60 s), no forced GC
   * @param firstRuns cold runs of each query recorded right after the readings; 0 for none
   * @param queries whether to run the warmed-up query set
   * @param disk whether to measure snapshot blocks
   * @param restart whether to restart after a SIGKILL and after a clean stop
   */
  public record Plan(Duration settle, List<Duration> afterBurst, int firstRuns, boolean queries,
      boolean disk, boolean restart) {}

  private final Plan what;
  private final QueryRunner queryRunner;
  private final java.util.function.Consumer<String> progress;

  public ServerRun(Plan what, QueryRunner queryRunner,
      java.util.function.Consumer<String> progress) {
    this.what = what;
    this.queryRunner = queryRunner;
    this.progress = progress;
  }

  /** @param promtool lists the snapshot's blocks (disk scenario) */
  public Measurement measure(ServerProcess server, Path promtool, IngestPlan plan,
      long seriesCount, List<BenchQuery> querySet) throws IOException, InterruptedException {
    try (server) {
      progress.accept(server.name() + ": starting");
      long startToReady = server.start(Duration.ofMinutes(2));
      Thread.sleep(what.settle().toMillis());
      ProcStats empty = server.stats();
      progress.accept(server.name() + ": empty RSS " + mib(empty.rssBytes()) + "; pushing "
          + plan.totalSamples() + " samples in " + plan.totalRequests() + " requests");
      Ingester.Result ingest = new Ingester().push(server.baseUrl(), plan);
      long burstEnd = System.nanoTime();
      ProcStats ingested = server.stats();
      progress.accept(String.format("%s: %.0f samples/s, %d failed requests%s", server.name(),
          ingest.samplesPerSecond(), ingest.failedRequests(),
          ingest.firstError() == null ? "" : " (first: " + ingest.firstError() + ")"));
      Map<Duration, MemoryReading> readings = readAfterBurst(server, burstEnd);
      ProcStats settled = readings.get(what.settle()).stats();
      List<MemoryReading> afterBurst = new ArrayList<>();
      for (Duration t : what.afterBurst()) {
        afterBurst.add(readings.get(t));
      }
      long afterGc = -1;
      if (server instanceof TsdbServerProcess) {
        afterGc = rssAfterFullGc(server);
      }
      progress.accept(server.name() + ": settled RSS " + mib(settled.rssBytes()) + ", peak "
          + mib(settled.hwmBytes()) + (afterGc < 0 ? "" : ", after full GC " + mib(afterGc)));
      List<QueryRunner.Timing> firstQueries = List.of();
      if (what.firstRuns() > 0) {
        progress.accept(server.name() + ": first " + what.firstRuns() + " runs of "
            + querySet.size() + " queries, no warm-up");
        firstQueries = QueryRunner.firstRuns(what.firstRuns()).run(server.baseUrl(), querySet);
      }
      List<QueryRunner.Timing> timings = List.of();
      if (what.queries()) {
        progress.accept(server.name() + ": running " + querySet.size() + " queries");
        timings = queryRunner.run(server.baseUrl(), querySet);
      }
      long wal = DiskUsage.bytes(server.dataDir().resolve("wal"));
      long chunksHead = DiskUsage.bytes(server.dataDir().resolve("chunks_head"));
      long dataDir = DiskUsage.bytes(server.dataDir());
      Snapshot.Result snapshot = null;
      if (what.disk()) {
        progress.accept(server.name() + ": snapshot");
        snapshot = Snapshot.take(server.baseUrl(), server.dataDir(), promtool);
      }
      if (!server.isAlive()) {
        throw new IOException(server.name() + " died; log " + server.logFile() + ":\n"
            + ServerProcess.tail(server.logFile(), 2000));
      }
      // Read before the restarts replace the log.
      String storageKind = storageKind(server);
      String log = server.logFile().toString();
      RestartRun.Result restart = null;
      if (what.restart()) {
        restart = new RestartRun(Math.max(1, what.firstRuns()), progress).run(server, querySet);
      }
      return new Measurement(server.name(), server.describe(), storageKind, seriesCount,
          startToReady, empty, ingested, settled, afterBurst, afterGc, ingest, firstQueries,
          timings, wal, chunksHead, dataDir, snapshot, restart, log);
    }
  }

  /**
   * Reads the footprint at each requested time after the burst and at the settle time (one
   * reading where they coincide), sleeping in between; our server's heap too.
   */
  private Map<Duration, MemoryReading> readAfterBurst(ServerProcess server, long burstEnd)
      throws IOException, InterruptedException {
    TreeSet<Duration> times = new TreeSet<>(what.afterBurst());
    times.add(what.settle());
    Map<Duration, MemoryReading> out = new TreeMap<>();
    for (Duration t : times) {
      long wait = burstEnd + t.toNanos() - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      ProcStats stats = server.stats();
      JvmHeap heap = server instanceof TsdbServerProcess ? JvmHeap.scrape(server.baseUrl())
          : null;
      out.put(t, new MemoryReading(t.toMillis() / 1000.0, stats, heap));
      if (what.afterBurst().contains(t)) {
        progress.accept(String.format("%s: %.0f s after the burst RSS %s%s", server.name(),
            t.toMillis() / 1000.0, mib(stats.rssBytes()), heap == null ? "" : ", heap used "
                + mib(heap.usedBytes()) + " of " + mib(heap.committedBytes()) + " committed"));
      }
    }
    return out;
  }

  /** Our server logs its storage implementation at start-up; Prometheus has one kind. */
  private static String storageKind(ServerProcess server) throws IOException {
    if (!(server instanceof TsdbServerProcess)) {
      return "Prometheus TSDB (head + WAL + mmapped head chunks)";
    }
    Matcher m = STORAGE_KIND.matcher(Files.readString(server.logFile()));
    return m.find() ? m.group(1) : "unknown (no storage line in the log)";
  }

  /** Runs `jcmd PID GC.run` so G1 shrinks the heap, then reads RSS again. */
  private static long rssAfterFullGc(ServerProcess server)
      throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return -1;
    }
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(server.pid()), "GC.run")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return -1;
    }
    Thread.sleep(2000);
    return server.stats().rssBytes();
  }

  static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }
}
