package dev.tsdb.index.postings;

import dev.tsdb.index.storage.QueryCancellation;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * Read access to an inverted index of series ids by label name and value, the input of
 * {@link PostingsForMatchers}. Returned bitmaps may be shared with the index: callers must not
 * modify them.
 */
public interface PostingsReader {
  /** Ids of all series. */
  RoaringBitmap allPostings();

  /** Ids of series with {@code name="value"}, or null/empty when none. */
  RoaringBitmap postings(String name, String value);

  /** The distinct values of a label name, sorted. */
  List<String> sortedValues(String name);

  /** Ids of series that have the label name with any value. */
  default RoaringBitmap postingsWithName(String name) {
    List<String> values = sortedValues(name);
    RoaringBitmap[] maps = new RoaringBitmap[values.size()];
    int n = 0;
    int seen = 0;
    for (String v : values) {
      QueryCancellation.checkEvery(seen++);
      RoaringBitmap p = postings(name, v);
      if (p != null) {
        maps[n++] = p;
      }
    }
    return PostingsForMatchers.union(maps, n);
  }
}
