package dev.tsdb.index.postings;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.roaringbitmap.RoaringBitmap;

/**
 * In-memory postings for the head: a RoaringBitmap of series ids per label name and value, a
 * bitmap per label name (series having the name at all) and one of all series.
 *
 * <p>Also the head's string interner: {@link #add} returns the label set rebuilt from the
 * canonical name and value strings already held here, so each distinct string is stored once.
 *
 * <p>Thread-safe: writers take a write lock (series creation and deletion are rare compared to
 * queries); queries evaluate matchers under the read lock and get private result bitmaps.
 */
public final class MemPostings {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final HashMap<String, NameEntry> byName = new HashMap<>();
  private final RoaringBitmap all = new RoaringBitmap();
  private int adds; // since the last run-optimisation
  private final ReaderView view = new ReaderView();

  /** Postings of one value; remembers the canonical value string for interning. */
  private static final class ValuePostings extends RoaringBitmap {
    final String value;

    ValuePostings(String value) {
      this.value = value;
    }
  }

  private static final class NameEntry {
    final String name;
    final HashMap<String, ValuePostings> values = new HashMap<>();
    final RoaringBitmap any = new RoaringBitmap();
    volatile List<String> sorted; // cache, cleared when a value appears or disappears

    NameEntry(String name) {
      this.name = name;
    }

    List<String> sortedValues() {
      List<String> s = sorted;
      if (s == null) {
        String[] arr = values.keySet().toArray(new String[0]);
        Arrays.sort(arr);
        s = Collections.unmodifiableList(Arrays.asList(arr));
        sorted = s;
      }
      return s;
    }
  }

  /**
   * Adds a series and returns its labels rebuilt from canonical (interned) strings. Ids should be
   * added in increasing order for compact bitmaps, but any order works.
   */
  public Labels add(int id, Labels labels) {
    String[] canon = new String[labels.size() * 2];
    lock.writeLock().lock();
    try {
      for (int i = 0; i < labels.size(); i++) {
        String name = labels.name(i);
        String value = labels.value(i);
        NameEntry ne = byName.get(name);
        if (ne == null) {
          ne = new NameEntry(name);
          byName.put(name, ne);
        }
        ValuePostings vp = ne.values.get(value);
        if (vp == null) {
          vp = new ValuePostings(value);
          ne.values.put(value, vp);
          ne.sorted = null;
        }
        vp.add(id);
        ne.any.add(id);
        canon[2 * i] = ne.name;
        canon[2 * i + 1] = vp.value;
      }
      all.add(id);
      if (++adds >= 65536) {
        optimizeLocked();
      }
    } finally {
      lock.writeLock().unlock();
    }
    return Labels.fromSortedUnsafe(canon);
  }

  /** Removes series; each id must be given with the labels it was added with. */
  public void delete(int[] ids, Labels[] labels, int n) {
    lock.writeLock().lock();
    try {
      for (int k = 0; k < n; k++) {
        int id = ids[k];
        Labels ls = labels[k];
        all.remove(id);
        for (int i = 0; i < ls.size(); i++) {
          NameEntry ne = byName.get(ls.name(i));
          if (ne == null) {
            continue;
          }
          ne.any.remove(id);
          ValuePostings vp = ne.values.get(ls.value(i));
          if (vp != null) {
            vp.remove(id);
            if (vp.isEmpty()) {
              ne.values.remove(ls.value(i));
              ne.sorted = null;
            }
          }
          if (ne.values.isEmpty()) {
            byName.remove(ne.name);
          }
        }
      }
      optimizeLocked();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Converts bitmaps to run containers where smaller (consecutive ids are common). */
  public void optimize() {
    lock.writeLock().lock();
    try {
      optimizeLocked();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void optimizeLocked() {
    adds = 0;
    all.runOptimize();
    for (NameEntry ne : byName.values()) {
      ne.any.runOptimize();
      for (ValuePostings vp : ne.values.values()) {
        vp.runOptimize();
      }
    }
  }

  /** Ids of the series matching all matchers (a new bitmap). */
  public RoaringBitmap select(Matcher... matchers) {
    return select(Arrays.asList(matchers));
  }

  public RoaringBitmap select(List<Matcher> matchers) {
    lock.readLock().lock();
    try {
      return PostingsForMatchers.select(view, matchers);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A copy of all series ids. */
  public RoaringBitmap all() {
    lock.readLock().lock();
    try {
      return all.clone();
    } finally {
      lock.readLock().unlock();
    }
  }

  public int numSeries() {
    lock.readLock().lock();
    try {
      return all.getCardinality();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A copy of the postings of {@code name="value"} (empty when none). */
  public RoaringBitmap get(String name, String value) {
    lock.readLock().lock();
    try {
      NameEntry ne = byName.get(name);
      ValuePostings vp = ne == null ? null : ne.values.get(value);
      return vp == null ? new RoaringBitmap() : vp.clone();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Sorted label names of all series. */
  public List<String> labelNames() {
    lock.readLock().lock();
    try {
      List<String> out = new ArrayList<>(byName.keySet());
      Collections.sort(out);
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Sorted label names of the given series. */
  public List<String> labelNames(RoaringBitmap within) {
    lock.readLock().lock();
    try {
      List<String> out = new ArrayList<>();
      for (NameEntry ne : byName.values()) {
        if (RoaringBitmap.intersects(ne.any, within)) {
          out.add(ne.name);
        }
      }
      Collections.sort(out);
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Sorted values of a label among all series. */
  public List<String> labelValues(String name) {
    lock.readLock().lock();
    try {
      NameEntry ne = byName.get(name);
      return ne == null ? List.of() : ne.sortedValues();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Sorted values of a label among the given series. */
  public List<String> labelValues(String name, RoaringBitmap within) {
    lock.readLock().lock();
    try {
      NameEntry ne = byName.get(name);
      if (ne == null || !RoaringBitmap.intersects(ne.any, within)) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (String v : ne.sortedValues()) {
        if (RoaringBitmap.intersects(ne.values.get(v), within)) {
          out.add(v);
        }
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Approximate heap bytes held by the bitmaps (for memory accounting). */
  public long bitmapBytes() {
    lock.readLock().lock();
    try {
      long b = all.getLongSizeInBytes();
      for (NameEntry ne : byName.values()) {
        b += ne.any.getLongSizeInBytes();
        for (Map.Entry<String, ValuePostings> e : ne.values.entrySet()) {
          b += e.getValue().getLongSizeInBytes();
        }
      }
      return b;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The reader the matcher evaluation sees; only used under the read lock. */
  private final class ReaderView implements PostingsReader {
    @Override
    public RoaringBitmap allPostings() {
      return all;
    }

    @Override
    public RoaringBitmap postings(String name, String value) {
      NameEntry ne = byName.get(name);
      return ne == null ? null : ne.values.get(value);
    }

    @Override
    public List<String> sortedValues(String name) {
      NameEntry ne = byName.get(name);
      return ne == null ? List.of() : ne.sortedValues();
    }

    @Override
    public RoaringBitmap postingsWithName(String name) {
      NameEntry ne = byName.get(name);
      return ne == null ? new RoaringBitmap() : ne.any;
    }
  }
}
