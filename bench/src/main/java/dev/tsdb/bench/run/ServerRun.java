package dev.tsdb.bench.run;

import dev.tsdb.bench.gen.IngestPlan;
import dev.tsdb.bench.server.ProcStats;
import dev.tsdb.bench.server.ServerProcess;
import dev.tsdb.bench.server.TsdbServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures one server from start to stop: empty footprint, ingestion of the plan, settled
 * footprint, then optionally the query set and the on-disk sizes. Only one server runs at a time,
 * so the two never compete for the machine.
 */
public final class ServerRun {
  private static final Pattern STORAGE_KIND = Pattern.compile("Starting TSDB.*kind=\"([^\"]*)\"");

  private final Duration settle;
  private final boolean queries;
  private final boolean disk;
  private final QueryRunner queryRunner;
  private final Path promtool;
  private final java.util.function.Consumer<String> progress;

  public ServerRun(Duration settle, boolean queries, boolean disk, QueryRunner queryRunner,
      Path promtool, java.util.function.Consumer<String> progress) {
    this.settle = settle;
    this.queries = queries;
    this.disk = disk;
    this.queryRunner = queryRunner;
    this.promtool = promtool;
    this.progress = progress;
  }

  public Measurement measure(ServerProcess server, IngestPlan plan, long seriesCount,
      List<BenchQuery> querySet) throws IOException, InterruptedException {
    try (server) {
      progress.accept(server.name() + ": starting");
      server.start(Duration.ofMinutes(2));
      Thread.sleep(settle.toMillis());
      ProcStats empty = server.stats();
      progress.accept(server.name() + ": empty RSS " + mib(empty.rssBytes()) + "; pushing "
          + plan.totalSamples() + " samples in " + plan.totalRequests() + " requests");
      Ingester.Result ingest = new Ingester().push(server.baseUrl(), plan);
      ProcStats ingested = server.stats();
      progress.accept(String.format("%s: %.0f samples/s, %d failed requests%s", server.name(),
          ingest.samplesPerSecond(), ingest.failedRequests(),
          ingest.firstError() == null ? "" : " (first: " + ingest.firstError() + ")"));
      Thread.sleep(settle.toMillis());
      ProcStats settled = server.stats();
      long afterGc = -1;
      if (server instanceof TsdbServerProcess) {
        afterGc = rssAfterFullGc(server);
      }
      progress.accept(server.name() + ": settled RSS " + mib(settled.rssBytes()) + ", peak "
          + mib(settled.hwmBytes()) + (afterGc < 0 ? "" : ", after full GC " + mib(afterGc)));
      List<QueryRunner.Timing> timings = List.of();
      if (queries) {
        progress.accept(server.name() + ": running " + querySet.size() + " queries");
        timings = queryRunner.run(server.baseUrl(), querySet);
      }
      long wal = DiskUsage.bytes(server.dataDir().resolve("wal"));
      long chunksHead = DiskUsage.bytes(server.dataDir().resolve("chunks_head"));
      long dataDir = DiskUsage.bytes(server.dataDir());
      Snapshot.Result snapshot = null;
      if (disk) {
        progress.accept(server.name() + ": snapshot");
        snapshot = Snapshot.take(server.baseUrl(), server.dataDir(), promtool);
      }
      if (!server.isAlive()) {
        throw new IOException(server.name() + " died; log " + server.logFile() + ":\n"
            + ServerProcess.tail(server.logFile(), 2000));
      }
      return new Measurement(server.name(), server.describe(), storageKind(server), seriesCount,
          empty, ingested, settled, afterGc, ingest, timings, wal, chunksHead, dataDir, snapshot,
          server.logFile().toString());
    }
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
