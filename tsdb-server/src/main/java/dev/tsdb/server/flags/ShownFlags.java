package dev.tsdb.server.flags;

import dev.tsdb.blocks.db.DbOptions;
import dev.tsdb.gocompat.ModelDuration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The flag values /api/v1/status/flags shows. Prometheus writes the storage values it derives
 * at start-up back into its flags, so a defaulted retention shows as "15d" and a defaulted
 * max block duration as the range it chose; a Thanos sidecar reads the latter to check that
 * local compaction is off.
 */
public final class ShownFlags {
  static final long DEFAULT_RETENTION_MS = 15L * 24 * 3600 * 1000;

  private ShownFlags() {}

  public static Map<String, String> of(ServerFlags flags, FlagSet.Parsed parsed) {
    Map<String, String> shown = new LinkedHashMap<>(parsed.asText());
    Long time = parsed.get(flags.retentionTime);
    if (time == null) {
      time = parsed.get(flags.retentionDeprecated);
    }
    if (time == null && parsed.get(flags.retentionSize) == 0) {
      time = DEFAULT_RETENTION_MS;
    }
    if (time != null) {
      shown.put(flags.retentionTime.name(), ModelDuration.format(time));
    }
    if (parsed.get(flags.maxBlockDuration) == null) {
      // Prometheus's choice (31d, or a tenth of the retention time when that is shorter),
      // shown before the database raises it to the min block duration.
      long max = new DbOptions().minBlockDurationMs(0).retentionTimeMs(time == null ? 0 : time)
          .maxBlockDurationMs(0).effectiveMaxBlockDurationMs();
      shown.put(flags.maxBlockDuration.name(), ModelDuration.format(max));
    }
    return shown;
  }
}
