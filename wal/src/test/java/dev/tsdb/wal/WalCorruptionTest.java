package dev.tsdb.wal;

import static dev.tsdb.wal.WalFormat.PAGE_SIZE;
import static dev.tsdb.wal.WalTest.assertRecords;
import static dev.tsdb.wal.WalTestUtil.readAll;
import static dev.tsdb.wal.WalTestUtil.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.wal.record.RecordFormatException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalCorruptionTest {
  @TempDir Path tmp;

  /** Sizes mixing single-fragment and page-spanning records. */
  private static int size(int i) {
    return i % 5 == 3 ? 50_000 + i : 10 + (i * 997) % 9000;
  }

  /** Writes records into one segment, returning each record's end offset (file size after it). */
  private static long[] writeSingleSegment(Path dir, int n) throws IOException {
    long[] ends = new long[n];
    try (Wal wal = Wal.open(dir)) {
      for (int i = 0; i < n; i++) {
        wal.log(record(i, size(i)));
        ends[i] = Files.size(WalFormat.segmentPath(dir, 0));
      }
      // As after a kill: the last page is short, which is not corruption.
      assertTrue(ends[n - 1] % PAGE_SIZE != 0);
      assertRecords(expected(n), readAll(dir));
    }
    return ends;
  }

  private static List<byte[]> expected(int count) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(record(i, size(i)));
    }
    return out;
  }

  private static List<byte[]> replay(Path dir, WalReplay.Result[] result) throws IOException {
    List<byte[]> got = new ArrayList<>();
    result[0] = WalReplay.replay(dir, (rec, len) -> got.add(java.util.Arrays.copyOf(rec, len)));
    return got;
  }

  @Test
  void tornTailKeepsEveryCompleteRecordAndRepairs() throws IOException {
    int n = 40;
    Path src = tmp.resolve("src");
    long[] ends = writeSingleSegment(src, n);

    int cases = 0;
    for (int k = 1; k < n; k++) {
      for (long cut : new long[] {ends[k] - 1, ends[k] - 5, ends[k] - size(k) / 2, ends[k - 1] + 3}) {
        if (cut <= ends[k - 1] || cut >= ends[k]) {
          continue; // the cut must fall inside record k
        }
        Path dir = tmp.resolve("case" + cases++);
        copyDir(src, dir);
        try (FileChannel ch = FileChannel.open(WalFormat.segmentPath(dir, 0), StandardOpenOption.WRITE)) {
          ch.truncate(cut);
        }
        WalReplay.Result[] res = new WalReplay.Result[1];
        List<byte[]> got = replay(dir, res);
        assertRecords(expected(k), got);
        assertTrue(res[0].repaired(), "cut at " + cut);
        assertEquals(0, res[0].corruption().segment());
        assertEquals(k, res[0].walRecords());

        // After repair the WAL reads cleanly, and new writes continue after it.
        assertRecords(expected(k), readAll(dir));
        try (Wal wal = Wal.open(dir)) {
          assertEquals(1, wal.currentSegment());
          wal.log(record(999, 1234));
        }
        List<byte[]> all = expected(k);
        all.add(record(999, 1234));
        assertRecords(all, replay(dir, res));
        assertFalse(res[0].repaired());
      }
    }
    assertTrue(cases > 30, "cases " + cases);
  }

  @Test
  void cutExactlyAtRecordEndIsNotCorruption() throws IOException {
    Path dir = tmp.resolve("wal");
    long[] ends = writeSingleSegment(dir, 10);
    try (FileChannel ch = FileChannel.open(WalFormat.segmentPath(dir, 0), StandardOpenOption.WRITE)) {
      ch.truncate(ends[6]);
    }
    WalReplay.Result[] res = new WalReplay.Result[1];
    assertRecords(expected(7), replay(dir, res));
    assertFalse(res[0].repaired());
  }

  @Test
  void flippedByteInAMiddleSegmentCutsThereAndDropsLaterSegments() throws IOException {
    Path dir = tmp.resolve("wal");
    int n = 120;
    List<int[]> where = new ArrayList<>(); // per record: segment, start offset
    try (Wal wal = Wal.open(dir, WalOptions.DEFAULT.withSegmentSize(8 * PAGE_SIZE))) {
      for (int i = 0; i < n; i++) {
        wal.log(record(i, size(i)));
      }
    }
    try (WalReader r = WalReader.open(dir)) {
      while (r.next()) {
        where.add(new int[] {r.segment().index(), (int) r.offset(), r.recordLength()});
      }
    }
    assertEquals(n, where.size());
    int lastSegment = Segments.range(dir).last();
    assertTrue(lastSegment >= 4);

    // Damage a record in the middle of segment 2: flip one data byte (CRC mismatch).
    int victim = -1;
    for (int i = 0; i < n; i++) {
      if (where.get(i)[0] == 2 && where.get(i)[1] > 0) {
        victim = i;
        break;
      }
    }
    assertTrue(victim > 0);
    int[] v = where.get(victim);
    flipByte(WalFormat.segmentPath(dir, 2), v[1] + 7 + Math.min(3, v[2] - 1));

    WalReplay.Result[] res = new WalReplay.Result[1];
    List<byte[]> got = replay(dir, res);
    assertRecords(expected(victim), got);
    assertNotNull(res[0].corruption());
    assertEquals(2, res[0].corruption().segment());
    assertEquals(v[1], res[0].corruption().offset());
    assertTrue(res[0].corruption().getMessage().contains("checksum"), res[0].corruption().getMessage());

    // Later segments are gone; segment 2 ends at the damaged record, padded to a page.
    assertEquals(new SegmentRange(0, 2), Segments.range(dir));
    long seg2 = Files.size(WalFormat.segmentPath(dir, 2));
    assertEquals(0, seg2 % PAGE_SIZE);
    assertRecords(expected(victim), readAll(dir));
  }

  @Test
  void flippedCrcFieldIsDetected() throws IOException {
    Path dir = tmp.resolve("wal");
    writeSingleSegment(dir, 5);
    long start;
    try (WalReader r = WalReader.open(dir)) {
      r.next();
      r.next();
      start = r.offset(); // record 1
    }
    flipByte(WalFormat.segmentPath(dir, 0), start + 4);
    WalCorruptionException e = assertThrows(WalCorruptionException.class, () -> readAll(dir));
    assertEquals(start, e.offset());
    WalRepair.repair(dir, e);
    assertRecords(expected(1), readAll(dir));
  }

  @Test
  void recordTornAtSegmentEndIsReportedInItsOwnSegment() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal wal = Wal.open(dir)) {
      wal.log(record(0, size(0)));
      wal.log(record(1, 100_000)); // spans 4 pages
      wal.nextSegment();
      wal.log(record(2, size(2)));
    }
    // Cut segment 0 inside record 1's middle fragment; segment 1 is intact.
    long cut = PAGE_SIZE + 1000;
    try (FileChannel ch = FileChannel.open(WalFormat.segmentPath(dir, 0), StandardOpenOption.WRITE)) {
      ch.truncate(cut);
    }
    WalReplay.Result[] res = new WalReplay.Result[1];
    assertRecords(expected(1), replay(dir, res));
    assertEquals(0, res[0].corruption().segment());
    assertTrue(res[0].corruption().getMessage().contains("torn"), res[0].corruption().getMessage());
    assertEquals(new SegmentRange(0, 0), Segments.range(dir));
  }

  @Test
  void garbageInPagePaddingIsCorruption() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal wal = Wal.open(dir)) {
      wal.log(record(0, 100));
    } // close pads the page with zeros
    flipByte(WalFormat.segmentPath(dir, 0), PAGE_SIZE - 10);
    WalCorruptionException e = assertThrows(WalCorruptionException.class, () -> readAll(dir));
    assertEquals(107, e.offset());
    WalRepair.repair(dir, e);
    assertRecords(List.of(record(0, 100)), readAll(dir));
  }

  @Test
  void undecodableRecordIsTreatedAsCorruption() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal wal = Wal.open(dir)) {
      for (int i = 0; i < 6; i++) {
        wal.log(record(i, 20));
      }
    }
    int[] calls = {0};
    WalReplay.Result res = WalReplay.replay(dir, (rec, len) -> {
      if (calls[0]++ == 3) {
        throw new RecordFormatException("bad payload");
      }
    });
    assertTrue(res.repaired());
    assertEquals(3, res.walRecords());
    assertRecords(List.of(record(0, 20), record(1, 20), record(2, 20)), readAll(dir));
  }

  @Test
  void damagedCheckpointIsNotRepaired() throws IOException {
    Path dir = tmp.resolve("wal");
    Path cp = Checkpoint.dirFor(dir, 3);
    try (Wal wal = Wal.open(cp)) {
      wal.log(record(0, 100));
    }
    flipByte(WalFormat.segmentPath(cp, 0), 20);
    WalCorruptionException e = assertThrows(WalCorruptionException.class,
        () -> WalReplay.replay(dir, (rec, len) -> { }));
    assertEquals(cp, e.dir());
    assertThrows(IOException.class, () -> WalRepair.repair(dir, e));
    assertTrue(Files.exists(WalFormat.segmentPath(cp, 0)));
  }

  @Test
  void emptyAndMissingDirectories() throws IOException {
    WalReplay.Result r = WalReplay.replay(tmp.resolve("nope"), (rec, len) -> { });
    assertNull(r.corruption());
    assertEquals(0, r.walRecords());
    Files.createDirectories(tmp.resolve("empty"));
    Files.createFile(WalFormat.segmentPath(tmp.resolve("empty"), 0)); // zero-length segment
    assertTrue(readAll(tmp.resolve("empty")).isEmpty());
  }

  private static void flipByte(Path file, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x5A);
    }
  }

  private static void copyDir(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    for (SegmentRef s : Segments.list(from)) {
      Files.copy(s.path(), to.resolve(s.path().getFileName()));
    }
  }
}
