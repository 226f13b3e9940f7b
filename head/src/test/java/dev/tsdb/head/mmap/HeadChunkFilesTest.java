package dev.tsdb.head.mmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chunks_head/ segment format, byte by byte against head_chunks.md, and its repair rules. */
class HeadChunkFilesTest {
  @TempDir
  Path dir;

  /** What the visitor saw at open. */
  record Seen(long seriesRef, long chunkRef, long mint, long maxt, byte encoding, int numSamples,
      int dataLen) {}

  private static List<Seen> open(Path dir, List<HeadChunkFiles> keep) throws IOException {
    List<Seen> seen = new ArrayList<>();
    keep.add(HeadChunkFiles.open(dir, (s, r, mint, maxt, e, n, len) ->
        seen.add(new Seen(s, r, mint, maxt, e, n, len))));
    return seen;
  }

  /** Chunk data: a uint16 BE sample count, then filler. */
  private static byte[] data(int numSamples, int len, int seed) {
    byte[] d = new byte[len];
    d[0] = (byte) (numSamples >>> 8);
    d[1] = (byte) numSamples;
    for (int i = 2; i < len; i++) {
      d[i] = (byte) (seed * 31 + i);
    }
    return d;
  }

  @Test
  void segmentAndRecordBytesFollowTheSpec() throws Exception {
    byte[] d = data(120, 200, 1); // 200 needs a two-byte uvarint
    long ref;
    try (HeadChunkFiles f = HeadChunkFiles.open(dir, (s, r, a, b, e, n, l) -> { })) {
      ref = f.write(7, 1000, 2000, (byte) 1, d, 0, d.length);
    }
    assertEquals(HeadChunkFormat.ref(1, 8), ref, "segment 1, right after the 8-byte header");
    Path seg = dir.resolve("000001");
    byte[] file = Files.readAllBytes(seg);
    int recordLen = 8 + 8 + 8 + 1 + 2 + d.length + 4;
    assertEquals(8 + recordLen, file.length, "cut to its content when finished");
    ByteBuffer b = ByteBuffer.wrap(file); // big endian
    assertEquals(0x0130BC91, b.getInt(0));
    assertEquals(1, file[4]);
    assertArrayEquals(new byte[3], new byte[] {file[5], file[6], file[7]});
    assertEquals(7, b.getLong(8));
    assertEquals(1000, b.getLong(16));
    assertEquals(2000, b.getLong(24));
    assertEquals(1, file[32]);
    assertEquals((byte) (0x80 | (200 & 0x7f)), file[33]);
    assertEquals((byte) (200 >>> 7), file[34]);
    byte[] onDisk = new byte[d.length];
    b.get(35, onDisk);
    assertArrayEquals(d, onDisk);
    CRC32C crc = new CRC32C();
    crc.update(file, 8, 8 + 8 + 8 + 1 + 2 + d.length);
    assertEquals((int) crc.getValue(), b.getInt(35 + d.length));
  }

  @Test
  void writtenChunksReadBackThroughTheMappingAndAtOpen() throws Exception {
    List<long[]> refs = new ArrayList<>();
    try (HeadChunkFiles f = HeadChunkFiles.open(dir, (s, r, a, b, e, n, l) -> { })) {
      for (int i = 0; i < 50; i++) {
        byte[] d = data(i + 1, 10 + i, i);
        long ref = f.write(i % 5 + 1, i * 10L, i * 10L + 9, (byte) (1 + i % 3), d, 0, d.length);
        refs.add(new long[] {ref, d.length});
        ByteBuffer m = f.buffer(ref);
        byte[] back = new byte[d.length];
        m.get(HeadChunkFiles.dataOffset(ref, d.length), back);
        assertArrayEquals(d, back, "readable as soon as written");
      }
    }
    List<HeadChunkFiles> keep = new ArrayList<>();
    List<Seen> seen = open(dir, keep);
    try (HeadChunkFiles f = keep.get(0)) {
      assertNull(f.repair());
      assertEquals(50, seen.size());
      for (int i = 0; i < 50; i++) {
        Seen s = seen.get(i);
        assertEquals(new Seen(i % 5 + 1, refs.get(i)[0], i * 10L, i * 10L + 9,
            (byte) (1 + i % 3), i + 1, 10 + i), s);
        byte[] back = new byte[s.dataLen()];
        f.buffer(s.chunkRef()).get(HeadChunkFiles.dataOffset(s.chunkRef(), s.dataLen()), back);
        assertArrayEquals(data(i + 1, 10 + i, i), back);
      }
      // New chunks go to a new segment after the loaded one.
      byte[] d = data(1, 4, 0);
      assertEquals(2, HeadChunkFormat.segment(f.write(1, 1000, 1000, (byte) 1, d, 0, 4)));
    }
  }

  @Test
  void tornTailIsCutAtTheLastWholeRecordAndLaterSegmentsGo() throws Exception {
    long[] ends = new long[3];
    try (HeadChunkFiles f = HeadChunkFiles.open(dir, (s, r, a, b, e, n, l) -> { })) {
      for (int i = 0; i < 3; i++) {
        byte[] d = data(1, 100, i);
        f.write(1, i, i, (byte) 1, d, 0, d.length);
      }
    }
    // A second segment after a reopen.
    try (HeadChunkFiles f = HeadChunkFiles.open(dir, (s, r, a, b, e, n, l) -> { })) {
      byte[] d = data(1, 100, 9);
      f.write(1, 10, 10, (byte) 1, d, 0, d.length);
    }
    assertTrue(Files.exists(dir.resolve("000002")));
    Path first = dir.resolve("000001");
    long size = Files.size(first);
    try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
      ch.truncate(size - 10); // the third record loses its CRC and some data
    }
    List<HeadChunkFiles> keep = new ArrayList<>();
    List<Seen> seen = open(dir, keep);
    try (HeadChunkFiles f = keep.get(0)) {
      assertNotNull(f.repair());
      assertEquals(2, seen.size(), "the two whole records");
      int recordLen = HeadChunkFormat.recordSize(100);
      assertEquals(8 + 2L * recordLen, Files.size(first));
      assertFalse(Files.exists(dir.resolve("000002")), "segments after the damage are deleted");
      byte[] d = data(1, 4, 0);
      assertEquals(2, HeadChunkFormat.segment(f.write(1, 20, 20, (byte) 1, d, 0, 4)),
          "no gap in the sequence");
    }
  }

  @Test
  void badCrcCutsFromThatRecord() throws Exception {
    try (HeadChunkFiles f = HeadChunkFiles.open(dir, (s, r, a, b, e, n, l) -> { })) {
      for (int i = 0; i < 4; i++) {
        byte[] d = data(1, 50, i);
        f.write(1, i, i, (byte) 1, d, 0, d.length);
      }
    }
    Path first = dir.resolve("000001");
    byte[] file = Files.readAllBytes(first);
    file[8 + HeadChunkFormat.recordSize(50) + 40] ^= 1; // in the second record's data
    Files.write(first, file);
    List<HeadChunkFiles> keep = new ArrayList<>();
    List<Seen> seen = open(dir, keep);
    try (HeadChunkFiles f = keep.get(0)) {
      assertTrue(f.repair().contains("CRC"), f.repair());
      assertEquals(1, seen.size());
      assertEquals(8 + HeadChunkFormat.recordSize(50), Files.size(first));
    }
  }

  @Test
  void zeroedTailOfACrashedSegmentEndsItQuietly() throws Exception {
    HeadChunkFiles f = HeadChunkFiles.open(dir, (s, r, a, b, e, n, l) -> { });
    byte[] d = data(1, 30, 0);
    f.write(1, 5, 6, (byte) 1, d, 0, d.length);
    // No close: the segment stays at its mapped size, zeros after the record, as after SIGKILL.
    assertEquals(HeadChunkSegment.FIRST_MAPPING, Files.size(dir.resolve("000001")));
    List<HeadChunkFiles> keep = new ArrayList<>();
    List<Seen> seen = open(dir, keep);
    try (HeadChunkFiles g = keep.get(0)) {
      assertNull(g.repair());
      assertEquals(1, seen.size());
      assertEquals(8 + HeadChunkFormat.recordSize(30), Files.size(dir.resolve("000001")));
    }
  }

  @Test
  void visitorRejectingAChunkCutsThere() throws Exception {
    try (HeadChunkFiles f = HeadChunkFiles.open(dir, (s, r, a, b, e, n, l) -> { })) {
      for (int i = 0; i < 3; i++) {
        byte[] d = data(1, 20, i);
        f.write(1, i, i, (byte) 1, d, 0, d.length);
      }
    }
    int[] n = {0};
    try (HeadChunkFiles f = HeadChunkFiles.open(dir, (s, r, a, b, e, k, l) -> {
      if (++n[0] == 2) {
        throw new CorruptChunkException("out of order");
      }
    })) {
      assertTrue(f.repair().contains("out of order"), f.repair());
    }
    assertEquals(8 + HeadChunkFormat.recordSize(20), Files.size(dir.resolve("000001")));
  }

  @Test
  void truncationDeletesOnlyAnOldPrefixAndRemembersItsFloor() throws Exception {
    try (HeadChunkFiles f = HeadChunkFiles.open(dir, (s, r, a, b, e, n, l) -> { })) {
      byte[] d = data(1, 20, 0);
      f.write(1, 0, 100, (byte) 1, d, 0, d.length);
    }
    try (HeadChunkFiles f = HeadChunkFiles.open(dir, (s, r, a, b, e, n, l) -> { })) {
      byte[] d = data(1, 20, 0);
      f.write(1, 101, 500, (byte) 1, d, 0, d.length); // segment 2
    }
    try (HeadChunkFiles f = HeadChunkFiles.open(dir, (s, r, a, b, e, n, l) -> { })) {
      byte[] d = data(1, 20, 0);
      long r3 = f.write(2, 0, 50, (byte) 1, d, 0, d.length); // segment 3, old data
      assertEquals(3, HeadChunkFormat.segment(r3));
      assertEquals(1, f.truncateBefore(200), "segment 1 only: 2 is newer, 3 is being written");
      assertFalse(Files.exists(dir.resolve("000001")));
      assertNotNull(f.buffer(HeadChunkFormat.ref(1, 8)), "readable until the next truncation");
      assertEquals(1, f.truncateBefore(600)); // segment 2; 3 is cut on the next write
      assertNull(f.buffer(HeadChunkFormat.ref(1, 8)));
      long r4 = f.write(2, 600, 700, (byte) 1, d, 0, d.length);
      assertEquals(4, HeadChunkFormat.segment(r4));
    }
    List<HeadChunkFiles> keep = new ArrayList<>();
    List<Seen> seen = open(dir, keep);
    try (HeadChunkFiles f = keep.get(0)) {
      assertEquals(600, f.floor());
      assertEquals(1, seen.size(), "segment 3's old chunk is below the floor: " + seen);
      assertEquals(700, seen.get(0).maxt());
    }
  }

  @Test
  void theSegmentBeingWrittenGrowsByDoublingAndStaysReadable() throws Exception {
    List<Long> refs = new ArrayList<>();
    try (HeadChunkFiles f = HeadChunkFiles.open(dir, (s, r, a, b, e, n, l) -> { })) {
      for (int i = 0; i < 3000; i++) { // ~3 MiB: mapped at 1, 2 and 4 MiB
        byte[] d = data(i % 200 + 1, 1000, i);
        refs.add(f.write(1, i, i, (byte) 1, d, 0, d.length));
        if (i == 2999) {
          assertEquals(4 << 20, Files.size(dir.resolve("000001")), "within twice the content");
        }
      }
      for (int i = 0; i < 3000; i += 97) {
        byte[] back = new byte[1000];
        f.buffer(refs.get(i)).get(HeadChunkFiles.dataOffset(refs.get(i), 1000), back);
        assertArrayEquals(data(i % 200 + 1, 1000, i), back);
      }
    }
    assertEquals(8 + 3000L * HeadChunkFormat.recordSize(1000), Files.size(dir.resolve("000001")));
  }

  @Test
  void closedFilesRefuseWrites() throws Exception {
    HeadChunkFiles f = HeadChunkFiles.open(dir, (s, r, a, b, e, n, l) -> { });
    f.close();
    assertThrows(IOException.class, () -> f.write(1, 0, 0, (byte) 1, new byte[2], 0, 2));
    assertFalse(Files.exists(dir.resolve("000001")));
  }
}
