package dev.tsdb.api;

import java.util.Map;

/** Server facts for handler tests: the given config, flags and retention; the rest fixed. */
public record FixedStatus(String configYaml, Map<String, String> flags, String storageRetention)
    implements StatusSource {
  /** No config, no flags, retention "15d". */
  public static FixedStatus minimal() {
    return new FixedStatus("", Map.of(), "15d");
  }

  @Override
  public BuildInfo buildInfo() {
    return new BuildInfo("v", "r", "b", "u", "d", "g");
  }

  @Override
  public long startTimeMs() {
    return 0;
  }

  @Override
  public boolean reloadConfigSuccess() {
    return true;
  }

  @Override
  public long lastConfigTimeMs() {
    return 0;
  }
}
