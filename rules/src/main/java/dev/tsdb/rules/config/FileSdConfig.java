package dev.tsdb.rules.config;

import java.util.List;

/**
 * One {@code file_sd_configs} entry: target groups read from JSON or YAML files.
 *
 * @param files file names or patterns (a {@code *} in the last path element), joined to the
 *     config file's directory
 * @param refreshIntervalMs how often the files are re-read even without a change (default 5m)
 */
public record FileSdConfig(List<String> files, long refreshIntervalMs) {
  public static final long DEFAULT_REFRESH_MS = 5 * 60_000L;

  public FileSdConfig {
    files = List.copyOf(files);
  }
}
