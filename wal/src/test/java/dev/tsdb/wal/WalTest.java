package dev.tsdb.wal;

import static dev.tsdb.wal.WalFormat.PAGE_SIZE;
import static dev.tsdb.wal.WalTestUtil.readAll;
import static dev.tsdb.wal.WalTestUtil.record;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.format.EncodeBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
  @TempDir Path tmp;

  private static final int[] SIZES = {
      0, 1, 100, PAGE_SIZE - 7, PAGE_SIZE - 6, PAGE_SIZE - 14, PAGE_SIZE, 3 * PAGE_SIZE + 5,
      100_000, 7, 0, 2 * PAGE_SIZE - 14};

  @Test
  void roundTripRecordsOfAllSizesAcrossPagesAndSegments() throws IOException {
    Path dir = tmp.resolve("wal");
    List<byte[]> written = new ArrayList<>();
    try (Wal wal = Wal.open(dir, WalOptions.DEFAULT.withSegmentSize(4 * PAGE_SIZE))) {
      for (int round = 0; round < 5; round++) {
        for (int i = 0; i < SIZES.length; i++) {
          byte[] r = record(round * 100 + i, SIZES[i]);
          written.add(r);
          wal.log(r);
        }
      }
    }
    assertRecords(written, readAll(dir));

    List<SegmentRef> segs = Segments.list(dir);
    assertTrue(segs.size() > 3, "expected rollovers, got " + segs.size());
    for (SegmentRef s : segs) {
      assertTrue(s.path().getFileName().toString().matches("\\d{8}"));
      long size = Files.size(s.path());
      assertEquals(0, size % PAGE_SIZE, "closed segments end on a page boundary: " + s);
    }
    // Records never span segments: each segment read alone yields whole records only.
    List<byte[]> perSegment = new ArrayList<>();
    for (SegmentRef s : segs) {
      try (WalReader r = WalReader.open(List.of(s))) {
        while (r.next()) {
          perSegment.add(r.recordCopy());
        }
      }
    }
    assertRecords(written, perSegment);
  }

  @Test
  void segmentsRespectTheSizeLimit() throws IOException {
    Path dir = tmp.resolve("wal");
    int segSize = 8 * PAGE_SIZE;
    try (Wal wal = Wal.open(dir, WalOptions.DEFAULT.withSegmentSize(segSize))) {
      for (int i = 0; i < 200; i++) {
        wal.log(record(i, 5000));
      }
    }
    for (SegmentRef s : Segments.list(dir)) {
      assertTrue(Files.size(s.path()) <= segSize, s + " is " + Files.size(s.path()));
    }
    assertEquals(200, readAll(dir).size());
  }

  @Test
  void reopenStartsANewSegmentAndKeepsOldRecords() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal wal = Wal.open(dir)) {
      assertEquals(0, wal.currentSegment());
      wal.log(record(1, 10), record(2, 20));
    }
    try (Wal wal = Wal.open(dir)) {
      assertEquals(1, wal.currentSegment());
      wal.log(record(3, 30));
      assertEquals(new SegmentRange(0, 1), wal.segments());
    }
    assertRecords(List.of(record(1, 10), record(2, 20), record(3, 30)), readAll(dir));
  }

  @Test
  void nextSegmentAndTruncate() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal wal = Wal.open(dir)) {
      for (int i = 0; i < 4; i++) {
        wal.log(record(i, 100));
        assertEquals(i + 1, wal.nextSegment());
      }
      wal.log(record(4, 100));
      assertEquals(new SegmentRange(0, 4), wal.segments());
      wal.truncate(3);
      assertEquals(new SegmentRange(3, 4), wal.segments());
      wal.truncate(100); // never deletes the segment being written
      assertEquals(new SegmentRange(4, 4), wal.segments());
      wal.log(record(5, 100));
    }
    assertRecords(List.of(record(4, 100), record(5, 100)), readAll(dir));
  }

  @Test
  void logFlushesToTheFileButAppendBuffers() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal wal = Wal.open(dir)) {
      Path seg = WalFormat.segmentPath(dir, 0);
      wal.append(record(1, 50), 0, 50);
      assertEquals(0, Files.size(seg));
      wal.flush();
      assertEquals(57, Files.size(seg));
      wal.log(record(2, 10));
      assertEquals(57 + 17, Files.size(seg));
      // A reader sees the flushed records while the writer is open (short last page is fine).
      assertRecords(List.of(record(1, 50), record(2, 10)), readAll(dir));
      wal.sync();
    }
  }

  @Test
  void byteBufferAndEncodeBufferVariants() throws IOException {
    Path dir = tmp.resolve("wal");
    byte[] a = record(1, 40_000);
    try (Wal wal = Wal.open(dir)) {
      ByteBuffer heap = ByteBuffer.wrap(new byte[a.length + 10], 5, a.length).slice();
      heap.put(a).flip();
      wal.log(heap);
      assertEquals(0, heap.position());
      ByteBuffer direct = ByteBuffer.allocateDirect(a.length + 3);
      direct.position(3);
      direct.put(a);
      direct.position(3);
      wal.log(direct);
      assertEquals(3, direct.position());
      EncodeBuffer rb = new EncodeBuffer();
      rb.putBytes(a, 0, a.length);
      wal.log(rb);
      wal.append(rb);
      wal.append(direct);
    }
    assertRecords(List.of(a, a, a, a, a), readAll(dir));
  }

  @Test
  void snappyCompressedRecordsRoundTrip() throws IOException {
    Path plain = tmp.resolve("plain");
    Path snappy = tmp.resolve("snappy");
    List<byte[]> written = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      written.add(i % 10 == 0 ? record(i, 200) : WalTestUtil.textRecord(i, 50 + i * 300));
    }
    try (Wal a = Wal.open(plain, WalOptions.DEFAULT.withSegmentSize(16 * PAGE_SIZE));
        Wal b = Wal.open(snappy, new WalOptions(16 * PAGE_SIZE, WalOptions.Compression.SNAPPY))) {
      for (byte[] r : written) {
        a.log(r);
        b.log(r);
      }
    }
    assertRecords(written, readAll(plain));
    assertRecords(written, readAll(snappy));
    assertTrue(dirSize(snappy) * 3 < dirSize(plain), "snappy should shrink repetitive records");
    // Record 0 (random bytes) is stored plain, record 1 (text) compressed with the snappy flag.
    byte[] seg0 = Files.readAllBytes(WalFormat.segmentPath(snappy, 0));
    assertEquals(WalFormat.TYPE_FULL, seg0[0]);
    assertEquals(WalFormat.SNAPPY_FLAG | WalFormat.TYPE_FULL, seg0[7 + 200]);
  }

  @Test
  void concurrentWritersNeverInterleaveRecords() throws Exception {
    Path dir = tmp.resolve("wal");
    int threads = 4;
    int perThread = 500;
    try (Wal wal = Wal.open(dir, WalOptions.DEFAULT.withSegmentSize(8 * PAGE_SIZE))) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int tid = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            wal.log(record(tid * 100_000L + i, 1 + (i * 37) % 3000));
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      pool.shutdown();
    }
    List<byte[]> got = readAll(dir);
    assertEquals(threads * perThread, got.size());
    int[] next = new int[threads];
    for (byte[] r : got) {
      boolean matched = false;
      for (int t = 0; t < threads && !matched; t++) {
        int i = next[t];
        if (i < perThread) {
          byte[] want = record(t * 100_000L + i, 1 + (i * 37) % 3000);
          if (java.util.Arrays.equals(want, r)) {
            next[t]++;
            matched = true;
          }
        }
      }
      assertTrue(matched, "record out of order or damaged");
    }
  }

  @Test
  void closedWalRejectsWrites() throws IOException {
    Wal wal = Wal.open(tmp.resolve("wal"));
    wal.close();
    wal.close(); // idempotent
    assertFalse(Files.size(WalFormat.segmentPath(tmp.resolve("wal"), 0)) > 0);
    org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> wal.log(new byte[1]));
  }

  static void assertRecords(List<byte[]> want, List<byte[]> got) {
    assertEquals(want.size(), got.size(), "record count");
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i), got.get(i), "record " + i);
    }
  }

  private static long dirSize(Path dir) throws IOException {
    long n = 0;
    for (SegmentRef s : Segments.list(dir)) {
      n += Files.size(s.path());
    }
    return n;
  }
}
