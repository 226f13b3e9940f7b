package dev.tsdb.head;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deleted time ranges of head series, by series id (Prometheus's in-memory tombstones of the
 * head). Each entry is an immutable array of sorted, merged, inclusive {@code [mint, maxt]}
 * pairs, replaced whole on change, so readers take it without locks. Deletions are rare: reads
 * check {@link #isEmpty()} first.
 */
final class HeadTombstones {
  private final ConcurrentHashMap<Integer, long[]> byId = new ConcurrentHashMap<>();

  boolean isEmpty() {
    return byId.isEmpty();
  }

  /** The deleted intervals of a series, or null. */
  long[] get(int id) {
    return byId.isEmpty() ? null : byId.get(id);
  }

  void add(int id, long mint, long maxt) {
    byId.compute(id, (k, cur) -> merge(cur, mint, maxt));
  }

  void remove(int id) {
    byId.remove(id);
  }

  /** Drops intervals ending before mint (the data they covered is gone from the head). */
  void truncateBefore(long mint) {
    byId.replaceAll((id, iv) -> {
      int keep = 0;
      for (int i = 0; i < iv.length; i += 2) {
        if (iv[i + 1] >= mint) {
          keep++;
        }
      }
      if (keep * 2 == iv.length) {
        return iv;
      }
      long[] out = new long[keep * 2];
      int k = 0;
      for (int i = 0; i < iv.length; i += 2) {
        if (iv[i + 1] >= mint) {
          out[k++] = iv[i];
          out[k++] = iv[i + 1];
        }
      }
      return out;
    });
    byId.values().removeIf(iv -> iv.length == 0);
  }

  /** Calls {@code f} with each series id and its intervals ({@code [mint, maxt]} pairs). */
  void forEach(java.util.function.BiConsumer<Integer, long[]> f) {
    byId.forEach(f);
  }

  int size() {
    return byId.size();
  }

  /** {@code iv} plus [mint, maxt], sorted and merged (touching intervals join). */
  static long[] merge(long[] iv, long mint, long maxt) {
    if (iv == null) {
      return new long[] {mint, maxt};
    }
    long[] all = Arrays.copyOf(iv, iv.length + 2);
    int pos = iv.length;
    while (pos > 0 && all[pos - 2] > mint) { // insertion keeps pairs sorted by mint
      all[pos] = all[pos - 2];
      all[pos + 1] = all[pos - 1];
      pos -= 2;
    }
    all[pos] = mint;
    all[pos + 1] = maxt;
    int k = 0;
    for (int i = 0; i < all.length; i += 2) {
      if (k > 0 && (all[k - 1] == Long.MAX_VALUE || all[i] <= all[k - 1] + 1)) {
        all[k - 1] = Math.max(all[k - 1], all[i + 1]);
      } else {
        all[k++] = all[i];
        all[k++] = all[i + 1];
      }
    }
    return k == all.length ? all : Arrays.copyOf(all, k);
  }

  /** Whether the intervals cover every time in [lo, hi]. */
  static boolean covers(long[] iv, long lo, long hi) {
    for (int i = 0; i < iv.length; i += 2) {
      if (iv[i] <= lo && iv[i + 1] >= hi) {
        return true;
      }
    }
    return false;
  }
}
