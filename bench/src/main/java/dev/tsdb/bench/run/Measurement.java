package dev.tsdb.bench.run;

import dev.tsdb.bench.server.ProcStats;
import java.util.List;

/**
 * Everything measured on one server in one repetition.
 *
 * @param startToReadyNanos process start to /-/ready 200 with an empty data directory
 * @param empty process stats after start-up and the settle pause, before any data
 * @param ingested stats right after the last request was answered
 * @param settled stats after the settle pause that follows ingestion
 * @param rssAfterFullGc RSS after a forced full GC (JVM servers only), else -1
 * @param afterBurst footprint at fixed times after the last ingest answer, no forced GC
 * @param firstQueries the first runs of each query after ingestion, no warm-up; empty when not
 *     measured
 * @param queries per-query latencies and answers; empty when not measured
 * @param walBytes bytes under data/wal after ingestion
 * @param chunksHeadBytes bytes under data/chunks_head (memory-mapped head chunks)
 * @param dataDirBytes bytes of the whole data directory (before any snapshot)
 * @param snapshot the snapshot measurement, or null when not measured
 * @param restart the restart measurement, or null when not measured
 */
public record Measurement(String server, String command, String storageKind, long seriesCount,
    long startToReadyNanos, ProcStats empty, ProcStats ingested, ProcStats settled,
    List<MemoryReading> afterBurst, long rssAfterFullGc, Ingester.Result ingest,
    List<QueryRunner.Timing> firstQueries, List<QueryRunner.Timing> queries, long walBytes,
    long chunksHeadBytes, long dataDirBytes, Snapshot.Result snapshot, RestartRun.Result restart,
    String log) {

  /** CPU time (user + system) the server spent during ingestion, per million accepted samples. */
  public double cpuSecondsPerMillionSamples() {
    double cpuS = (ingested.cpuMillis() - empty.cpuMillis()) / 1000.0;
    return cpuS / (ingest.acceptedSamples() / 1e6);
  }

  /** Settled RSS growth over the empty server, per series. */
  public double rssBytesPerSeries() {
    return (settled.rssBytes() - empty.rssBytes()) / (double) seriesCount;
  }

  public double walBytesPerSample() {
    return walBytes / (double) ingest.acceptedSamples();
  }

  public double dataDirBytesPerSample() {
    return dataDirBytes / (double) ingest.acceptedSamples();
  }
}
