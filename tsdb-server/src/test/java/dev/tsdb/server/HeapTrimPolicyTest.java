package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeapTrimPolicyTest {
  private static final long MIB = 1 << 20;

  @Test
  void trimsOnceWhenABurstEndsWithAnOversizedHeap() {
    HeapTrimPolicy p = new HeapTrimPolicy();
    long t = 1_000_000;
    // During the burst: collections every tick, never a trim.
    for (int gc = 1; gc <= 20; gc++, t += 250) {
      assertFalse(p.shouldTrim(gc, 300 * MIB, 668 * MIB, 150 * MIB, t));
    }
    // Quiet, but not for a second yet.
    assertFalse(p.shouldTrim(20, 300 * MIB, 668 * MIB, 150 * MIB, t + 500));
    assertTrue(p.shouldTrim(20, 300 * MIB, 668 * MIB, 150 * MIB, t + 1000));
    // Not again right after, even if the heap stayed large.
    assertFalse(p.shouldTrim(20, 300 * MIB, 668 * MIB, 150 * MIB, t + 1250));
    assertFalse(p.shouldTrim(21, 300 * MIB, 668 * MIB, 150 * MIB, t + 5000));
    assertFalse(p.shouldTrim(21, 300 * MIB, 668 * MIB, 150 * MIB, t + 10_000));
    // Another burst much later: trimmed again.
    assertTrue(p.shouldTrim(21, 300 * MIB, 668 * MIB, 150 * MIB, t + 20_000));
  }

  @Test
  void aBurstWithRareCollectionsIsNotQuiet() {
    HeapTrimPolicy p = new HeapTrimPolicy();
    long used = 100 * MIB;
    // A collection every 2 s, 20 MiB allocated per tick in between: never a trim.
    for (int tick = 0; tick < 200; tick++) {
      int gc = tick / 8;
      used = tick % 8 == 0 ? 100 * MIB : used + 20 * MIB;
      assertFalse(p.shouldTrim(gc, used, 1024 * MIB, 100 * MIB, tick * 250L));
    }
  }

  @Test
  void leavesAHeapSizedToItsDataAlone() {
    HeapTrimPolicy p = new HeapTrimPolicy();
    p.shouldTrim(5, 100 * MIB, 140 * MIB, 100 * MIB, 0);
    // 1.4x what survives, as MaxHeapFreeRatio=30 leaves it: no collection.
    assertFalse(p.shouldTrim(5, 100 * MIB, 140 * MIB, 100 * MIB, 60_000));
    // Twice, but less than 64 MiB of excess (a small server): no collection either.
    assertFalse(p.shouldTrim(5, 30 * MIB, 80 * MIB, 30 * MIB, 120_000));
  }

  @Test
  void comparesWithTheHeapSizedByThePreviousTrim() {
    HeapTrimPolicy p = new HeapTrimPolicy();
    p.shouldTrim(1, 400 * MIB, 1200 * MIB, 300 * MIB, 0);
    assertTrue(p.shouldTrim(1, 400 * MIB, 1200 * MIB, 300 * MIB, 1000));
    // The trim's collection: 140 MiB committed for 100 MiB live.
    assertFalse(p.shouldTrim(2, 100 * MIB, 140 * MIB, 100 * MIB, 1250));
    // A second burst leaves 450 MiB committed and 300 MiB in the old generation, mostly dead:
    // against the 140 MiB the last trim left, that is oversized.
    assertFalse(p.shouldTrim(40, 320 * MIB, 450 * MIB, 300 * MIB, 30_000));
    assertTrue(p.shouldTrim(40, 320 * MIB, 450 * MIB, 300 * MIB, 31_000));
  }

  @Test
  void needsAQuietSecond() {
    HeapTrimPolicy p = new HeapTrimPolicy();
    long t = 0;
    for (int gc = 0; gc < 100; gc++, t += 900) {
      assertFalse(p.shouldTrim(gc, 100 * MIB, 1024 * MIB, 100 * MIB, t));
    }
  }
}
