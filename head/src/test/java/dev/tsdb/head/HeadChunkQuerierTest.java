package dev.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.head.chunkenc.XorIterator;
import dev.tsdb.head.HeadTestUtil.Sample;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkSeriesSet;
import dev.tsdb.index.storage.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadChunkQuerierTest {
  static final long HOUR = 3_600_000L;

  private static Map<Labels, List<Sample>> readChunks(Head h, long mint, long maxt, int[] shared) {
    Map<Labels, List<Sample>> out = new LinkedHashMap<>();
    try (ChunkQuerier q = h.chunkQuerier(mint, maxt)) {
      ChunkSeriesSet set = q.select(true, null, Matcher.re("__name__", ".+"));
      XorIterator it = new XorIterator();
      while (set.next()) {
        List<Sample> samples = new ArrayList<>();
        long prevMax = Long.MIN_VALUE;
        for (ChunkMeta c : set.at().chunks()) {
          assertTrue(c.minTime() > prevMax, "chunks do not overlap");
          assertTrue(c.minTime() >= mint && c.maxTime() <= maxt, "chunks stay in range");
          prevMax = c.maxTime();
          if (c.data().hasArray() && c.data().arrayOffset() == SealedChunk.PREFIX) {
            shared[0]++; // a sealed head chunk, not re-encoded
          }
          it.reset(c.data(), c.data().position(), c.data().remaining());
          int n = 0;
          while (it.next() == ValueType.FLOAT) {
            samples.add(new Sample(it.t(), it.v()));
            n++;
          }
          assertEquals(c.numSamples(), n);
          assertEquals(c.maxTime(), samples.get(samples.size() - 1).t());
        }
        out.put(set.at().labels(), samples);
      }
    }
    return out;
  }

  @Test
  void chunkViewEqualsSampleViewAndSharesSealedChunks() throws Exception {
    Head h = new Head(new HeadOptions().clock(() -> Long.MAX_VALUE / 2)
        .chunkRangeMs(2 * HOUR).outOfOrderTimeWindowMs(HOUR));
    Random r = new Random(3);
    Appender app = h.appender();
    for (long t = 0; t < 5 * HOUR; t += 15_000) {
      for (int i = 0; i < 30; i++) {
        app.append(0, Labels.of("__name__", "m", "i", "" + i), t + i, r.nextInt(100));
      }
      app.commit();
    }
    // Out-of-order samples for series 1, a deletion for series 2.
    for (int k = 0; k < 40; k++) {
      app.append(0, Labels.of("__name__", "m", "i", "1"), 4 * HOUR + k * 15_000 + 7, -k);
    }
    app.commit();
    h.delete(HOUR, 3 * HOUR, Matcher.eq("i", "2"));
    long[][] ranges = {{0, 2 * HOUR - 1}, {2 * HOUR, 4 * HOUR - 1}, {HOUR + 7, 3 * HOUR + 11},
        {Long.MIN_VALUE, Long.MAX_VALUE}, {4 * HOUR + 5, 4 * HOUR + 6}};
    for (long[] rg : ranges) {
      int[] shared = {0};
      Map<Labels, List<Sample>> want = HeadTestUtil.read(h, rg[0], rg[1],
          Matcher.re("__name__", ".+"));
      want.values().removeIf(List::isEmpty); // the chunk view has no empty series
      assertEquals(want, readChunks(h, rg[0], rg[1], shared), rg[0] + ".." + rg[1]);
      if (rg[0] == 0) {
        assertTrue(shared[0] >= 25, "block-aligned sealed chunks are not re-encoded: " + shared[0]);
      }
    }
  }
}
