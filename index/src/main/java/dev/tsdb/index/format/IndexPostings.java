package dev.tsdb.index.format;

import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RoaringBitmapWriter;

/**
 * A lazy cursor over one postings list of an index: sorted series references (4-byte big-endian
 * each) read straight from the mapping. Entries are fixed-width, so {@link #seek} binary-searches.
 * Not thread-safe; each call to the reader returns a fresh cursor.
 */
public final class IndexPostings {
  public static final IndexPostings EMPTY = new IndexPostings(null, 0, 0);

  private final MappedBytes b;
  private final long start; // position of the first entry
  private final int n;
  private int i = -1;
  private long cur;

  IndexPostings(MappedBytes b, long start, int n) {
    this.b = b;
    this.start = start;
    this.n = n;
  }

  /** Number of entries in the whole list. */
  public int size() {
    return n;
  }

  private long entry(int k) {
    return b.getInt(start + 4L * k) & 0xffffffffL;
  }

  public boolean next() {
    if (i + 1 >= n) {
      i = n;
      return false;
    }
    i++;
    cur = entry(i);
    return true;
  }

  /** Advances to the first entry &gt;= v (staying put if the current one qualifies). */
  public boolean seek(long v) {
    if (i >= n) {
      return false;
    }
    if (i >= 0 && cur >= v) {
      return true;
    }
    int lo = Math.max(i, 0);
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (entry(mid) < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    i = lo;
    if (i >= n) {
      return false;
    }
    cur = entry(i);
    return true;
  }

  /** Entry {@code k} of the list, regardless of the cursor. */
  public long get(int k) {
    if (k < 0 || k >= n) {
      throw new IndexOutOfBoundsException(k);
    }
    return entry(k);
  }

  /** The current series reference. */
  public long at() {
    return cur;
  }

  /** The whole list (regardless of the cursor) as a bitmap of series references. */
  public RoaringBitmap toBitmap() {
    RoaringBitmapWriter<RoaringBitmap> w = RoaringBitmapWriter.writer().get();
    for (int k = 0; k < n; k++) {
      w.add(b.getInt(start + 4L * k));
    }
    return w.get();
  }

  /** Adds the whole list to {@code into}. */
  public void addTo(RoaringBitmap into) {
    into.or(toBitmap());
  }
}
