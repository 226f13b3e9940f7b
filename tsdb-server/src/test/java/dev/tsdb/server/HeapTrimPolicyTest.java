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
      assertFalse(p.shouldTrim(gc, 668 * MIB, 150 * MIB, t));
    }
    // Quiet, but not for a second yet.
    assertFalse(p.shouldTrim(20, 668 * MIB, 150 * MIB, t + 500));
    assertTrue(p.shouldTrim(20, 668 * MIB, 150 * MIB, t + 1000));
    // Not again right after, even if the heap stayed large.
    assertFalse(p.shouldTrim(20, 668 * MIB, 150 * MIB, t + 1250));
    assertFalse(p.shouldTrim(21, 668 * MIB, 150 * MIB, t + 5000));
    assertFalse(p.shouldTrim(21, 668 * MIB, 150 * MIB, t + 10_000));
    // Another burst much later: trimmed again.
    assertTrue(p.shouldTrim(21, 668 * MIB, 150 * MIB, t + 20_000));
  }

  @Test
  void leavesAHeapSizedToItsDataAlone() {
    HeapTrimPolicy p = new HeapTrimPolicy();
    p.shouldTrim(5, 140 * MIB, 100 * MIB, 0);
    // 1.4x what survives, as MaxHeapFreeRatio=30 leaves it: no collection.
    assertFalse(p.shouldTrim(5, 140 * MIB, 100 * MIB, 60_000));
    // Twice, but less than 64 MiB of excess (a small server): no collection either.
    assertFalse(p.shouldTrim(5, 80 * MIB, 30 * MIB, 120_000));
  }

  @Test
  void needsAQuietSecond() {
    HeapTrimPolicy p = new HeapTrimPolicy();
    long t = 0;
    for (int gc = 0; gc < 100; gc++, t += 900) {
      assertFalse(p.shouldTrim(gc, 1024 * MIB, 100 * MIB, t));
    }
  }
}
