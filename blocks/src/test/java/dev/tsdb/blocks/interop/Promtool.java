package dev.tsdb.blocks.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's promtool (Prometheus 2.42) and captures its output. */
final class Promtool {
  static final String BINARY = System.getProperty("promtool", "/usr/bin/promtool");

  record Result(int exit, String out, String err) {
    Result check() {
      if (exit != 0) {
        throw new AssertionError("promtool exited " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
      }
      return this;
    }
  }

  private Promtool() {}

  static Result run(Path workDir, String... args) throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new AssertionError(BINARY + " is not installed (apt-get install prometheus)");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(BINARY);
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(workDir, "promtool", ".out");
    Path err = Files.createTempFile(workDir, "promtool", ".err");
    Process p = new ProcessBuilder(cmd).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool timed out: " + cmd);
    }
    Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return r;
  }
}
