package dev.tsdb.head;

import java.util.TreeMap;

/**
 * Commit sequence numbers and open readers. Commits are applied one at a time under the head's
 * commit lock and numbered 1, 2, ...; a reader sees exactly the commits published when it opened.
 * The oldest open reader tells series which commit-run boundaries they must still remember.
 */
final class Isolation {
  private long lastSeq; // guarded by the head's commit lock
  private volatile long published;
  private final TreeMap<Long, Integer> readers = new TreeMap<>(); // guarded by this

  long nextSeq() {
    return ++lastSeq;
  }

  synchronized void publish(long seq) {
    published = seq;
  }

  /** Registers a reader and returns the last commit it sees. */
  synchronized long openReader() {
    long r = published;
    readers.merge(r, 1, Integer::sum);
    return r;
  }

  synchronized void closeReader(long r) {
    Integer c = readers.get(r);
    if (c == null) {
      return;
    }
    if (c == 1) {
      readers.remove(r);
    } else {
      readers.put(r, c - 1);
    }
  }

  /** Sequence seen by the oldest open reader, or Long.MAX_VALUE when none is open. */
  synchronized long oldestReader() {
    return readers.isEmpty() ? Long.MAX_VALUE : readers.firstKey();
  }

  synchronized int openReaders() {
    int n = 0;
    for (int c : readers.values()) {
      n += c;
    }
    return n;
  }
}
