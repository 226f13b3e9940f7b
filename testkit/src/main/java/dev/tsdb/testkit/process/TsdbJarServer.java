package dev.tsdb.testkit.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Our server as users run it, the packaged jar in a child JVM, for tests that kill or restart
 * it. Its log file survives it and collects the output of every start on the same file, so the
 * logs of a recovery can be asserted on. The jar comes from tsdb-server's build (the reactor
 * packages it before any module's integration tests), so this needs no compile dependency on
 * the server.
 */
public final class TsdbJarServer extends ServerProcess {
  /** tsdb-server's jar seen from any module directory; {@code -Dtsdb.jar=...} overrides. */
  static final Path DEFAULT_JAR = Path.of("..", "tsdb-server", "target", "tsdb-server.jar");

  private TsdbJarServer(List<String> command, Path workDir, Path log, int port)
      throws IOException, InterruptedException {
    super("tsdb-server.jar", command, workDir, log, port);
  }

  /** The jar the tests start. */
  public static Path jar() {
    String override = System.getProperty("tsdb.jar");
    return (override != null ? Path.of(override) : DEFAULT_JAR).toAbsolutePath().normalize();
  }

  /**
   * Starts the jar on {@code dataDir} with {@code flags}, output appended to {@code log} whose
   * directory is the working directory (a prometheus.yml there is the config), and waits until
   * it is ready.
   */
  public static TsdbJarServer start(Path dataDir, Path log, String... flags)
      throws IOException, InterruptedException {
    Path jar = jar();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " missing: package tsdb-server first"
          + " (mvn verify from the root does)");
    }
    int port = FreePort.pick();
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-jar", jar.toString(), "--web.listen-address=127.0.0.1:" + port,
        "--storage.tsdb.path=" + dataDir.toAbsolutePath()));
    cmd.addAll(List.of(flags));
    Path workDir = log.toAbsolutePath().getParent();
    return new TsdbJarServer(cmd, workDir, log, port);
  }
}
