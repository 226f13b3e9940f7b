package dev.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.index.labels.Labels;
import org.junit.jupiter.api.Test;

class MappedChunkLoaderTest {
  /** Small refs (kept in an array) and large ones (in a map) are handed out alike, once. */
  @Test
  void attachesChunksOfSmallAndLargeRefsOnce() throws Exception {
    MappedChunkLoader l = new MappedChunkLoader();
    long[] refs = {1, 5000, ReplayRefs.LIMIT, (long) Integer.MAX_VALUE + 3};
    for (long ref : refs) {
      l.chunk(ref, 8, 10, 20, ChunkEncoding.XOR, 3, 40);
      l.chunk(ref, 64, 30, 40, ChunkEncoding.XOR, 2, 30);
    }
    assertEquals(8, l.chunks());
    Head h = new Head();
    try {
      for (long ref : refs) {
        MemSeries s = new MemSeries(7, Labels.of("r", Long.toString(ref)));
        assertTrue(l.attach(ref, s, h), "ref " + ref);
        assertEquals(2, s.nSealed);
        assertEquals(40, s.maxT);
        assertEquals(40, s.mmMaxT);
        assertFalse(l.attach(ref, new MemSeries(8, Labels.of("a", "b")), h), "twice: " + ref);
      }
      assertFalse(l.attach(77, new MemSeries(9, Labels.of("a", "c")), h));
      assertEquals(8, l.attached());
    } finally {
      h.close();
    }
  }
}
