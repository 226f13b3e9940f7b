package dev.tsdb.head;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Series by id: a paged array indexed by the int series id, readable without locks. Ids are
 * handed out in increasing order and never reused, so pages fill from the front; a page whose
 * series were all deleted is dropped.
 */
final class SeriesTable {
  private static final int PAGE_BITS = 12;
  private static final int PAGE_SIZE = 1 << PAGE_BITS;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(MemSeries[].class);

  private volatile MemSeries[][] pages = new MemSeries[16][];
  private int[] livePerPage = new int[16]; // guarded by this
  private int nextId = 1; // 0 means "no ref" in the Appender contract
  private int live;

  /** Allocates the next id. */
  synchronized int nextId() {
    if (nextId == Integer.MAX_VALUE) {
      throw new IllegalStateException("series id space exhausted");
    }
    return nextId++;
  }

  /** Ensures ids up to at least {@code id} are never handed out again (after WAL replay). */
  synchronized void reserveUpTo(int id) {
    if (id >= nextId) {
      nextId = id + 1;
    }
  }

  synchronized void put(MemSeries s) {
    int p = s.id >>> PAGE_BITS;
    MemSeries[][] ps = pages;
    if (p >= ps.length) {
      ps = Arrays.copyOf(ps, Math.max(p + 1, ps.length * 2));
      livePerPage = Arrays.copyOf(livePerPage, ps.length);
    }
    MemSeries[] page = ps[p];
    if (page == null) {
      page = new MemSeries[PAGE_SIZE];
      ps[p] = page;
    }
    SLOT.setRelease(page, s.id & (PAGE_SIZE - 1), s);
    livePerPage[p]++;
    live++;
    pages = ps; // volatile publish of a grown directory or a new page
  }

  synchronized void remove(MemSeries s) {
    int p = s.id >>> PAGE_BITS;
    MemSeries[] page = pages[p];
    if (page == null || page[s.id & (PAGE_SIZE - 1)] != s) {
      return;
    }
    SLOT.setRelease(page, s.id & (PAGE_SIZE - 1), (MemSeries) null);
    live--;
    if (--livePerPage[p] == 0) {
      MemSeries[][] ps = pages;
      ps[p] = null;
      pages = ps;
    }
  }

  MemSeries get(long ref) {
    if (ref <= 0 || ref > Integer.MAX_VALUE) {
      return null;
    }
    int id = (int) ref;
    MemSeries[][] ps = pages;
    int p = id >>> PAGE_BITS;
    if (p >= ps.length) {
      return null;
    }
    MemSeries[] page = ps[p];
    return page == null ? null : (MemSeries) SLOT.getAcquire(page, id & (PAGE_SIZE - 1));
  }

  synchronized int size() {
    return live;
  }

  /** Calls the action for every live series (a weakly consistent walk). */
  void forEach(java.util.function.Consumer<MemSeries> action) {
    MemSeries[][] ps = pages;
    for (MemSeries[] page : ps) {
      if (page == null) {
        continue;
      }
      for (int i = 0; i < PAGE_SIZE; i++) {
        MemSeries s = (MemSeries) SLOT.getAcquire(page, i);
        if (s != null) {
          action.accept(s);
        }
      }
    }
  }
}
