package dev.tsdb.testkit.reference;

import java.nio.file.Path;

/**
 * The reference Prometheus releases the tests run, each a directory of binaries (prometheus,
 * promtool, prometheus-alertmanager) that an environment variable or system property can move.
 */
public enum PrometheusRelease {
  /**
   * Debian bookworm's packages (Prometheus 2.42, Alertmanager 0.25): an older reader, writer and
   * remote-write sender.
   */
  V2_42("Prometheus 2.42", "PROMETHEUS2_BIN", "prometheus2.bin", "/usr/bin",
      "apt-get install prometheus prometheus-alertmanager"),
  /**
   * Debian unstable's packages (Prometheus 3.5, Alertmanager 0.33) unpacked by the shared tool:
   * the semantic reference, since 3.x is our target.
   */
  V3_5("Prometheus 3.5", "PROMETHEUS3_BIN", "prometheus3.bin", "/opt/prometheus3/usr/bin",
      "../shared/tools/prometheus3.sh (from the repository root; it prints the directory to"
          + " pass as PROMETHEUS3_BIN)");

  private final String title;
  private final String envVar;
  private final String property;
  private final String defaultDir;
  private final String install;

  PrometheusRelease(String title, String envVar, String property, String defaultDir,
      String install) {
    this.title = title;
    this.envVar = envVar;
    this.property = property;
    this.defaultDir = defaultDir;
    this.install = install;
  }

  /** The binaries' directory: system property, else environment variable, else the default. */
  public Path binDir() {
    String dir = System.getProperty(property);
    if (dir == null || dir.isEmpty()) {
      dir = System.getenv(envVar);
    }
    return Path.of(dir == null || dir.isEmpty() ? defaultDir : dir);
  }

  /** How to get the binaries and how to point the tests at them, for skip/failure messages. */
  String installHint() {
    return "install with " + install + ", or point " + envVar + " (or -D" + property
        + ") at the directory";
  }

  @Override
  public String toString() {
    return title;
  }
}
