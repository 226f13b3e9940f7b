package dev.tsdb.index.histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BucketBoundsTest {
  @Test
  void nonPositiveSchemasArePowersOfTwo() {
    assertEquals(1.0, BucketBounds.exponentialUpper(0, 0));
    assertEquals(2.0, BucketBounds.exponentialUpper(1, 0));
    assertEquals(0.5, BucketBounds.exponentialUpper(-1, 0));
    assertEquals(65536.0, BucketBounds.exponentialUpper(1, -4));
    assertEquals(0x1p-32, BucketBounds.exponentialUpper(-2, -4));
    assertEquals(0.0, BucketBounds.exponentialUpper(-100, -4));
  }

  @Test
  void positiveSchemasUsePrometheusFractions() {
    assertEquals(1.0, BucketBounds.exponentialUpper(0, 8));
    assertEquals(2.0, BucketBounds.exponentialUpper(256, 8));
    assertEquals(0.5, BucketBounds.exponentialUpper(-8, 3));
    // 2^(1/2) is 1.4142135623730951 correctly rounded; Prometheus's table gives one ulp less.
    assertEquals(1.414213562373095, BucketBounds.exponentialUpper(1, 1));
    assertEquals(1.414213562373095, BucketBounds.exponentialUpper(128, 8));
    assertEquals(1.0905077326652577, BucketBounds.exponentialUpper(1, 3));
    assertEquals(0.7071067811865475, BucketBounds.exponentialUpper(-1, 1));
    // Schema s reads every 2^(8-s)-th fraction of schema 8.
    for (int s = 1; s <= 8; s++) {
      for (int i = -300; i < 300; i++) {
        assertEquals(BucketBounds.exponentialUpper(i << (8 - s), 8),
            BucketBounds.exponentialUpper(i, s), "schema " + s + " index " + i);
      }
    }
  }

  @Test
  void lastFiniteBucketEndsAtMaxValue() {
    assertEquals(Double.MAX_VALUE, BucketBounds.exponentialUpper(1024, 0));
    assertEquals(Double.POSITIVE_INFINITY, BucketBounds.exponentialUpper(1025, 0));
    assertEquals(Double.MAX_VALUE, BucketBounds.exponentialUpper(64, -4));
    assertEquals(Double.MAX_VALUE, BucketBounds.exponentialUpper(1024 << 8, 8));
    assertEquals(Double.POSITIVE_INFINITY, BucketBounds.exponentialUpper((1024 << 8) + 1, 8));
    assertEquals(Double.MAX_VALUE, BucketBounds.exponentialUpper(1024 << 3, 3));
  }

  @Test
  void customBounds() {
    double[] cv = {1, 2.5, 10};
    assertEquals(Double.NEGATIVE_INFINITY, BucketBounds.upper(-1, -53, cv));
    assertEquals(1.0, BucketBounds.upper(0, -53, cv));
    assertEquals(10.0, BucketBounds.upper(2, -53, cv));
    assertEquals(Double.POSITIVE_INFINITY, BucketBounds.upper(3, -53, cv));
    assertThrows(IllegalArgumentException.class, () -> BucketBounds.upper(4, -53, cv));
  }
}
