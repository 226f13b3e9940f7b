package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.blocks.db.DbOptions;
import dev.tsdb.rules.config.ConfigLoader;
import dev.tsdb.rules.config.StorageConfig;
import dev.tsdb.server.flags.FlagException;
import dev.tsdb.server.flags.FlagSet;
import dev.tsdb.server.flags.ServerFlags;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** --storage.tsdb.* flags and the config's storage section become the database's options. */
class StorageFactoryTest {
  private static StorageFactory.Options options(StorageConfig sc, String... args)
      throws FlagException {
    ServerFlags f = new ServerFlags();
    FlagSet.Parsed p = f.set.parse(args);
    return StorageFactory.Options.of(f, p, RetentionSettings.of(f, p, sc), sc);
  }

  @Test
  void prometheusDefaults() throws Exception {
    StorageFactory.Options o = options(StorageConfig.DEFAULT);
    assertEquals(Path.of("data/"), o.dataDir());
    DbOptions d = StorageFactory.dbOptions(o);
    assertEquals(2 * DbOptions.HOUR, d.minBlockDurationMs);
    assertEquals(0, d.maxBlockDurationMs); // 10% of retention: 1.5d
    assertEquals(36 * DbOptions.HOUR, d.effectiveMaxBlockDurationMs());
    assertEquals(15 * DbOptions.DAY, d.retentionTimeMs);
    assertEquals(0, d.retentionSizeBytes);
    assertTrue(d.walCompression, "Prometheus 2.20+ compresses the WAL by default");
    assertEquals(0, d.walSegmentSizeBytes);
    assertFalse(d.noLockfile);
    assertFalse(d.walSyncPerCommit, "Prometheus does not fsync per write");
    assertEquals(0, d.outOfOrderTimeWindowMs);
  }

  @Test
  void chunkSnapshotOnShutdownIsOnUnlessTurnedOff() throws Exception {
    assertTrue(StorageFactory.dbOptions(options(StorageConfig.DEFAULT)).chunkSnapshotOnShutdown);
    assertFalse(StorageFactory.dbOptions(options(StorageConfig.DEFAULT,
        "--no-storage.tsdb.memory-snapshot-on-shutdown")).chunkSnapshotOnShutdown);
    // Prometheus's feature flag turns it on whatever the other flag says.
    assertTrue(StorageFactory.dbOptions(options(StorageConfig.DEFAULT,
        "--no-storage.tsdb.memory-snapshot-on-shutdown",
        "--enable-feature=exemplar-storage,memory-snapshot-on-shutdown"))
        .chunkSnapshotOnShutdown);
  }

  @Test
  void flagsAndConfigApplied() throws Exception {
    StorageConfig sc = ConfigLoader.parse(
        "storage:\n  tsdb:\n    out_of_order_time_window: 30m\n", "t.yml").storage();
    DbOptions d = StorageFactory.dbOptions(options(sc, "--storage.tsdb.path=/x",
        "--storage.tsdb.min-block-duration=30m", "--storage.tsdb.max-block-duration=6h",
        "--no-storage.tsdb.wal-compression", "--storage.tsdb.wal-segment-size=16MB",
        "--storage.tsdb.no-lockfile", "--storage.tsdb.wal-fsync-on-write",
        "--storage.tsdb.retention.size=1GB"));
    assertEquals(30 * 60_000, d.minBlockDurationMs);
    assertEquals(6 * DbOptions.HOUR, d.maxBlockDurationMs);
    assertFalse(d.walCompression);
    assertEquals(16 << 20, d.walSegmentSizeBytes);
    assertTrue(d.noLockfile);
    assertTrue(d.walSyncPerCommit);
    assertEquals(1L << 30, d.retentionSizeBytes);
    assertEquals(30 * 60_000, d.outOfOrderTimeWindowMs);
    assertEquals(100_000, d.maxExemplars);
    DbOptions small = StorageFactory.dbOptions(options(ConfigLoader.parse(
        "storage:\n  exemplars:\n    max_exemplars: 7\n", "t.yml").storage()));
    assertEquals(7, small.maxExemplars);
  }

  @Test
  void walSegmentSizeLimitsAsPrometheus() {
    for (String bad : new String[] {"1MB", "9MB", "257MB"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> options(StorageConfig.DEFAULT, "--storage.tsdb.wal-segment-size=" + bad));
      assertEquals("flag 'storage.tsdb.wal-segment-size' must be set between 10MB and 256MB",
          e.getMessage());
    }
  }

  @Test
  void blockDurationMustBePositive() {
    FlagException e = assertThrows(FlagException.class,
        () -> new ServerFlags().set.parse(new String[] {"--storage.tsdb.min-block-duration=0s"}));
    assertTrue(e.getMessage().startsWith("invalid value \"0s\" for flag"
        + " '--storage.tsdb.min-block-duration'"), e.getMessage());
  }
}
