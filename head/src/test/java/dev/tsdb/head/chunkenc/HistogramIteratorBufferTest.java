package dev.tsdb.head.chunkenc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.head.chunkenc.HistogramChunkTest.Chunk;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.storage.ValueType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The histogram chunk iterators decode chunks held in a ByteBuffer (heap or direct, either byte
 * order, a memory-mapped file) at an offset among other bytes exactly as from a byte[].
 */
class HistogramIteratorBufferTest {
  private static final int GAP = 13; // garbage between chunks, so no chunk starts aligned

  @TempDir Path tmp;

  @Test
  void integerChunksDecodeFromBuffersAsFromArrays() throws IOException {
    List<Chunk> chunks = new ArrayList<>();
    for (long seed = 0; seed < 60; seed++) {
      RandomHistograms gen = new RandomHistograms(seed, seed % 4 == 3, seed % 3 == 0);
      List<Histogram> hs = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        hs.add(gen.next());
      }
      chunks.addAll(HistogramChunkTest.encodeInts(HistogramChunkTest.timestamps(60, seed), hs));
    }
    for (ByteBuffer buf : buffers(chunks)) {
      int off = GAP;
      Histogram reuse = new Histogram();
      HistogramIterator it = new HistogramIterator(); // reused across chunks, as a block reader would
      for (Chunk c : chunks) {
        it.reset(buf, off, c.bytes().length);
        assertEquals(c.ts().size(), it.numSamples());
        HistogramIterator want = new HistogramIterator().reset(c.bytes(), 0, c.bytes().length);
        assertEquals(want.counterResetHeader(), it.counterResetHeader());
        for (int i = 0; i < c.ts().size(); i++) {
          assertEquals(ValueType.HISTOGRAM, it.next(), buf + " chunk at " + off);
          assertEquals((long) c.ts().get(i), it.t());
          assertEquals(c.meanings().get(i), HistogramChunkTest.meaning(it.atHistogram(reuse)));
        }
        assertEquals(ValueType.NONE, it.next());
        assertNull(it.error());
        off += c.bytes().length + GAP;
      }
    }
  }

  @Test
  void floatChunksDecodeFromBuffersAsFromArrays() throws IOException {
    List<Chunk> chunks = new ArrayList<>();
    for (long seed = 0; seed < 60; seed++) {
      RandomHistograms gen = new RandomHistograms(seed, seed % 4 == 3, seed % 3 == 0);
      List<FloatHistogram> hs = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        hs.add(gen.nextFloat());
      }
      chunks.addAll(HistogramChunkTest.encodeFloats(HistogramChunkTest.timestamps(60, seed), hs));
    }
    for (ByteBuffer buf : buffers(chunks)) {
      int off = GAP;
      FloatHistogram reuse = new FloatHistogram();
      FloatHistogramIterator it = new FloatHistogramIterator();
      for (Chunk c : chunks) {
        it.reset(buf, off, c.bytes().length);
        assertEquals(c.ts().size(), it.numSamples());
        FloatHistogramIterator want =
            new FloatHistogramIterator().reset(c.bytes(), 0, c.bytes().length);
        assertEquals(want.counterResetHeader(), it.counterResetHeader());
        for (int i = 0; i < c.ts().size(); i++) {
          assertEquals(ValueType.FLOAT_HISTOGRAM, it.next(), buf + " chunk at " + off);
          assertEquals((long) c.ts().get(i), it.t());
          assertEquals(c.meanings().get(i),
              HistogramChunkTest.meaning(it.atFloatHistogram(reuse)));
        }
        assertEquals(ValueType.NONE, it.next());
        assertNull(it.error());
        off += c.bytes().length + GAP;
      }
    }
  }

  @Test
  void seekWorksOnABuffer() {
    HistogramAppender a = new HistogramAppender();
    for (int i = 0; i < 20; i++) {
      a.appendExact(i * 1000L, HistogramChunkTest.hist(new int[] {0, 2}, 3 + i, 1));
    }
    ByteBuffer buf = ByteBuffer.allocateDirect(a.byteLength() + 5);
    buf.position(5);
    buf.put(a.toBytes());
    buf.position(0); // ignored: indices are absolute
    HistogramIterator it = new HistogramIterator().reset(buf, 5, a.byteLength());
    assertEquals(ValueType.HISTOGRAM, it.seek(7_500));
    assertEquals(8_000, it.t());
    assertEquals(ValueType.HISTOGRAM, it.seek(0)); // never backwards
    assertEquals(8_000, it.t());
    assertEquals(ValueType.NONE, it.seek(19_001));
    assertNull(it.error());
  }

  @Test
  void shortAndTruncatedBuffersReportErrors() {
    HistogramAppender a = new HistogramAppender();
    FloatHistogramAppender f = new FloatHistogramAppender();
    for (int i = 0; i < 5; i++) {
      Histogram h = HistogramChunkTest.hist(new int[] {0, 2}, 3 + i, 1);
      a.appendExact(i * 1000L, h);
      f.append(i * 1000L, FloatHistogram.of(h, null), null);
    }
    ByteBuffer ints = ByteBuffer.wrap(a.toBytes());
    HistogramIterator it = new HistogramIterator().reset(ints, 0, 2);
    assertEquals(ValueType.NONE, it.next());
    assertNotNull(it.error());
    it.reset(ints, 0, ints.capacity() - 3);
    int n = 0;
    while (it.next() == ValueType.HISTOGRAM) {
      n++;
    }
    assertTrue(n < 5);
    assertNotNull(it.error());
    // A reset after an error starts clean.
    it.reset(ints, 0, ints.capacity());
    n = 0;
    while (it.next() == ValueType.HISTOGRAM) {
      n++;
    }
    assertEquals(5, n);
    assertNull(it.error());

    ByteBuffer floats = ByteBuffer.wrap(f.toBytes());
    FloatHistogramIterator fit = new FloatHistogramIterator().reset(floats, 0, 1);
    assertEquals(ValueType.NONE, fit.next());
    assertNotNull(fit.error());
    fit.reset(floats, 0, floats.capacity() - 3);
    n = 0;
    while (fit.next() == ValueType.FLOAT_HISTOGRAM) {
      n++;
    }
    assertTrue(n < 5);
    assertNotNull(fit.error());
  }

  /**
   * The chunks laid out one after another with garbage before, between and after them, in a heap
   * buffer, a little-endian direct buffer and a memory-mapped file.
   */
  private List<ByteBuffer> buffers(List<Chunk> chunks) throws IOException {
    int size = GAP;
    for (Chunk c : chunks) {
      size += c.bytes().length + GAP;
    }
    byte[] all = new byte[size + 7];
    Arrays.fill(all, (byte) 0xA5);
    int off = GAP;
    for (Chunk c : chunks) {
      System.arraycopy(c.bytes(), 0, all, off, c.bytes().length);
      off += c.bytes().length + GAP;
    }
    ByteBuffer direct = ByteBuffer.allocateDirect(all.length).order(ByteOrder.LITTLE_ENDIAN);
    direct.put(all).flip();
    Path file = tmp.resolve("segment");
    Files.write(file, all);
    MappedByteBuffer mapped;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, all.length);
    }
    return List.of(ByteBuffer.wrap(all), direct, mapped);
  }
}
