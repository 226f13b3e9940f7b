package dev.tsdb.blocks.db;

import static dev.tsdb.blocks.db.DbTestUtil.H;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.blocks.BlockMeta;
import dev.tsdb.blocks.BlockWriter;
import dev.tsdb.blocks.db.DbTestUtil.Data;
import dev.tsdb.testkit.faults.Fault;
import dev.tsdb.testkit.faults.FaultyFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Head cuts and compactions on a failing disk: they fail without leaving partial blocks, change
 * nothing that is served, and succeed on a later run once the disk works again.
 */
class DiskFullDbTest {
  static final long T0 = DatabaseTest.T0;
  /** Files of blocks being written. */
  static final Predicate<Path> BLOCK_WRITES = p -> p.toString().contains(BlockWriter.TMP_SUFFIX);

  @TempDir Path dir;
  private final FaultyFiles files = new FaultyFiles();

  private DbOptions options() {
    DbOptions o = DbTestUtil.testOptions();
    o.fileOps = files;
    return o;
  }

  private void assertNoPartialBlocks() throws IOException {
    assertFalse(MaintenanceTest.names(dir).stream().anyMatch(n -> n.contains(".tmp")),
        MaintenanceTest.names(dir).toString());
  }

  /** The disk fills while writing each of the block's files in turn. */
  @ParameterizedTest
  @ValueSource(strings = {"000001", "index", "meta.json.tmp", "tombstones.tmp"})
  void aHeadCutOnAFullDiskFailsCleanlyAndIsRetried(String file) throws Exception {
    Data d = DbTestUtil.generate(20, T0 + 10 * 60_000, T0 + 5 * H, 60_000, t -> t % 1000);
    try (Database db = Database.open(dir, options())) {
      DbTestUtil.append(db, d);
      files.failWritesAfter(0, BLOCK_WRITES.and(FaultyFiles.named(file)), Fault.ENOSPC);
      assertThrows(IOException.class, db::compact);
      assertNoPartialBlocks();
      assertTrue(db.blocks().isEmpty());
      assertEquals(0, db.headCutsTotal());
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings(), "the head keeps its data");
      Data more = DbTestUtil.generate(20, T0 + 5 * H, T0 + 5 * H + 10 * 60_000, 60_000, t -> 1);
      DbTestUtil.append(db, more); // the WAL is on another path: writes go on
      d.putAll(more);

      files.heal();
      db.compact();
      assertTrue(db.headCutsTotal() >= 1);
      assertFalse(db.blocks().isEmpty());
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void aCompactionOnAFailingDiskLeavesTheSourcesUnmarkedAndIsRetried(Fault fault)
      throws Exception {
    Data all = new Data();
    for (int i = 0; i < 4; i++) {
      Data d = DbTestUtil.generate(8, T0 + i * 2 * H, T0 + (i + 1) * 2 * H, 90_000, t -> t % 97);
      DbTestUtil.writeBlock(dir, d, T0 + i * 2 * H, T0 + (i + 1) * 2 * H);
      all.putAll(d);
    }
    try (Database db = Database.open(dir, options())) {
      files.failWritesAfter(2_000, BLOCK_WRITES, fault);
      assertThrows(IOException.class, db::compact);
      assertNoPartialBlocks();
      List<BlockMeta> blocks = db.blocks();
      assertEquals(4, blocks.size());
      for (BlockMeta m : blocks) {
        assertFalse(m.compaction().failed(), "a disk error does not mark the sources");
      }
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());

      files.heal();
      db.compact();
      assertEquals(2, db.blocks().size());
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
  }

  /** A failed mkdir, directory fsync or rename of the block being written (its tmp dir). */
  @ParameterizedTest
  @ValueSource(strings = {"mkdir", "dirsync", "rename"})
  void aHeadCutFailingOnTheBlockDirectoryFailsCleanlyAndIsRetried(String op) throws Exception {
    Data d = DbTestUtil.generate(10, T0, T0 + 4 * H, 60_000, t -> t % 7);
    try (Database db = Database.open(dir, options())) {
      DbTestUtil.append(db, d);
      switch (op) {
        case "mkdir" -> files.failMkdirs(BLOCK_WRITES, Fault.ENOSPC);
        case "dirsync" -> files.failDirectorySyncs(BLOCK_WRITES, Fault.EIO);
        default -> files.failRenames(BLOCK_WRITES, Fault.EIO);
      }
      assertThrows(IOException.class, db::compact);
      assertTrue(files.injected() > 0, "the fault was hit");
      assertNoPartialBlocks();
      assertTrue(db.blocks().isEmpty());
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings(), "the head keeps its data");
      files.heal();
      db.compact();
      assertEquals(1, db.blocks().size());
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
  }

  /**
   * The WAL checkpoint after a head cut fails at the rename of checkpoint.N.tmp: the cut's
   * block stands, the WAL keeps its segments (nothing is truncated), no checkpoint.N.tmp stays,
   * and the next cut checkpoints; every sample is there, also after a restart.
   */
  @Test
  void aFailedCheckpointRenameKeepsTheWalAndIsRetried() throws Exception {
    DbOptions o = options();
    o.walSegmentSizeBytes = 4 * 32 * 1024;
    Data d = DbTestUtil.generate(50, T0, T0 + 4 * H, 15_000, t -> t % 11);
    Path wal = dir.resolve("wal");
    try (Database db = Database.open(dir, o)) {
      DbTestUtil.append(db, d);
      files.failRenames(p -> p.getFileName().toString().startsWith("checkpoint."), Fault.EIO);
      try {
        db.compact();
      } catch (IOException e) {
        // reported to the caller or only logged: both keep the WAL
      }
      assertTrue(files.injected() > 0, "a checkpoint was attempted");
      assertFalse(MaintenanceTest.names(wal).stream().anyMatch(n -> n.endsWith(".tmp")),
          MaintenanceTest.names(wal).toString());
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings());
      files.heal();
      Data more = DbTestUtil.generate(50, T0 + 4 * H, T0 + 8 * H, 15_000, t -> 1);
      DbTestUtil.append(db, more);
      d.putAll(more);
      db.compact();
      assertTrue(MaintenanceTest.names(wal).stream().anyMatch(n -> n.startsWith("checkpoint.")),
          "the next cut checkpoints: " + MaintenanceTest.names(wal));
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
  }

  /**
   * Compaction writes its block but cannot rename a source block away for deletion: every
   * sample is served once (no duplicates from the source that stayed), and after a restart too.
   */
  @Test
  void aCompactionFailingToRemoveASourceServesEverySampleOnce() throws Exception {
    Data all = new Data();
    for (int i = 0; i < 4; i++) {
      Data d = DbTestUtil.generate(8, T0 + i * 2 * H, T0 + (i + 1) * 2 * H, 90_000, t -> t % 97);
      DbTestUtil.writeBlock(dir, d, T0 + i * 2 * H, T0 + (i + 1) * 2 * H);
      all.putAll(d);
    }
    try (Database db = Database.open(dir, options())) {
      files.failRenames(p -> p.getFileName().toString().endsWith(".tmp-for-deletion"),
          Fault.EIO);
      try {
        db.compact();
      } catch (IOException e) {
        // the new block is in; a source could not be removed
      }
      assertTrue(files.injected() > 0, "a source deletion was attempted");
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
      files.heal();
      db.compact();
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
      db.compact();
      assertEquals(all.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
  }

  @Test
  void aFailedFsyncOfABlockFileFailsTheCutCleanly() throws Exception {
    Data d = DbTestUtil.generate(5, T0, T0 + 4 * H, 60_000, t -> 3);
    try (Database db = Database.open(dir, options())) {
      DbTestUtil.append(db, d);
      files.failFsyncs(BLOCK_WRITES, Fault.EIO);
      assertThrows(IOException.class, db::compact);
      assertNoPartialBlocks();
      files.heal();
      db.compact();
      assertEquals(1, db.blocks().size());
      assertEquals(d.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
  }

  @Test
  void aWalOnAFullDiskRefusesCommitsAndAcceptsThemAgainOnceSpaceIsBack() throws Exception {
    Data acked = DbTestUtil.generate(10, T0, T0 + 30 * 60_000, 60_000, t -> 1);
    try (Database db = Database.open(dir, options())) {
      DbTestUtil.append(db, acked);
      files.failWritesAfter(0, FaultyFiles.named("wal"), Fault.ENOSPC);
      Data refused = DbTestUtil.generate(10, T0 + 30 * 60_000, T0 + 40 * 60_000, 60_000, t -> 2);
      assertThrows(IOException.class, () -> DbTestUtil.append(db, refused));
      assertEquals(acked.asStrings(), DbTestUtil.readAll(db).asStrings(),
          "queries work and show nothing of the failed commit");
      files.heal();
      DbTestUtil.append(db, refused); // the sender's retry
      acked.putAll(refused);
      assertEquals(acked.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
    try (Database db = Database.open(dir, DbTestUtil.testOptions())) {
      assertEquals(acked.asStrings(), DbTestUtil.readAll(db).asStrings());
    }
  }
}
