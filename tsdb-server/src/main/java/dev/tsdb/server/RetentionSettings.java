package dev.tsdb.server;

import dev.tsdb.rules.config.StorageConfig;
import dev.tsdb.server.flags.FlagSet;
import dev.tsdb.server.flags.ServerFlags;

/**
 * The retention in effect, decided as Prometheus 3 decides it: a {@code storage.tsdb.retention}
 * section in the config file replaces the {@code --storage.tsdb.retention.*} flags as a whole
 * (a field it leaves out is off); without the section the flags apply, with 15d when neither
 * time nor size is given. Re-decided on every reload.
 *
 * @param timeMs 0: no time limit
 * @param sizeBytes 0: no size limit
 * @param percentage share of the data file system (0: off); replaces the size when set
 */
record RetentionSettings(long timeMs, long sizeBytes, double percentage) {
  static final long DEFAULT_TIME_MS = 15L * 24 * 3600 * 1000;

  static RetentionSettings of(ServerFlags flags, FlagSet.Parsed parsed, StorageConfig storage) {
    StorageConfig.RetentionConfig r = storage.retention();
    if (r != null) {
      return new RetentionSettings(r.timeMs(), r.sizeBytes(), r.percentage());
    }
    long size = parsed.get(flags.retentionSize);
    Long time = parsed.get(flags.retentionTime);
    if (time == null) {
      time = parsed.get(flags.retentionDeprecated);
    }
    if (time == null) {
      time = size > 0 ? 0 : DEFAULT_TIME_MS;
    }
    return new RetentionSettings(time, size, 0);
  }
}
