package dev.tsdb.wal;

/** Inclusive range of existing segment indexes; both -1 when there is no segment. */
public record SegmentRange(int first, int last) {
  public static final SegmentRange EMPTY = new SegmentRange(-1, -1);

  public boolean isEmpty() {
    return first < 0;
  }
}
