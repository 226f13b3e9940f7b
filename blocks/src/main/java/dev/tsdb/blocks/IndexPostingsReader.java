package dev.tsdb.blocks;

import dev.tsdb.index.format.IndexReader;
import dev.tsdb.index.postings.PostingsReader;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * Presents a block's on-disk index to {@link dev.tsdb.index.postings.PostingsForMatchers}: postings
 * lists are turned into bitmaps of series references on demand; the all-series bitmap is built
 * once and cached (a block never changes).
 */
final class IndexPostingsReader implements PostingsReader {
  private final IndexReader index;
  private volatile RoaringBitmap all;

  IndexPostingsReader(IndexReader index) {
    this.index = index;
  }

  @Override
  public RoaringBitmap allPostings() {
    RoaringBitmap a = all;
    if (a == null) {
      a = index.allPostings().toBitmap();
      all = a;
    }
    return a;
  }

  @Override
  public RoaringBitmap postings(String name, String value) {
    long off = index.postingsOffset(name, value);
    return off < 0 ? null : index.postingsAt(off).toBitmap();
  }

  @Override
  public List<String> sortedValues(String name) {
    return index.labelValues(name);
  }

  @Override
  public RoaringBitmap postingsWithName(String name) {
    RoaringBitmap r = new RoaringBitmap();
    index.forEachValue(name, "", (value, off) -> {
      r.or(index.postingsAt(off).toBitmap());
      return true;
    });
    return r;
  }
}
