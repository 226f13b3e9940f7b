package dev.tsdb.api;

import java.util.Map;

/** What the server reports on /api/v1/status/*: configuration, flags, build and start-up facts. */
public interface StatusSource {
  /** Build facts as /api/v1/status/buildinfo reports them. */
  record BuildInfo(String version, String revision, String branch, String buildUser,
      String buildDate, String goVersion) {}

  /** WAL replay progress in segments (all zero when there is no WAL to replay). */
  record WalReplay(long min, long max, long current) {}

  /** The loaded configuration, as YAML. */
  String configYaml();

  /** Every flag with its effective value, in display order. */
  Map<String, String> flags();

  BuildInfo buildInfo();

  long startTimeMs();

  boolean reloadConfigSuccess();

  long lastConfigTimeMs();

  /** Retention as Prometheus prints it, e.g. "15d" or "15d or 10GiB". */
  String storageRetention();

  default WalReplay walReplay() {
    return new WalReplay(0, 0, 0);
  }
}
