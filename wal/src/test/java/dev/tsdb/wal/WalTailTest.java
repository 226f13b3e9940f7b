package dev.tsdb.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tailing a segment that is still written ({@link WalReader#tail}) and {@link WalRetention}. */
class WalTailTest {
  @TempDir Path dir;

  private static byte[] record(int i, int len) {
    byte[] b = new byte[len];
    Arrays.fill(b, (byte) (i + 1));
    return b;
  }

  private static List<byte[]> drain(WalReader r) throws IOException {
    List<byte[]> out = new ArrayList<>();
    while (r.next()) {
      out.add(r.recordCopy());
    }
    return out;
  }

  @Test
  void picksUpRecordsAppendedAfterTheEnd() throws IOException {
    Path wd = dir.resolve("wal");
    try (Wal wal = Wal.open(wd, WalOptions.DEFAULT.withCompression(WalOptions.Compression.NONE));
        WalReader r = WalReader.tail(new SegmentRef(wd, 0), 0)) {
      assertFalse(r.next());
      wal.log(record(0, 10));
      wal.log(record(1, 70_000)); // spans pages
      List<byte[]> got = drain(r);
      assertEquals(2, got.size());
      assertArrayEquals(record(1, 70_000), got.get(1));
      assertFalse(r.next());
      wal.log(record(2, 5));
      got = drain(r);
      assertEquals(1, got.size());
      assertArrayEquals(record(2, 5), got.get(0));
      long pos = r.position();
      wal.log(record(3, 7));
      try (WalReader again = WalReader.tail(new SegmentRef(wd, 0), pos)) {
        got = drain(again);
        assertEquals(1, got.size(), "resumes after the last record read");
        assertArrayEquals(record(3, 7), got.get(0));
      }
    }
  }

  @Test
  void waitsForATornRecordToComplete() throws IOException {
    Path full = dir.resolve("full");
    try (Wal wal = Wal.open(full, WalOptions.DEFAULT.withCompression(WalOptions.Compression.NONE))) {
      wal.log(record(0, 100));
      wal.log(record(1, 50_000));
    }
    byte[] all = Files.readAllBytes(WalFormat.segmentPath(full, 0));
    Path part = dir.resolve("part");
    Files.createDirectories(part);
    Path seg = WalFormat.segmentPath(part, 0);
    int cut = 40_000; // inside the second record
    Files.write(seg, Arrays.copyOf(all, cut));
    try (WalReader r = WalReader.tail(new SegmentRef(part, 0), 0)) {
      assertEquals(1, drain(r).size());
      long resume = r.position();
      assertTrue(resume < cut, "stops before the unfinished record");
      assertFalse(r.next());
      Files.write(seg, Arrays.copyOfRange(all, cut, all.length), StandardOpenOption.APPEND);
      List<byte[]> got = drain(r);
      assertEquals(1, got.size());
      assertArrayEquals(record(1, 50_000), got.get(0));
    }
  }

  @Test
  void truncationKeepsHeldSegments() throws IOException {
    Path wd = dir.resolve("wal");
    try (Wal wal = Wal.open(wd)) {
      for (int i = 0; i < 5; i++) {
        wal.log(record(i, 10));
        wal.nextSegment();
      }
      try (WalRetention.Hold h = WalRetention.hold(wd, () -> 2)) {
        wal.truncate(4);
        assertEquals(2, wal.segments().first());
      }
      wal.truncate(4);
      assertEquals(4, wal.segments().first());
    }
  }

  @Test
  void firstWithinCountsBytesFromTheNewestSegment() throws IOException {
    Path wd = dir.resolve("wal");
    try (Wal wal = Wal.open(wd)) {
      for (int i = 0; i < 5; i++) {
        wal.log(record(i, 10));
        wal.nextSegment();
      }
      wal.flush();
      // segments 0..4 hold one page each (a flushed page is written whole); 5 is empty
      long page = java.nio.file.Files.size(WalFormat.segmentPath(wd, 0));
      assertEquals(0, WalRetention.firstWithin(wd, Long.MAX_VALUE));
      assertEquals(3, WalRetention.firstWithin(wd, 2 * page));
      assertEquals(3, WalRetention.firstWithin(wd, 2 * page + 1));
      assertEquals(5, WalRetention.firstWithin(wd, 0), "the newest is always kept");
      try (WalRetention.Hold h = WalRetention.hold(wd,
          () -> Math.max(0, firstWithinUnchecked(wd, 2 * page)))) {
        wal.truncate(5);
        assertEquals(3, wal.segments().first(), "the capped hold keeps 3 and 4 only");
      }
    }
  }

  private static int firstWithinUnchecked(Path wd, long max) {
    try {
      return WalRetention.firstWithin(wd, max);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
