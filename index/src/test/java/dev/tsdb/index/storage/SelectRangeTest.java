package dev.tsdb.index.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SelectRangeTest {
  @Test
  void withoutHintsTheQueriersRange() {
    assertEquals(new SelectRange(10, 20), SelectRange.of(10, 20, null));
    SelectHints noTimes = new SelectHints(0, 0, 15_000, 0, "rate", List.of(), false);
    assertEquals(new SelectRange(10, 20), SelectRange.of(10, 20, noTimes));
  }

  @Test
  void hintsNarrowButNeverWiden() {
    assertEquals(new SelectRange(12, 18), SelectRange.of(10, 20, SelectHints.range(12, 18)));
    assertEquals(new SelectRange(10, 20), SelectRange.of(10, 20, SelectHints.range(0, 100)));
    assertEquals(new SelectRange(15, 20), SelectRange.of(10, 20, SelectHints.range(15, 100)));
    assertEquals(new SelectRange(20, 20), SelectRange.of(10, 20, SelectHints.range(20, 30)));
  }

  @Test
  void disjointOrInvertedHintsSelectNothing() {
    assertTrue(SelectRange.of(10, 20, SelectHints.range(21, 30)).isEmpty());
    assertTrue(SelectRange.of(10, 20, SelectHints.range(18, 12)).isEmpty());
    assertFalse(SelectRange.of(10, 20, SelectHints.range(12, 12)).isEmpty());
    // A range ending at 0 is a real range, not "no hints".
    assertTrue(SelectRange.of(10, 20, SelectHints.range(-5, 0)).isEmpty());
  }
}
