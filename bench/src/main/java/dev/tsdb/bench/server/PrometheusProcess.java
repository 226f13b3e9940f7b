package dev.tsdb.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Prometheus (Debian's 2.42 by default, or 3.x) as a remote-write receiver with no scrape
 * targets. The flags used exist with the same meaning in 2.42 and 3.5.
 */
public final class PrometheusProcess extends ServerProcess {
  private final Path binary;
  private final PrometheusVersion version;

  public PrometheusProcess(String name, Path dir, Path binary, PrometheusVersion version)
      throws IOException {
    super(name, dir);
    if (!Files.isExecutable(binary)) {
      throw new IOException(binary + " is missing: `apt-get install prometheus`");
    }
    this.binary = binary;
    this.version = version;
  }

  @Override
  protected List<String> command() {
    return List.of(binary.toString(), "--config.file=" + dir.resolve("config.yml"),
        "--storage.tsdb.path=" + dataDir(), "--web.listen-address=127.0.0.1:" + port,
        "--web.enable-remote-write-receiver", "--web.enable-admin-api", "--log.level=info");
  }

  @Override
  public String describe() {
    return binary + " --web.enable-remote-write-receiver --web.enable-admin-api (version "
        + version.release() + ", " + version.goVersion() + "; defaults otherwise: GOGC="
        + System.getenv().getOrDefault("GOGC", "100") + ", GOMAXPROCS="
        + System.getenv().getOrDefault("GOMAXPROCS", "all cores") + ")";
  }
}
