package dev.tsdb.server.forward;

/**
 * A place in the WAL: segment index and byte offset where the next record to forward starts
 * (records starting before it have been sent or were logged before the queue existed).
 */
record WalPosition(int segment, long offset) implements Comparable<WalPosition> {
  static final WalPosition START = new WalPosition(0, 0);

  @Override
  public int compareTo(WalPosition o) {
    int c = Integer.compare(segment, o.segment);
    return c != 0 ? c : Long.compare(offset, o.offset);
  }

  boolean isAfter(int seg, long off) {
    return segment > seg || (segment == seg && offset > off);
  }
}
