package dev.tsdb.wal;

import static dev.tsdb.wal.WalFormat.PAGE_SIZE;
import static dev.tsdb.wal.WalTestUtil.readAll;
import static dev.tsdb.wal.WalTestUtil.record;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.testkit.faults.Fault;
import dev.tsdb.testkit.faults.FaultyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk errors while logging: the failed call throws and leaves nothing behind, every call that
 * returned is kept, and writing resumes once the disk works again (no reopen).
 */
class WalFaultTest {
  @TempDir Path tmp;

  private final FaultyFiles files = new FaultyFiles();
  private final WalMetrics metrics = new WalMetrics();
  private final List<byte[]> acknowledged = new ArrayList<>();
  private int seed;

  private Wal open(int segmentSize) throws IOException {
    return Wal.open(tmp.resolve("wal"), WalOptions.DEFAULT.withSegmentSize(segmentSize)
        .withMetrics(metrics).withFiles(files));
  }

  /** Logs one record; remembers it when the call returned. */
  private boolean log(Wal wal, int size) {
    byte[] r = record(seed++, size);
    try {
      wal.log(r);
      acknowledged.add(r);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void assertOnlyAcknowledged() throws IOException {
    List<byte[]> read = readAll(tmp.resolve("wal"));
    assertEquals(acknowledged.size(), read.size(), "records read back");
    for (int i = 0; i < read.size(); i++) {
      assertArrayEquals(acknowledged.get(i), read.get(i), "record " + i);
    }
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void aFailedWriteIsCutAwayAndWritingResumesWhenTheDiskHeals(Fault fault) throws IOException {
    try (Wal wal = open(WalFormat.DEFAULT_SEGMENT_SIZE)) {
      for (int i = 0; i < 10; i++) {
        assertTrue(log(wal, 1000));
      }
      // Space for part of the next record only: a short write, then the error.
      files.failWritesAfter(500, FaultyFiles.named("wal"), fault);
      assertTrue(!log(wal, 1000));
      assertEquals(1, metrics.writesFailed.sum());
      // Still failing: the recovery cuts the torn record away, the retry fails again.
      assertTrue(!log(wal, 1000));
      assertTrue(metrics.writesFailed.sum() >= 2);
      assertEquals(0, metrics.recoveries.sum());
      files.heal();
      for (int i = 0; i < 10; i++) {
        assertTrue(log(wal, 1000), "writes succeed again without a restart");
      }
      assertEquals(1, metrics.recoveries.sum());
    }
    assertOnlyAcknowledged();
    assertTrue(files.injected() > 0);
  }

  @Test
  void recordsAcrossPagesAndSegmentsOfAFailedWriteAreAllRemoved() throws IOException {
    int segmentSize = 4 * PAGE_SIZE;
    try (Wal wal = open(segmentSize)) {
      assertTrue(log(wal, 100));
      int before = wal.currentSegment();
      // Several appends of one call (as a head commit does), the second fills the segment and
      // rolls to the next one; the disk fills during the third.
      files.failWritesAfter(segmentSize + PAGE_SIZE, FaultyFiles.any(), Fault.ENOSPC);
      byte[] a = record(1000, 2 * PAGE_SIZE);
      byte[] b = record(1001, 3 * PAGE_SIZE);
      byte[] c = record(1002, 3 * PAGE_SIZE);
      IOException e = assertThrows(IOException.class, () -> {
        wal.append(a, 0, a.length);
        wal.append(b, 0, b.length);
        wal.append(c, 0, c.length);
        wal.flush();
      });
      assertTrue(e.getMessage().contains("No space left"), e.getMessage());
      assertTrue(wal.currentSegment() > before, "the failed call rolled the segment");
      files.heal();
      assertTrue(log(wal, 100));
      assertEquals(before, wal.currentSegment(), "writing continues in the last good segment");
    }
    assertOnlyAcknowledged();
    for (SegmentRef s : Segments.list(tmp.resolve("wal"))) {
      assertEquals(0, Files.size(s.path()) % PAGE_SIZE, "page-aligned " + s);
    }
  }

  @Test
  void aFailedFsyncDropsTheCallsDataAndTheNextSyncSucceeds() throws IOException {
    try (Wal wal = open(WalFormat.DEFAULT_SEGMENT_SIZE)) {
      assertTrue(log(wal, 300));
      wal.sync();
      files.failFsyncs(FaultyFiles.any(), Fault.EIO);
      byte[] r = record(77, 300);
      wal.append(r, 0, r.length);
      assertThrows(IOException.class, wal::sync);
      assertEquals(1, metrics.writesFailed.sum());
      // Recovery fsyncs the cut segment: it fails as long as fsync does.
      assertTrue(!log(wal, 300));
      files.heal();
      assertTrue(log(wal, 300));
      wal.sync();
    }
    assertOnlyAcknowledged();
  }

  @Test
  void aFailedBackgroundFsyncOfAFullSegmentFailsTheWalUntilItIsSyncedAgain() throws Exception {
    int segmentSize = 2 * PAGE_SIZE;
    try (Wal wal = open(segmentSize)) {
      assertTrue(log(wal, PAGE_SIZE));
      int full = wal.currentSegment();
      files.failFsyncs(FaultyFiles.named(WalFormat.segmentName(full)), Fault.EIO);
      // Does not fit: the segment is rolled and fsynced in the background, which fails.
      assertTrue(log(wal, PAGE_SIZE + 100), "the write itself went to the new segment");
      assertTrue(wal.currentSegment() > full);
      // Once the syncer has failed, the next write fails as after a write error (writes
      // before that are acknowledged as usual).
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (log(wal, 100)) {
        assertTrue(System.nanoTime() < deadline, "no write failed after the fsync failure");
        Thread.sleep(10);
      }
      assertEquals(1, files.injected(), "the background fsync failed");
      assertEquals(1, metrics.writesFailed.sum());
      // While fsync fails, recovery (which syncs the segment again) fails too.
      assertTrue(!log(wal, 100));
      assertTrue(metrics.writesFailed.sum() >= 2);
      files.heal();
      for (int i = 0; i < 5; i++) {
        assertTrue(log(wal, 100), "writes succeed again once the segment is synced");
      }
      assertEquals(1, metrics.recoveries.sum());
    }
    assertOnlyAcknowledged();
  }

  @Test
  void aCrashWhileFailedReplaysEveryAcknowledgedRecord() throws IOException {
    Wal wal = open(WalFormat.DEFAULT_SEGMENT_SIZE);
    for (int i = 0; i < 5; i++) {
      assertTrue(log(wal, 5000));
    }
    files.failWritesAfter(2000, FaultyFiles.any(), Fault.ENOSPC);
    assertTrue(!log(wal, 5000)); // partly written
    assertTrue(!log(wal, 5000)); // refused: recovery cannot pad the page while the disk is full
    // "SIGKILL": no close. Replay repairs the torn tail at the first unacknowledged record.
    List<byte[]> read = new ArrayList<>();
    WalReplay.Result res = WalReplay.replay(tmp.resolve("wal"), (rec, len) -> {
      read.add(java.util.Arrays.copyOf(rec, len));
    });
    assertTrue(read.size() >= acknowledged.size(), "replayed " + read.size());
    for (int i = 0; i < acknowledged.size(); i++) {
      assertArrayEquals(acknowledged.get(i), read.get(i), "record " + i);
    }
    assertTrue(res.repaired() || read.size() > acknowledged.size());
  }

  @Test
  void failingToOpenTheNextSegmentIsRecoveredToo() throws IOException {
    int segmentSize = 2 * PAGE_SIZE;
    try (Wal wal = open(segmentSize)) {
      assertTrue(log(wal, PAGE_SIZE));
      files.failOpens(FaultyFiles.named(WalFormat.segmentName(wal.currentSegment() + 1)),
          Fault.EIO);
      assertTrue(!log(wal, PAGE_SIZE + 100)); // does not fit: needs the next segment
      files.heal();
      assertTrue(log(wal, PAGE_SIZE + 100));
    }
    assertOnlyAcknowledged();
  }

  @Test
  void aCheckpointFailingOnAFullDiskLeavesNothingAndSucceedsLater() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal wal = open(4 * PAGE_SIZE)) {
      dev.tsdb.index.format.EncodeBuffer buf = new dev.tsdb.index.format.EncodeBuffer(1 << 12);
      long[] refs = new long[100];
      long[] ts = new long[100];
      double[] vs = new double[100];
      for (int i = 0; i < 40; i++) {
        for (int k = 0; k < 100; k++) {
          refs[k] = k;
          ts[k] = i * 1000L + k;
          vs[k] = k;
        }
        dev.tsdb.wal.record.RecordEncoder.samples(refs, ts, vs, 0, 100, buf);
        wal.log(buf);
      }
      int to = wal.nextSegment() - 1;
      files.failWritesAfter(3000, p -> p.toString().contains(Checkpoint.PREFIX), Fault.ENOSPC);
      assertThrows(IOException.class, () -> Checkpoint.create(wal, 0, to, ref -> true, 0));
      assertEquals(1, metrics.checkpointCreationsFailed.sum());
      assertTrue(Checkpoint.list(dir).isEmpty());
      try (var ls = Files.list(dir)) {
        assertTrue(ls.noneMatch(p -> p.getFileName().toString().startsWith(Checkpoint.PREFIX)),
            "no temporary checkpoint left");
      }
      assertTrue(log(wal, 100), "the WAL itself is unaffected");
      files.heal();
      Checkpoint.create(wal, 0, to, ref -> true, 0);
      assertEquals(1, Checkpoint.list(dir).size());
    }
  }
}
