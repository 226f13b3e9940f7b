package dev.tsdb.bench;

import dev.tsdb.bench.gen.Fleet;
import dev.tsdb.bench.gen.IngestPlan;
import dev.tsdb.bench.run.Ingester;
import dev.tsdb.bench.run.QueryRunner;
import dev.tsdb.bench.run.QuerySet;
import dev.tsdb.bench.server.TsdbServerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts our server as {@code ./tsdb} does after its first clean stop: with a class-data-sharing
 * archive of the classes an earlier run loaded (./tsdb writes it at a clean stop and maps it at
 * later starts). A short training run makes that archive before anything is measured: ingest a
 * small fleet, SIGKILL, start again recording the archive (so WAL replay's classes are in it),
 * ingest and query, stop cleanly. Without it every measured start would be a first-ever start.
 */
final class CdsTraining {
  /** Makes our server with the given JVM options in a directory. */
  interface Servers {
    TsdbServerProcess make(String name, Path dir, List<String> jvmOptions) throws IOException;
  }

  private static final int SERIES = 2000;
  private static final int ROUNDS = 40;

  private CdsTraining() {}

  /** Writes the archive into {@code work}; returns the JVM options that map it. */
  static List<String> archive(Path work, Options o, Servers servers, PrintStream progress)
      throws IOException, InterruptedException {
    Path jsa = work.resolve("tsdb-cds.jsa").toAbsolutePath();
    Path dir = work.resolve("cds-training");
    Fleet fleet = Fleet.endingBefore(System.currentTimeMillis(), SERIES, o.seed, ROUNDS,
        o.intervalSeconds * 1000);
    IngestPlan plan = IngestPlan.build(fleet, o.senders, o.batch,
        Runtime.getRuntime().availableProcessors());
    progress.println("tsdb: training run for the class-data-sharing archive (as ./tsdb's)");
    List<String> jvm = new ArrayList<>(o.tsdbJvmOpts);
    try (TsdbServerProcess first = servers.make("tsdb cds training", dir, jvm)) {
      first.start(Duration.ofMinutes(2));
      new Ingester().push(first.baseUrl(), plan);
      first.kill();
    }
    jvm.add("-XX:ArchiveClassesAtExit=" + jsa);
    jvm.add("-Xlog:cds*=off");
    try (TsdbServerProcess second = servers.make("tsdb cds training", dir, jvm)) {
      second.start(Duration.ofMinutes(2));
      new Ingester().push(second.baseUrl(), plan);
      new QueryRunner(0, 3).run(second.baseUrl(), QuerySet.of(fleet));
      second.stop(Duration.ofMinutes(2));
    }
    if (!Files.isRegularFile(jsa)) {
      throw new IOException("the training run wrote no archive " + jsa);
    }
    progress.printf("tsdb: archive %s, %.1f MB%n", jsa, Files.size(jsa) / 1e6);
    return List.of("-XX:SharedArchiveFile=" + jsa, "-Xlog:cds*=off");
  }
}
