package dev.tsdb.testkit.reference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The promtool of one reference release, run to completion with its output captured. */
public final class Promtool {
  private static final long TIMEOUT_SECONDS = 180;

  /** Exit code, stdout and stderr of one run. */
  public record Result(int exit, String out, String err) {
    /** This result, or an AssertionError with both outputs if promtool did not exit 0. */
    public Result check() {
      if (exit != 0) {
        throw new AssertionError("promtool exited " + exit + "\nstdout:\n" + out
            + "\nstderr:\n" + err);
      }
      return this;
    }

    /** stdout followed by stderr. */
    public String output() {
      return out + err;
    }
  }

  private final PrometheusRelease release;
  private final Path binary;

  private Promtool(PrometheusRelease release, Path binary) {
    this.release = release;
    this.binary = binary;
  }

  /** The promtool of {@code release}; skips (fails on CI) the test if it is not installed. */
  public static Promtool of(PrometheusRelease release) {
    return new Promtool(release, ReferenceBinaries.require(release,
        ReferenceBinaries.Tool.PROMTOOL));
  }

  /**
   * A promtool per release, for checks worth running with every reader: on CI all of them (a
   * missing one fails the test), elsewhere the installed ones; none installed skips the test.
   */
  public static List<Promtool> all() {
    List<Promtool> out = new ArrayList<>();
    for (PrometheusRelease r : PrometheusRelease.values()) {
      if (ReferenceBinaries.onCi() || ReferenceBinaries.find(r, ReferenceBinaries.Tool.PROMTOOL)
          != null) {
        out.add(of(r));
      }
    }
    if (out.isEmpty()) {
      of(PrometheusRelease.V2_42); // skips with the install hint
    }
    return out;
  }

  public PrometheusRelease release() {
    return release;
  }

  /** Runs {@code promtool args...} in {@code workDir}, which also holds its output meanwhile. */
  public Result run(Path workDir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(workDir, "promtool", ".out");
    Path err = Files.createTempFile(workDir, "promtool", ".err");
    try {
      Process p = new ProcessBuilder(cmd).directory(workDir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("promtool did not finish in " + TIMEOUT_SECONDS + "s: " + cmd);
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Override
  public String toString() {
    return "promtool of " + release;
  }
}
