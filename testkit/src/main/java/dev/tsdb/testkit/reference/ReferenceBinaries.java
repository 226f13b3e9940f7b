package dev.tsdb.testkit.reference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the reference binaries are, and the one policy when one is missing: with {@code CI=true}
 * in the environment (CI installs them, so a missing one is a broken setup) the test fails;
 * otherwise it is skipped. Either way the message names the install command.
 */
public final class ReferenceBinaries {
  /** A reference program and the file names it goes by in a release's directory. */
  public enum Tool {
    PROMETHEUS("prometheus"),
    PROMTOOL("promtool"),
    ALERTMANAGER("prometheus-alertmanager", "alertmanager");

    private final List<String> fileNames;

    Tool(String... fileNames) {
      this.fileNames = List.of(fileNames);
    }
  }

  private ReferenceBinaries() {}

  /** The executable, or the calling test is skipped (failed on CI). */
  public static Path require(PrometheusRelease release, Tool tool) {
    Path found = find(release, tool);
    if (found == null) {
      missing(tool.fileNames.get(0) + " of " + release + " not found in " + release.binDir()
          + ": " + release.installHint());
    }
    return found;
  }

  /** The executable, or null. For choosing among releases; tests that need one call require. */
  public static Path find(PrometheusRelease release, Tool tool) {
    for (String name : tool.fileNames) {
      Path p = release.binDir().resolve(name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** CI runs every interop test: there a missing binary is an error, elsewhere a skip. */
  static boolean onCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * The same policy for any other program a test needs (e.g. Chromium for the browser tests):
   * fails on CI, else skips the calling test.
   */
  public static void missing(String message) {
    if (onCi()) {
      Assertions.fail(message + " (CI=true: reference binaries are required)");
    }
    Assumptions.abort(message + " (skipped; with CI=true this fails)");
  }
}
