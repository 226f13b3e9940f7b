package dev.tsdb.testkit.reference;

import dev.tsdb.testkit.process.FreePort;
import dev.tsdb.testkit.process.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A reference Prometheus server of one release on a loopback port, with its config, log
 * (prometheus.log) and by default its data in one directory; the remote-write receiver is on.
 *
 * <pre>{@code
 * try (Prometheus p = Prometheus.in(PrometheusRelease.V3_5, dir).config(yaml).start()) { ... }
 * }</pre>
 */
public final class Prometheus extends ServerProcess {
  private final PrometheusRelease release;

  private Prometheus(PrometheusRelease release, List<String> command, Path dir, int port)
      throws IOException, InterruptedException {
    super(release.toString(), command, dir, dir.resolve("prometheus.log"), port);
    this.release = release;
  }

  /** A server of {@code release} working in {@code dir} (created if missing). */
  public static Launch in(PrometheusRelease release, Path dir) {
    return new Launch(release, dir);
  }

  public PrometheusRelease release() {
    return release;
  }

  /** What to start; every setting has a default. */
  public static final class Launch {
    private final PrometheusRelease release;
    private final Path dir;
    private String config = "";
    private int port;
    private Path data;
    private final List<String> flags = new ArrayList<>();

    private Launch(PrometheusRelease release, Path dir) {
      this.release = release;
      this.dir = dir;
    }

    /** prometheus.yml's content; empty (all defaults, no scrapes) unless set. */
    public Launch config(String yaml) {
      this.config = yaml;
      return this;
    }

    /** The port, for a config that has to name it (a self-scrape); a free one unless set. */
    public Launch port(int port) {
      this.port = port;
      return this;
    }

    /** The TSDB directory; {@code dir/data} unless set. */
    public Launch data(Path data) {
      this.data = data;
      return this;
    }

    /** More command-line flags, e.g. {@code --enable-feature=exemplar-storage}. */
    public Launch flags(String... more) {
      flags.addAll(Arrays.asList(more));
      return this;
    }

    /** Starts it and waits until ready; skips (fails on CI) if the release is not installed. */
    public Prometheus start() throws IOException, InterruptedException {
      Path binary = ReferenceBinaries.require(release, ReferenceBinaries.Tool.PROMETHEUS);
      Files.createDirectories(dir);
      Path configFile = dir.resolve("prometheus.yml");
      Files.writeString(configFile, config);
      int p = port != 0 ? port : FreePort.pick();
      List<String> cmd = new ArrayList<>(List.of(binary.toString(),
          "--config.file=" + configFile.toAbsolutePath(),
          "--storage.tsdb.path=" + (data != null ? data : dir.resolve("data")).toAbsolutePath(),
          "--web.listen-address=127.0.0.1:" + p, "--web.enable-remote-write-receiver",
          "--log.level=warn"));
      cmd.addAll(flags);
      return new Prometheus(release, cmd, dir, p);
    }
  }
}
