package dev.tsdb.bench.run;

import dev.tsdb.bench.server.ProcStats;
import dev.tsdb.bench.server.ServerProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Restarts a server that holds the ingested data twice: after a SIGKILL (crash recovery: WAL and
 * memory-mapped chunks replayed), then after a clean stop (SIGTERM, waiting for the exit). Each
 * time measures start-to-ready; after the crash also the first runs of the query set, since that
 * is when a dashboard reloads.
 */
public final class RestartRun {
  /**
   * @param walBytes bytes under wal/ when the server was killed (what the replay reads)
   * @param chunksHeadBytes bytes under chunks_head/ then
   * @param blockBytes bytes of persistent blocks then
   * @param readyAfterKillNanos process start to /-/ready 200 after the SIGKILL
   * @param rssAfterKillRestart footprint once ready after the SIGKILL
   * @param replayAfterKill the replay line the restarted server logged, or null
   * @param firstQueriesAfterKill first runs of each query once ready after the SIGKILL
   * @param stopNanos SIGTERM to exit
   * @param dataDirAfterStopBytes the data directory the clean restart starts from (without
   *     snapshots)
   * @param readyAfterStopNanos process start to /-/ready 200 after the clean stop
   * @param replayAfterStop the replay line of that start, or null
   */
  public record Result(long walBytes, long chunksHeadBytes, long blockBytes,
      long readyAfterKillNanos, ProcStats rssAfterKillRestart, String replayAfterKill,
      List<QueryRunner.Timing> firstQueriesAfterKill, long stopNanos, long dataDirAfterStopBytes,
      long readyAfterStopNanos, String replayAfterStop) {}

  private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(5);

  private final int firstRuns;
  private final Consumer<String> progress;

  public RestartRun(int firstRuns, Consumer<String> progress) {
    this.firstRuns = firstRuns;
    this.progress = progress;
  }

  /** Kills, restarts, queries, stops, restarts; leaves the server running. */
  public Result run(ServerProcess server, List<BenchQuery> querySet)
      throws IOException, InterruptedException {
    long wal = DiskUsage.bytes(server.dataDir().resolve("wal"));
    long chunksHead = DiskUsage.bytes(server.dataDir().resolve("chunks_head"));
    long blocks = DiskUsage.blockBytes(server.dataDir());
    progress.accept(server.name() + ": SIGKILL and restart");
    server.kill();
    long afterKill = server.start(START_TIMEOUT);
    ProcStats rss = server.stats();
    String replayAfterKill = ReplaySummary.of(server.logFile());
    progress.accept(String.format("%s: ready %.2f s after a SIGKILL; first runs of %d queries",
        server.name(), afterKill / 1e9, querySet.size()));
    List<QueryRunner.Timing> queries = QueryRunner.firstRuns(firstRuns).run(server.baseUrl(),
        querySet);
    long stop = server.stop(STOP_TIMEOUT);
    long dataDir = DiskUsage.bytes(server.dataDir())
        - DiskUsage.bytes(server.dataDir().resolve("snapshots"));
    long afterStop = server.start(START_TIMEOUT);
    progress.accept(String.format("%s: stopped in %.2f s, ready %.2f s after the clean stop",
        server.name(), stop / 1e9, afterStop / 1e9));
    return new Result(wal, chunksHead, blocks, afterKill, rss, replayAfterKill, queries, stop,
        dataDir, afterStop, ReplaySummary.of(server.logFile()));
  }
}
