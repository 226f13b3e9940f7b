package dev.tsdb.server.config;

import dev.tsdb.api.params.ModelDuration;
import java.util.Map;

/**
 * The {@code storage:} section of prometheus.yml as far as the database uses it:
 * <pre>
 * storage:
 *   tsdb:
 *     out_of_order_time_window: 10m   # 0 (default) refuses out-of-order samples
 * </pre>
 * Other keys Prometheus knows there ({@code exemplars}) are accepted and not used.
 */
public record StorageConfig(long outOfOrderTimeWindowMs) {
  public static final StorageConfig DEFAULT = new StorageConfig(0);

  /** Reads the section from a loaded config's raw document; validates like Prometheus. */
  public static StorageConfig of(TsdbConfig config) throws ConfigException {
    return from(config.raw().get("storage"));
  }

  static StorageConfig from(Object storage) throws ConfigException {
    if (storage == null) {
      return DEFAULT;
    }
    if (!(storage instanceof Map<?, ?> s)) {
      throw new ConfigException("parsing YAML file: storage must be a mapping");
    }
    for (Object k : s.keySet()) {
      if (!"tsdb".equals(k) && !"exemplars".equals(k)) {
        throw new ConfigException("parsing YAML file: field " + k
            + " not found in type config.StorageConfig");
      }
    }
    Object tsdb = s.get("tsdb");
    if (tsdb == null) {
      return DEFAULT;
    }
    if (!(tsdb instanceof Map<?, ?> t)) {
      throw new ConfigException("parsing YAML file: storage.tsdb must be a mapping");
    }
    long window = 0;
    for (Map.Entry<?, ?> e : t.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (key.equals("out_of_order_time_window")) {
        if (e.getValue() != null) {
          try {
            window = ModelDuration.parseMillis(String.valueOf(e.getValue()));
          } catch (IllegalArgumentException ex) {
            throw new ConfigException("parsing YAML file: " + ex.getMessage()
                + " (storage.tsdb.out_of_order_time_window)");
          }
        }
      } else {
        throw new ConfigException("parsing YAML file: field " + key
            + " not found in type config.TSDBConfig");
      }
    }
    return new StorageConfig(window);
  }
}
