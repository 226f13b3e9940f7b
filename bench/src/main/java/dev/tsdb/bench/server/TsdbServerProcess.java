package dev.tsdb.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Our server, from its standalone jar, in a JVM with the given options. */
public final class TsdbServerProcess extends ServerProcess {
  private final Path jar;
  private final List<String> jvmOptions;

  public TsdbServerProcess(String name, Path dir, Path jar, List<String> jvmOptions)
      throws IOException {
    super(name, dir);
    if (!Files.isRegularFile(jar)) {
      throw new IOException(jar + " is missing: build it with `mvn -q -DskipTests -pl"
          + " tsdb-server -am package`");
    }
    this.jar = jar.toAbsolutePath();
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  @Override
  protected List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", jar.toString(), "--config.file=" + dir.resolve("config.yml"),
        "--storage.tsdb.path=" + dataDir(), "--web.listen-address=127.0.0.1:" + port,
        "--web.enable-remote-write-receiver", "--web.enable-admin-api", "--log.level=info"));
    return cmd;
  }

  @Override
  public String describe() {
    return "java " + String.join(" ", jvmOptions) + " -jar " + jar.getFileName()
        + " --web.enable-remote-write-receiver --web.enable-admin-api";
  }

  public List<String> jvmOptions() {
    return jvmOptions;
  }
}
