package dev.tsdb.testkit.reference;

import dev.tsdb.testkit.process.FreePort;
import dev.tsdb.testkit.process.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A reference Alertmanager on a loopback port, clustering off, its config, data and log
 * (alertmanager.log) in one directory: a real v2 API to send alerts to and read them back from.
 */
public final class Alertmanager extends ServerProcess {
  /** Routes every alert, at once, to a receiver that does nothing. */
  public static final String BLACKHOLE = """
      route:
        receiver: blackhole
        group_wait: 0s
      receivers:
        - name: blackhole
      """;

  private Alertmanager(PrometheusRelease release, List<String> command, Path dir, int port)
      throws IOException, InterruptedException {
    super("Alertmanager of " + release, command, dir, dir.resolve("alertmanager.log"), port);
  }

  /** Starts the Alertmanager of {@code release} with {@link #BLACKHOLE} routing. */
  public static Alertmanager start(PrometheusRelease release, Path dir)
      throws IOException, InterruptedException {
    return start(release, dir, BLACKHOLE);
  }

  /** Starts it with {@code configYaml}; skips (fails on CI) if it is not installed. */
  public static Alertmanager start(PrometheusRelease release, Path dir, String configYaml)
      throws IOException, InterruptedException {
    Path binary = ReferenceBinaries.require(release, ReferenceBinaries.Tool.ALERTMANAGER);
    Files.createDirectories(dir);
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(config, configYaml);
    int port = FreePort.pick();
    return new Alertmanager(release, List.of(binary.toString(),
        "--config.file=" + config.toAbsolutePath(),
        "--storage.path=" + dir.resolve("data").toAbsolutePath(),
        "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=",
        "--log.level=warn"), dir, port);
  }
}
