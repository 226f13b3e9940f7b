package dev.tsdb.api.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Dense OTLP buckets to spans and deltas (cases after Prometheus's TestConvertBucketsLayout). */
class BucketLayoutTest {
  private static void check(List<Long> counts, int offset, int scaleDown, int[] spans,
      long[] deltas) {
    BucketLayout l = BucketLayout.of(counts, offset, scaleDown, 1);
    assertArrayEquals(spans, l.spans, "spans, scale down " + scaleDown);
    assertArrayEquals(deltas, l.deltas, "deltas, scale down " + scaleDown);
  }

  @Test
  void zeroOffset() {
    List<Long> c = List.of(4L, 3L, 2L, 1L);
    check(c, 0, 0, new int[] {1, 4}, new long[] {4, -1, -1, -1});
    check(c, 0, 1, new int[] {1, 2}, new long[] {7, -4});
    check(c, 0, 2, new int[] {1, 1}, new long[] {10});
  }

  @Test
  void offsetOne() {
    List<Long> c = List.of(4L, 3L, 2L, 1L);
    check(c, 1, 0, new int[] {2, 4}, new long[] {4, -1, -1, -1});
    check(c, 1, 1, new int[] {1, 3}, new long[] {4, 1, -4});
    check(c, 1, 2, new int[] {1, 2}, new long[] {9, -8});
  }

  @Test
  void gapsOpenSpansOnlyPastTwoBuckets() {
    List<Long> c = List.of(4L, 2L, 0L, 2L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L);
    check(c, 4, 0, new int[] {5, 4, 12, 1}, new long[] {4, -2, -2, 2, -1});
    check(c, 4, 1, new int[] {3, 2, 6, 1}, new long[] {6, -4, -1});
    check(c, 4, 2, new int[] {2, 1, 3, 1}, new long[] {8, -7});
    List<Long> merging = List.of(4L, 2L, 0L, 2L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L);
    check(merging, 4, 0, new int[] {5, 4, 8, 1}, new long[] {4, -2, -2, 2, -1});
    check(merging, 4, 1, new int[] {3, 2, 4, 1}, new long[] {6, -4, -1});
    check(merging, 4, 2, new int[] {2, 4}, new long[] {8, -8, 0, 1});
  }

  @Test
  void negativeOffset() {
    List<Long> c = List.of(3L, 1L, 0L, 0L, 0L, 1L);
    check(c, -2, 0, new int[] {-1, 2, 3, 1}, new long[] {3, -2, 0});
    check(c, -2, 1, new int[] {0, 3}, new long[] {4, -4, 1});
    check(c, -2, 2, new int[] {0, 2}, new long[] {4, -3});
  }

  @Test
  void explicitBucketsMapOneToOne() {
    BucketLayout l = BucketLayout.of(List.of(2L, 0L, 3L), 1, 0, 0);
    assertArrayEquals(new int[] {1, 3}, l.spans);
    assertArrayEquals(new long[] {2, -2, 3}, l.deltas);
  }
}
