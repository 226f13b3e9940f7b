package dev.tsdb.server;

import dev.tsdb.blocks.db.Database;
import dev.tsdb.blocks.db.DbOptions;
import dev.tsdb.rules.config.StorageConfig;
import dev.tsdb.server.flags.FlagSet;
import dev.tsdb.server.flags.ServerFlags;
import java.nio.file.Path;

/**
 * The one place the server chooses its storage: the head + WAL + blocks {@link Database} in
 * {@code --storage.tsdb.path}, tuned by the {@code --storage.tsdb.*} flags (Prometheus's names and
 * defaults) and the config file's {@code storage} section.
 */
public final class StorageFactory {
  /** Prometheus refuses other WAL segment sizes (flag 'storage.tsdb.wal-segment-size'). */
  static final long MIN_WAL_SEGMENT = 10L << 20;
  static final long MAX_WAL_SEGMENT = 256L << 20;

  /**
   * What the database is opened with. Retention 0 means none; maxBlockMs 0 means Prometheus's
   * default (10% of the retention time, at most 31 days).
   */
  public record Options(Path dataDir, long retentionMs, long retentionBytes, long minBlockMs,
      long maxBlockMs, boolean walCompression, int walSegmentBytes, boolean noLockfile,
      boolean walFsyncPerWrite, long outOfOrderWindowMs, int maxExemplars,
      double retentionPercentage, boolean memorySnapshotOnShutdown) {

    /** The options the flags and the configuration ask for. */
    static Options of(ServerFlags flags, FlagSet.Parsed parsed, RetentionSettings retention,
        StorageConfig storage) {
      Long maxBlock = parsed.get(flags.maxBlockDuration);
      return new Options(Path.of(parsed.get(flags.tsdbPath)), retention.timeMs(),
          retention.sizeBytes(), parsed.get(flags.minBlockDuration),
          maxBlock == null ? 0 : maxBlock, parsed.get(flags.walCompression),
          walSegmentSize(parsed.get(flags.walSegmentSize)), parsed.get(flags.noLockfile),
          parsed.get(flags.walFsyncOnWrite), storage.outOfOrderTimeWindowMs(),
          storage.maxExemplars(), retention.percentage(),
          parsed.get(flags.memorySnapshotOnShutdown)
              || TsdbServer.features(flags, parsed).contains("memory-snapshot-on-shutdown"));
    }
  }

  private StorageFactory() {}

  /** Validates --storage.tsdb.wal-segment-size as Prometheus does at start-up (0: default). */
  static int walSegmentSize(long bytes) {
    if (bytes != 0 && (bytes < MIN_WAL_SEGMENT || bytes > MAX_WAL_SEGMENT)) {
      throw new IllegalArgumentException(
          "flag 'storage.tsdb.wal-segment-size' must be set between 10MB and 256MB");
    }
    if (bytes % dev.tsdb.wal.WalFormat.PAGE_SIZE != 0) {
      throw new IllegalArgumentException(
          "flag 'storage.tsdb.wal-segment-size' must be a multiple of 32KB");
    }
    return (int) bytes;
  }

  static DbOptions dbOptions(Options o) {
    DbOptions d = new DbOptions()
        .retentionTimeMs(o.retentionMs())
        .retentionSizeBytes(o.retentionBytes())
        .retentionPercentage(o.retentionPercentage())
        .minBlockDurationMs(o.minBlockMs())
        .maxBlockDurationMs(o.maxBlockMs())
        .walCompression(o.walCompression())
        .noLockfile(o.noLockfile())
        .outOfOrderTimeWindowMs(o.outOfOrderWindowMs())
        .maxExemplars(o.maxExemplars());
    d.walSegmentSizeBytes = o.walSegmentBytes();
    d.walSyncPerCommit = o.walFsyncPerWrite();
    d.chunkSnapshotOnShutdown = o.memorySnapshotOnShutdown();
    return d;
  }

  /**
   * The database, not loaded yet: the server starts its listener (so /-/healthy and
   * /api/v1/status/walreplay answer, /-/ready says 503), then calls {@link Database#load()}.
   */
  public static Database create(Options options) {
    return Database.create(options.dataDir(), dbOptions(options));
  }

  /** A short description of the storage, for the start-up log. */
  public static String kind() {
    return "tsdb (head + WAL + blocks)";
  }
}
