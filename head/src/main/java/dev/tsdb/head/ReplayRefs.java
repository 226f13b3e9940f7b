package dev.tsdb.head;

import java.util.Arrays;

/**
 * The WAL replay's reading-thread view of series, in primitive arrays: which series a WAL ref
 * names, and per series id the end of its chunks loaded from chunks_head/ and the newest in-order
 * WAL timestamp seen. Most samples of a restart are held by loaded chunks and skipped; checking
 * that here reads two longs from arrays that stay in the CPU caches, instead of the object of a
 * different series per sample, and only samples that are applied fetch their series.
 *
 * <p>Refs and ids from {@code LIMIT} on (neither Prometheus nor we make them in practice) are not
 * tracked: {@link #remember} returns -1 and the caller keeps the state in the series itself.
 */
final class ReplayRefs {
  static final int LIMIT = 1 << 24;

  private int[] idOf = new int[1024]; // WAL ref -> series id; 0: not seen yet
  private MemSeries[] byId = new MemSeries[1024];
  private long[] mmMaxT = new long[1024];
  private long[] walMaxT = new long[1024];
  private long inMapped;

  /** The series id remembered for {@code ref}, or 0. */
  int id(long ref) {
    return ref > 0 && ref < idOf.length ? idOf[(int) ref] : 0;
  }

  MemSeries series(int id) {
    return byId[id];
  }

  /**
   * Remembers that {@code ref} names {@code s} (a later series record for the ref wins, as in
   * the head's table); the series' state starts from its fields the first time it is seen.
   * Returns its id, or -1 when the id is beyond the arrays.
   */
  int remember(long ref, MemSeries s) {
    int id = s.id;
    if (id <= 0 || id >= LIMIT) {
      return -1;
    }
    if (id >= byId.length) {
      int n = Math.min(LIMIT, Math.max(id + 1, byId.length * 2));
      byId = Arrays.copyOf(byId, n);
      mmMaxT = Arrays.copyOf(mmMaxT, n);
      walMaxT = Arrays.copyOf(walMaxT, n);
    }
    if (byId[id] != s) {
      byId[id] = s;
      mmMaxT[id] = s.mmMaxT;
      walMaxT[id] = s.walMaxT;
    }
    if (ref > 0 && ref < LIMIT) {
      if (ref >= idOf.length) {
        idOf = Arrays.copyOf(idOf, (int) Math.min(LIMIT, Math.max(ref + 1, idOf.length * 2L)));
      }
      idOf[(int) ref] = id;
    }
    return id;
  }

  /** Chunks from chunks_head/ were just given to {@code s}: skip what they hold from now on. */
  void attached(MemSeries s) {
    int id = s.id;
    if (id > 0 && id < byId.length && byId[id] == s) {
      mmMaxT[id] = s.mmMaxT;
    }
  }

  /**
   * Whether the logged sample at t of series {@code id} is held by its loaded chunks (see
   * {@link #inMappedChunks(MemSeries, long)}, the same rule on the series' fields).
   */
  boolean inMappedChunks(int id, long t) {
    long mm = mmMaxT[id];
    if (mm == Long.MIN_VALUE || t < walMaxT[id]) {
      return false;
    }
    if (t == walMaxT[id]) {
      return true;
    }
    walMaxT[id] = t;
    if (t <= mm) {
      inMapped++;
      return true;
    }
    mmMaxT[id] = Long.MIN_VALUE;
    return false;
  }

  /**
   * Whether the logged in-order sample at t is already in the series' chunks loaded from
   * chunks_head/. Until a sample past the loaded chunks opens the series' next chunk, its
   * in-order samples are told from its out-of-order ones by the WAL order (in-order ones were
   * newer than every sample before them); in-order ones up to the loaded chunks' end are
   * skipped. A duplicate of the newest in-order sample is skipped too: a full replay ignores it
   * (t == maxT), so it must not come back as an out-of-order copy of a sample the loaded chunks
   * hold. The state is the series' own fields here (series beyond the arrays).
   */
  boolean inMappedChunks(MemSeries s, long t) {
    long mm = s.mmMaxT;
    if (mm == Long.MIN_VALUE || t < s.walMaxT) {
      return false;
    }
    if (t == s.walMaxT) {
      return true;
    }
    s.walMaxT = t;
    if (t <= mm) {
      inMapped++;
      return true;
    }
    // Newer than the loaded chunks: the worker appends it into a new open chunk (the series'
    // maxT is still the loaded chunks' end), and every later sample is its own.
    s.mmMaxT = Long.MIN_VALUE;
    return false;
  }

  /** WAL samples skipped because loaded chunks hold them. */
  long inMapped() {
    return inMapped;
  }
}
