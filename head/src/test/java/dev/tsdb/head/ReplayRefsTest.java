package dev.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tsdb.index.labels.Labels;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReplayRefsTest {
  /** The array state and the series-field state (refs beyond the arrays) decide alike. */
  @Test
  void arraysAndFieldsSkipTheSameSamples() {
    Random rnd = new Random(7);
    for (int round = 0; round < 200; round++) {
      long mm = rnd.nextInt(50);
      MemSeries tracked = new MemSeries(5, Labels.of("a", "1"));
      MemSeries untracked = new MemSeries(ReplayRefs.LIMIT + 5, Labels.of("a", "1"));
      tracked.mmMaxT = mm;
      untracked.mmMaxT = mm;
      ReplayRefs refs = new ReplayRefs();
      assertEquals(5, refs.remember(5, tracked));
      assertEquals(-1, refs.remember(ReplayRefs.LIMIT + 5, untracked));
      ReplayRefs fields = new ReplayRefs();
      long t = 0;
      for (int i = 0; i < 40; i++) {
        // mostly in order, some duplicates and some older samples
        int k = rnd.nextInt(10);
        long at = k < 6 ? (t += 1 + rnd.nextInt(5)) : k < 8 ? t : Math.max(0, t - rnd.nextInt(20));
        assertEquals(fields.inMappedChunks(untracked, at), refs.inMappedChunks(5, at),
            "round " + round + " sample " + i + " at " + at);
      }
      assertEquals(fields.inMapped(), refs.inMapped());
    }
  }

  @Test
  void refsMapToTheirSeriesAndChunksAttachedLaterCount() {
    ReplayRefs refs = new ReplayRefs();
    MemSeries s = new MemSeries(3000, Labels.of("a", "1"));
    assertEquals(0, refs.id(3000));
    refs.remember(3000, s);
    refs.remember(70000, s); // a second series record for the same labels
    assertEquals(3000, refs.id(3000));
    assertEquals(3000, refs.id(70000));
    assertSame(s, refs.series(3000));
    assertEquals(false, refs.inMappedChunks(3000, 10)); // no loaded chunks: applied
    s.mmMaxT = 100;
    refs.attached(s);
    assertEquals(true, refs.inMappedChunks(3000, 20));
    assertEquals(false, refs.inMappedChunks(3000, 101));
    assertEquals(1, refs.inMapped());
    assertEquals(0, refs.id(-1));
    assertEquals(0, refs.id(1L << 40));
    assertNull(refs.series(1));
  }
}
