package dev.tsdb.blocks.db;

import static dev.tsdb.blocks.db.DbTestUtil.H;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.blocks.BlockMeta;
import dev.tsdb.blocks.Ulid;
import dev.tsdb.blocks.db.DbTestUtil.Data;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks moved into the data directory of a running database (e.g. made by promtool's
 * create-blocks-from) are served after the next maintenance run, and blocks overlapping others
 * are merged by vertical compaction.
 */
class NewBlockDirsTest {
  static final long T0 = 1_700_006_400_000L; // a multiple of 2h

  @TempDir
  Path dir;

  /** Writes a block elsewhere and moves it into the data directory, as a user would. */
  private void moveIn(Database db, Data d, long mint, long maxt) throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    BlockMeta m = DbTestUtil.writeBlock(outside, d, mint, maxt);
    Files.move(outside.resolve(m.ulid()), db.dir().resolve(m.ulid()));
  }

  @Test
  void newBlocksAreServedAfterAReloadAndOverlapsAreMerged() throws Exception {
    try (Database db = Database.open(dir.resolve("data"), DbTestUtil.testOptions())) {
      Data head = DbTestUtil.generate(3, T0 + 10 * H, T0 + 10 * H + 600_000, 60_000, t -> 1);
      DbTestUtil.append(db, head);
      Data first = DbTestUtil.generate(4, T0, T0 + 2 * H, 60_000, t -> t % 7);
      moveIn(db, first, T0, T0 + 2 * H);
      assertEquals(head.asStrings(), DbTestUtil.readAll(db).asStrings(), "not before a reload");

      db.reloadBlocks();
      Data want = new Data();
      want.putAll(head);
      want.putAll(first);
      assertEquals(want.asStrings(), DbTestUtil.readAll(db).asStrings());
      assertEquals(1, db.blocks().size());

      // A second block over the same hours (other series, and other samples of the same ones:
      // at timestamps of their own, since which of two values at one timestamp wins is not
      // specified).
      Data second = DbTestUtil.generate(6, T0 + H + 15_000, T0 + 3 * H, 90_000, t -> t % 11);
      moveIn(db, second, T0 + H, T0 + 3 * H);
      db.compact(); // loads it, then vertical compaction merges the two
      want.putAll(second);
      assertEquals(want.asStrings(), DbTestUtil.readAll(db).asStrings());
      assertEquals(1, db.blocks().size(), "overlapping blocks merged: " + db.blocks());
      assertEquals(T0, db.blocks().get(0).minTime());
      assertEquals(T0 + 3 * H, db.blocks().get(0).maxTime());
    }
  }

  @Test
  void aDirectoryThatDoesNotOpenIsLeftAloneAndTriedAgain() throws Exception {
    try (Database db = Database.open(dir.resolve("data"), DbTestUtil.testOptions())) {
      // A copy still in progress: the directory is there, meta.json is not yet.
      Data d = DbTestUtil.generate(2, T0, T0 + H, 60_000, t -> 3);
      Path outside = Files.createDirectories(dir.resolve("outside"));
      BlockMeta m = DbTestUtil.writeBlock(outside, d, T0, T0 + H);
      Path partial = Files.createDirectories(db.dir().resolve(m.ulid()));
      db.reloadBlocks();
      assertEquals(0, db.blocks().size());
      assertTrue(Files.isDirectory(partial), "left where it is");
      Files.delete(partial);
      Files.move(outside.resolve(m.ulid()), partial);
      db.reloadBlocks();
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings());
      // A name that is not a ULID is not a block at all.
      Files.createDirectories(db.dir().resolve("not-a-block"));
      Files.createDirectories(db.dir().resolve(Ulid.generate() + ".tmp-for-creation"));
      db.reloadBlocks();
      assertEquals(1, db.blocks().size());
    }
  }

  @Test
  void theMaintenanceCycleNoticesNewBlocks() throws Exception {
    try (Database db = Database.open(dir.resolve("data"),
        DbTestUtil.testOptions().compactionIntervalMs(50))) {
      Data d = DbTestUtil.generate(5, T0, T0 + 2 * H, 60_000, t -> t % 5);
      moveIn(db, d, T0, T0 + 2 * H);
      long deadline = System.currentTimeMillis() + 10_000;
      while (db.blocks().isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
  }
}
