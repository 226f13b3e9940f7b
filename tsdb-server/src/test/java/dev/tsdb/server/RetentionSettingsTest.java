package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tsdb.blocks.db.DbOptions;
import dev.tsdb.rules.config.ConfigLoader;
import dev.tsdb.rules.config.StorageConfig;
import dev.tsdb.server.flags.FlagSet;
import dev.tsdb.server.flags.ServerFlags;
import org.junit.jupiter.api.Test;

/** Retention from storage.tsdb.retention or the flags, as Prometheus 3 decides it. */
class RetentionSettingsTest {
  private static RetentionSettings of(String yaml, String... args) throws Exception {
    ServerFlags f = new ServerFlags();
    FlagSet.Parsed p = f.set.parse(args);
    StorageConfig sc = ConfigLoader.parse(yaml, "t.yml").storage();
    return RetentionSettings.of(f, p, sc);
  }

  @Test
  void withoutTheSectionTheFlagsApply() throws Exception {
    assertEquals(new RetentionSettings(15 * DbOptions.DAY, 0, 0), of(""));
    assertEquals(new RetentionSettings(0, 1L << 30, 0),
        of("", "--storage.tsdb.retention.size=1GB"));
    assertEquals(new RetentionSettings(DbOptions.DAY, 1L << 30, 0),
        of("storage:\n  tsdb:\n    out_of_order_time_window: 1m\n",
            "--storage.tsdb.retention.time=1d", "--storage.tsdb.retention.size=1GB"));
  }

  @Test
  void theSectionReplacesTheFlagsAsAWhole() throws Exception {
    String yaml = "storage:\n  tsdb:\n    retention:\n      time: 2h\n      percentage: 28\n";
    assertEquals(new RetentionSettings(2 * DbOptions.HOUR, 0, 28),
        of(yaml, "--storage.tsdb.retention.time=30d", "--storage.tsdb.retention.size=1GB"));
    // An empty section turns both limits off, as in Prometheus.
    assertEquals(new RetentionSettings(0, 0, 0),
        of("storage:\n  tsdb:\n    retention: {}\n", "--storage.tsdb.retention.time=30d"));
  }

  @Test
  void theDatabaseIsOpenedWithTheConfiguredRetention() throws Exception {
    ServerFlags f = new ServerFlags();
    FlagSet.Parsed p = f.set.parse(new String[0]);
    StorageConfig sc = ConfigLoader.parse("storage:\n  tsdb:\n    retention:\n"
        + "      time: 1d\n      size: 512MB\n      percentage: 0.5\n", "t.yml").storage();
    DbOptions d = StorageFactory.dbOptions(
        StorageFactory.Options.of(f, p, RetentionSettings.of(f, p, sc), sc));
    assertEquals(DbOptions.DAY, d.retentionTimeMs);
    assertEquals(512L << 20, d.retentionSizeBytes);
    assertEquals(0.5, d.retentionPercentage);
  }
}
