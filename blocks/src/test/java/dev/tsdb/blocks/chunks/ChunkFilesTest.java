package dev.tsdb.blocks.chunks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkFilesTest {
  @TempDir
  Path dir;

  private List<byte[]> chunks(int n, long seed) {
    Random rnd = new Random(seed);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[i == 3 ? 0 : rnd.nextInt(i == 7 ? 3000 : 300)];
      rnd.nextBytes(b);
      out.add(b);
    }
    return out;
  }

  @Test
  void writesSegmentsAndReadsBackWithoutCopy() throws IOException {
    List<byte[]> data = chunks(200, 1);
    List<Long> refs = new ArrayList<>();
    try (ChunkWriter w = new ChunkWriter(dir, 4096)) {
      for (int i = 0; i < data.size(); i++) {
        refs.add(w.write((byte) (1 + i % 3), data.get(i), 0, data.get(i).length));
      }
      assertTrue(w.segments() > 3, "expected several segments, got " + w.segments());
    }
    assertTrue(Files.exists(dir.resolve("000001")));
    assertEquals(8, ChunkSegments.offset(refs.get(0)));
    assertEquals(0, ChunkSegments.segmentIndex(refs.get(0)));
    try (ChunkReader r = ChunkReader.open(dir, true)) {
      r.verifyAll();
      ChunkReader.ChunkView v = new ChunkReader.ChunkView();
      for (int i = 0; i < data.size(); i++) {
        r.read(refs.get(i), v);
        assertEquals((byte) (1 + i % 3), v.encoding());
        ByteBuffer d = v.data();
        assertTrue(d.isDirect(), "slice of the mapping");
        byte[] got = new byte[d.remaining()];
        d.get(got);
        assertArrayEquals(data.get(i), got, "chunk " + i);
        long seg = Files.size(ChunkSegments.segmentFile(dir, ChunkSegments.segmentIndex(refs.get(i)) + 1));
        assertTrue(seg <= 4096 || data.get(i).length > 4000);
      }
    }
  }

  @Test
  void detectsCorruption() throws IOException {
    List<byte[]> data = chunks(20, 2);
    List<Long> refs = new ArrayList<>();
    try (ChunkWriter w = new ChunkWriter(dir)) {
      for (byte[] b : data) {
        refs.add(w.write((byte) 1, b, 0, b.length));
      }
    }
    Path seg = dir.resolve("000001");
    byte[] good = Files.readAllBytes(seg);

    int victim = 5;
    try (RandomAccessFile raf = new RandomAccessFile(seg.toFile(), "rw")) {
      long pos = ChunkSegments.offset(refs.get(victim)) + 4;
      raf.seek(pos);
      int b = raf.read();
      raf.seek(pos);
      raf.write(b ^ 1);
    }
    try (ChunkReader r = ChunkReader.open(dir, true)) {
      r.read(refs.get(victim - 1), new ChunkReader.ChunkView());
      assertThrows(CorruptChunkException.class,
          () -> r.read(refs.get(victim), new ChunkReader.ChunkView()));
      assertThrows(CorruptChunkException.class, r::verifyAll);
    }
    try (ChunkReader r = ChunkReader.open(dir, false)) {
      r.read(refs.get(victim), new ChunkReader.ChunkView()); // not checked on read
      assertThrows(CorruptChunkException.class, r::verifyAll);
    }

    Files.write(seg, java.util.Arrays.copyOf(good, good.length - 3));
    try (ChunkReader r = ChunkReader.open(dir, true)) {
      assertThrows(CorruptChunkException.class,
          () -> r.read(refs.get(refs.size() - 1), new ChunkReader.ChunkView()));
      assertThrows(CorruptChunkException.class, r::verifyAll);
    }
    Files.write(seg, java.util.Arrays.copyOf(good, 6));
    assertThrows(CorruptChunkException.class, () -> ChunkReader.open(dir, true));
    good[0] ^= 1;
    Files.write(seg, good);
    assertThrows(CorruptChunkException.class, () -> ChunkReader.open(dir, true));
  }
}
