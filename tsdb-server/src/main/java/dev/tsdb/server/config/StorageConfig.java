package dev.tsdb.server.config;

import dev.tsdb.gocompat.ModelDuration;
import java.util.Map;

/**
 * The {@code storage:} section of prometheus.yml as far as the database uses it:
 * <pre>
 * storage:
 *   tsdb:
 *     out_of_order_time_window: 10m   # 0 (default) refuses out-of-order samples
 *   exemplars:
 *     max_exemplars: 100000           # capacity of the exemplar buffer (0 or less: none kept)
 * </pre>
 * The window is fixed when the database opens; {@code max_exemplars} is applied on reload too.
 */
public record StorageConfig(long outOfOrderTimeWindowMs, int maxExemplars) {
  /** Prometheus's DefaultExemplarsConfig. */
  public static final int DEFAULT_MAX_EXEMPLARS = 100_000;
  public static final StorageConfig DEFAULT = new StorageConfig(0, DEFAULT_MAX_EXEMPLARS);

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
    return new StorageConfig(window(s.get("tsdb")), maxExemplars(s.get("exemplars")));
  }

  private static long window(Object tsdb) throws ConfigException {
    if (tsdb == null) {
      return 0;
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
    return window;
  }

  /** An int64 in Prometheus; negative values keep no exemplars, as its circular storage does. */
  private static int maxExemplars(Object exemplars) throws ConfigException {
    if (exemplars == null) {
      return DEFAULT_MAX_EXEMPLARS;
    }
    if (!(exemplars instanceof Map<?, ?> m)) {
      throw new ConfigException("parsing YAML file: storage.exemplars must be a mapping");
    }
    int max = DEFAULT_MAX_EXEMPLARS;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (!key.equals("max_exemplars")) {
        throw new ConfigException("parsing YAML file: field " + key
            + " not found in type config.ExemplarsConfig");
      }
      Object v = e.getValue();
      if (v == null) {
        continue;
      }
      long n;
      if (v instanceof Number num && !(v instanceof Double) && !(v instanceof Float)) {
        n = num.longValue();
      } else {
        try {
          n = Long.parseLong(String.valueOf(v).trim());
        } catch (NumberFormatException ex) {
          throw new ConfigException("parsing YAML file: cannot unmarshal " + v
              + " into Go struct field ExemplarsConfig.storage.exemplars.max_exemplars of type"
              + " int64");
        }
      }
      max = (int) Math.max(0, Math.min(Integer.MAX_VALUE, n));
    }
    return max;
  }
}
