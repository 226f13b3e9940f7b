package dev.tsdb.head;

import dev.tsdb.index.labels.Labels;
import java.util.function.Supplier;

/**
 * Series by label set: lock stripes chosen by {@link Labels#hash64()}, each an open-addressing
 * table keyed by the 64-bit hash with series of colliding hashes chained through
 * {@link MemSeries#hashNext}. Compact (a long and a reference per slot) and primitive-keyed.
 */
final class SeriesStripes {
  private final Stripe[] stripes;
  private final int mask;

  SeriesStripes(int size) {
    int n = Integer.highestOneBit(Math.max(1, size - 1)) << 1;
    if (size == 1) {
      n = 1;
    }
    stripes = new Stripe[n];
    for (int i = 0; i < n; i++) {
      stripes[i] = new Stripe();
    }
    mask = n - 1;
  }

  private Stripe stripe(long hash) {
    return stripes[(int) (hash ^ (hash >>> 32)) & mask];
  }

  MemSeries get(long hash, Labels labels) {
    Stripe st = stripe(hash);
    synchronized (st) {
      return st.find(hash, labels);
    }
  }

  /** The series whose labels are the name/value strings {@code nv[0..len)}, or null. */
  MemSeries get(long hash, String[] nv, int len) {
    Stripe st = stripe(hash);
    synchronized (st) {
      return st.find(hash, nv, len);
    }
  }

  /**
   * The series with these labels, created with {@code factory} (under the stripe lock) when
   * absent; {@code created[0]} reports which happened.
   */
  MemSeries getOrCreate(long hash, Labels labels, Supplier<MemSeries> factory, boolean[] created) {
    Stripe st = stripe(hash);
    synchronized (st) {
      MemSeries s = st.find(hash, labels);
      if (s != null) {
        created[0] = false;
        return s;
      }
      s = factory.get();
      st.insert(hash, s);
      created[0] = true;
      return s;
    }
  }

  /** Inserts a series known to be absent (WAL replay). */
  void put(long hash, MemSeries s) {
    Stripe st = stripe(hash);
    synchronized (st) {
      st.insert(hash, s);
    }
  }

  void remove(long hash, MemSeries s) {
    Stripe st = stripe(hash);
    synchronized (st) {
      st.remove(hash, s);
    }
  }

  private static final class Stripe {
    private static final long EMPTY = 0; // hash 0 is remapped so it never marks a used slot
    private long[] keys = new long[4];
    private MemSeries[] vals = new MemSeries[4];
    private int size;

    private static long key(long hash) {
      return hash == EMPTY ? 1 : hash;
    }

    MemSeries find(long hash, Labels labels) {
      for (MemSeries s = chain(hash); s != null; s = s.hashNext) {
        if (s.labels.equals(labels)) {
          return s;
        }
      }
      return null;
    }

    MemSeries find(long hash, String[] nv, int len) {
      for (MemSeries s = chain(hash); s != null; s = s.hashNext) {
        if (s.labels.equalsPairs(nv, len)) {
          return s;
        }
      }
      return null;
    }

    /** The first series of the hash's collision chain (linked by hashNext), or null. */
    private MemSeries chain(long hash) {
      long k = key(hash);
      int m = keys.length - 1;
      for (int i = mix(k) & m; ; i = (i + 1) & m) {
        long kk = keys[i];
        if (kk == EMPTY) {
          return null;
        }
        if (kk == k) {
          return vals[i];
        }
      }
    }

    void insert(long hash, MemSeries s) {
      if ((size + 1) * 4 > keys.length * 3) {
        grow();
      }
      long k = key(hash);
      int m = keys.length - 1;
      for (int i = mix(k) & m; ; i = (i + 1) & m) {
        if (keys[i] == EMPTY) {
          keys[i] = k;
          vals[i] = s;
          s.hashNext = null;
          size++;
          return;
        }
        if (keys[i] == k) {
          s.hashNext = vals[i]; // true 64-bit collision: chain
          vals[i] = s;
          return;
        }
      }
    }

    void remove(long hash, MemSeries s) {
      long k = key(hash);
      int m = keys.length - 1;
      int i = mix(k) & m;
      while (keys[i] != k) {
        if (keys[i] == EMPTY) {
          return;
        }
        i = (i + 1) & m;
      }
      // Unchain.
      MemSeries prev = null;
      for (MemSeries c = vals[i]; c != null; prev = c, c = c.hashNext) {
        if (c == s) {
          if (prev == null) {
            vals[i] = c.hashNext;
          } else {
            prev.hashNext = c.hashNext;
          }
          break;
        }
      }
      if (vals[i] != null) {
        return;
      }
      // Backward-shift deletion keeps probe sequences intact.
      keys[i] = EMPTY;
      size--;
      int j = i;
      while (true) {
        j = (j + 1) & m;
        if (keys[j] == EMPTY) {
          break;
        }
        int home = mix(keys[j]) & m;
        boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!between) {
          keys[i] = keys[j];
          vals[i] = vals[j];
          keys[j] = EMPTY;
          vals[j] = null;
          i = j;
        }
      }
      if (keys.length > 8 && size * 8 < keys.length) {
        rehash(keys.length / 2);
      }
    }

    private void grow() {
      rehash(keys.length * 2);
    }

    private void rehash(int cap) {
      long[] ok = keys;
      MemSeries[] ov = vals;
      keys = new long[cap];
      vals = new MemSeries[cap];
      int m = cap - 1;
      for (int j = 0; j < ok.length; j++) {
        if (ok[j] != EMPTY) {
          int i = mix(ok[j]) & m;
          while (keys[i] != EMPTY) {
            i = (i + 1) & m;
          }
          keys[i] = ok[j];
          vals[i] = ov[j];
        }
      }
    }

    private static int mix(long k) {
      // High bits: the stripe was chosen from the low ones.
      return (int) ((k * 0x9E3779B97F4A7C15L) >>> 32);
    }
  }
}
