package dev.tsdb.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Prometheus (Debian's 2.42 by default) as a remote-write receiver with no scrape targets. */
public final class PrometheusProcess extends ServerProcess {
  private final Path binary;

  public PrometheusProcess(String name, Path dir, Path binary) throws IOException {
    super(name, dir);
    if (!Files.isExecutable(binary)) {
      throw new IOException(binary + " is missing: `apt-get install prometheus`");
    }
    this.binary = binary;
  }

  @Override
  protected List<String> command() {
    return List.of(binary.toString(), "--config.file=" + dir.resolve("config.yml"),
        "--storage.tsdb.path=" + dataDir(), "--web.listen-address=127.0.0.1:" + port,
        "--web.enable-remote-write-receiver", "--web.enable-admin-api", "--log.level=info");
  }

  @Override
  public String describe() {
    return binary + " --web.enable-remote-write-receiver --web.enable-admin-api (defaults"
        + " otherwise: GOGC=" + System.getenv().getOrDefault("GOGC", "100") + ", GOMAXPROCS="
        + System.getenv().getOrDefault("GOMAXPROCS", "all cores") + ")";
  }
}
