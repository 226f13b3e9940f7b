package dev.tsdb.head.chunkenc;

/**
 * Walks the bucket indices a flattened (offset, length) span list covers, in order; zero-length
 * spans only move the index by their offset.
 */
final class BucketCursor {
  private int[] spans;
  private int span; // index of the current span's offset in `spans`
  private int inSpan; // buckets of the current span already yielded
  private int idx; // last yielded bucket index
  private int index; // the bucket index next() found

  BucketCursor reset(int[] s) {
    spans = s;
    span = 0;
    inSpan = 0;
    idx = s.length > 0 ? s[0] - 1 : -1;
    return this;
  }

  /** Advances to the next bucket; false when the spans are exhausted. */
  boolean next() {
    while (span < spans.length) {
      if (inSpan < spans[span + 1]) {
        inSpan++;
        idx++;
        index = idx;
        return true;
      }
      span += 2;
      inSpan = 0;
      if (span < spans.length) {
        idx += spans[span];
      }
    }
    return false;
  }

  int index() {
    return index;
  }
}
