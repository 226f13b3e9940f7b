package dev.tsdb.testkit.reference;

import dev.tsdb.testkit.process.FreePort;
import dev.tsdb.testkit.process.HttpEndpoint;
import dev.tsdb.testkit.process.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

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

  /**
   * Exporter-toolkit's web config file for it ({@code webConfigYaml}), and how the tests reach
   * it then: {@code tls} trusting its certificate, basic auth {@code user}:{@code password}.
   */
  public record WebAccess(String webConfigYaml, SSLContext tls, String user, String password) {}

  private Alertmanager(PrometheusRelease release, List<String> command, Path dir, int port,
      HttpEndpoint http) throws IOException, InterruptedException {
    super("Alertmanager of " + release, command, dir, dir.resolve("alertmanager.log"), port,
        http);
  }

  /** Starts the Alertmanager of {@code release} with {@link #BLACKHOLE} routing. */
  public static Alertmanager start(PrometheusRelease release, Path dir)
      throws IOException, InterruptedException {
    return start(release, dir, BLACKHOLE);
  }

  /** Starts it with {@code configYaml}; skips (fails on CI) if it is not installed. */
  public static Alertmanager start(PrometheusRelease release, Path dir, String configYaml)
      throws IOException, InterruptedException {
    return start(release, dir, configYaml, null);
  }

  /**
   * Starts it with {@code configYaml} behind {@code web}'s web config file (TLS, basic auth),
   * or plain HTTP when {@code web} is null; skips (fails on CI) if it is not installed.
   */
  public static Alertmanager start(PrometheusRelease release, Path dir, String configYaml,
      WebAccess web) throws IOException, InterruptedException {
    Path binary = ReferenceBinaries.require(release, ReferenceBinaries.Tool.ALERTMANAGER);
    Files.createDirectories(dir);
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(config, configYaml);
    int port = FreePort.pick();
    List<String> command = new ArrayList<>(List.of(binary.toString(),
        "--config.file=" + config.toAbsolutePath(),
        "--storage.path=" + dir.resolve("data").toAbsolutePath(),
        "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=",
        "--log.level=warn"));
    HttpEndpoint http = new HttpEndpoint("http://127.0.0.1:" + port);
    if (web != null) {
      Path webConfig = dir.resolve("web.yml");
      Files.writeString(webConfig, web.webConfigYaml());
      command.add("--web.config.file=" + webConfig.toAbsolutePath());
      http = HttpEndpoint.https("127.0.0.1:" + port, web.tls(), web.user(), web.password());
    }
    return new Alertmanager(release, command, dir, port, http);
  }
}
