package dev.tsdb.server;

import dev.tsdb.api.StatusSource;

/**
 * Version facts. The reported version is the Prometheus API level we implement with our own
 * version as build metadata, so that clients comparing versions (Grafana) enable the right
 * features while the string stays honest.
 */
public final class Version {
  public static final String TSDB_VERSION = "0.1.0";
  public static final String PROMETHEUS_COMPAT = "3.0.0";

  private Version() {}

  public static String version() {
    return PROMETHEUS_COMPAT + "+tsdb." + TSDB_VERSION;
  }

  public static StatusSource.BuildInfo buildInfo() {
    String pkgVersion = Version.class.getPackage().getImplementationVersion();
    return new StatusSource.BuildInfo(version(), pkgVersion == null ? "unknown" : pkgVersion,
        "main", "tsdb", "unknown", "java" + Runtime.version());
  }

  /** What --version prints, in Prometheus's layout. */
  public static String banner() {
    return "tsdb, version " + version() + " (branch: main, revision: unknown)\n"
        + "  build user:       tsdb\n"
        + "  build date:       unknown\n"
        + "  java version:     " + Runtime.version() + "\n"
        + "  platform:         " + System.getProperty("os.name").toLowerCase() + "/"
        + System.getProperty("os.arch") + "\n";
  }
}
