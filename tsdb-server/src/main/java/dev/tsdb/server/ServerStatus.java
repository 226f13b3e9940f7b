package dev.tsdb.server;

import dev.tsdb.api.StatusSource;
import dev.tsdb.gocompat.ModelDuration;
import dev.tsdb.rules.config.PrometheusConfig;
import java.util.Map;

/** The server's answers for /api/v1/status/*; the config part changes on reload. */
final class ServerStatus implements StatusSource {
  private final Map<String, String> flags;
  private final long startTimeMs;
  private final String retention;
  private volatile PrometheusConfig config;
  private volatile boolean reloadSuccess = true;
  private volatile long lastConfigTimeMs;
  private volatile java.util.function.Supplier<WalReplay> walReplay = () -> new WalReplay(0, 0, 0);

  ServerStatus(Map<String, String> flags, long startTimeMs, long retentionMs, long retentionBytes,
      PrometheusConfig config) {
    this.flags = Map.copyOf(flags);
    this.startTimeMs = startTimeMs;
    this.config = config;
    this.lastConfigTimeMs = startTimeMs;
    String r = retentionMs > 0 ? ModelDuration.format(retentionMs) : "";
    if (retentionBytes > 0) {
      r = r.isEmpty() ? retentionBytes + "B" : r + " or " + retentionBytes + "B";
    }
    this.retention = r;
  }

  void configLoaded(PrometheusConfig c, long atMs) {
    config = c;
    reloadSuccess = true;
    lastConfigTimeMs = atMs;
  }

  void configFailed() {
    reloadSuccess = false;
  }

  void walReplaySource(java.util.function.Supplier<WalReplay> s) {
    walReplay = s;
  }

  @Override
  public WalReplay walReplay() {
    return walReplay.get();
  }

  PrometheusConfig config() {
    return config;
  }

  @Override
  public String configYaml() {
    return config.yaml();
  }

  @Override
  public Map<String, String> flags() {
    return flags;
  }

  @Override
  public BuildInfo buildInfo() {
    return Version.buildInfo();
  }

  @Override
  public long startTimeMs() {
    return startTimeMs;
  }

  @Override
  public boolean reloadConfigSuccess() {
    return reloadSuccess;
  }

  @Override
  public long lastConfigTimeMs() {
    return lastConfigTimeMs;
  }

  @Override
  public String storageRetention() {
    return retention;
  }
}
