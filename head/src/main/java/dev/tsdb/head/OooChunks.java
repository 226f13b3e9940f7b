package dev.tsdb.head;

import dev.tsdb.head.chunkenc.XorAppender;
import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.chunkenc.XorIterator;
import dev.tsdb.index.storage.ValueType;
import java.util.Arrays;

/**
 * A series' out-of-order samples: a small sorted buffer (Prometheus's OOO head chunk) that is
 * XOR-encoded into a sealed chunk when it reaches its capacity. Sealed out-of-order chunks may
 * overlap each other and the in-order data; readers merge them. Guarded by the series lock.
 */
final class OooChunks {
  private long[] ts;
  private double[] vs;
  private int n;
  byte[][] sealed = new byte[0][];
  int nSealed;
  int frozen; // leading sealed chunks that existed when a truncation was prepared

  OooChunks(int cap) {
    ts = new long[Math.min(cap, 8)];
    vs = new double[ts.length];
  }

  /** Inserts in time order; false when the timestamp is already buffered (a duplicate). */
  boolean insert(long t, double v, int cap) {
    int i = Arrays.binarySearch(ts, 0, n, t);
    if (i >= 0) {
      return false;
    }
    i = -i - 1;
    if (n == ts.length) {
      int c = Math.max(4, Math.min(cap, n * 2));
      if (c <= n) {
        c = n + 1;
      }
      ts = Arrays.copyOf(ts, c);
      vs = Arrays.copyOf(vs, c);
    }
    System.arraycopy(ts, i, ts, i + 1, n - i);
    System.arraycopy(vs, i, vs, i + 1, n - i);
    ts[i] = t;
    vs[i] = v;
    n++;
    if (n >= cap) {
      seal();
    }
    return true;
  }

  private void seal() {
    XorAppender app = new XorAppender(16 + n * 4);
    for (int i = 0; i < n; i++) {
      app.append(ts[i], vs[i]);
    }
    byte[] c = SealedChunk.of(ts[0], ts[n - 1], ChunkEncoding.XOR, app.buffer(), app.byteLength());
    if (nSealed == sealed.length) {
      sealed = Arrays.copyOf(sealed, Math.max(2, nSealed * 2));
    }
    sealed[nSealed++] = c;
    n = 0;
    if (ts.length > 8) {
      ts = new long[8];
      vs = new double[8];
    }
  }

  boolean isEmpty() {
    return n == 0 && nSealed == 0;
  }

  long minTime() {
    long m = n > 0 ? ts[0] : Long.MAX_VALUE;
    for (int i = 0; i < nSealed; i++) {
      m = Math.min(m, SealedChunk.minT(sealed[i]));
    }
    return m;
  }

  long maxTime() {
    long m = n > 0 ? ts[n - 1] : Long.MIN_VALUE;
    for (int i = 0; i < nSealed; i++) {
      m = Math.max(m, SealedChunk.maxT(sealed[i]));
    }
    return m;
  }

  /**
   * Seals the buffer and marks every chunk held so far as "frozen": the part a head cut that is
   * being prepared may persist. Samples inserted afterwards stay out of the next truncation.
   */
  void freeze() {
    if (n > 0) {
      seal();
    }
    frozen = nSealed;
  }

  /**
   * Drops the frozen chunks entirely older than mint (whole chunks, like in-order truncation);
   * chunks added after {@link #freeze} are kept whatever their times.
   */
  void truncateFrozenBefore(long mint) {
    int k = 0;
    byte[][] kept = new byte[nSealed][];
    int keptFrozen = 0;
    for (int i = 0; i < nSealed; i++) {
      if (i >= frozen || SealedChunk.maxT(sealed[i]) >= mint) {
        kept[k++] = sealed[i];
        if (i < frozen) {
          keptFrozen++;
        }
      }
    }
    sealed = kept;
    nSealed = k;
    frozen = keptFrozen;
  }

  /**
   * Oldest time not yet persisted by a cut at mint: frozen chunks count from mint on (older
   * data in them is in the block), later ones with their real times.
   */
  long unpersistedMinTime(long mint) {
    long m = n > 0 ? ts[0] : Long.MAX_VALUE;
    for (int i = 0; i < nSealed; i++) {
      long t = SealedChunk.minT(sealed[i]);
      m = Math.min(m, i < frozen ? Math.max(t, mint) : t);
    }
    return m;
  }

  /**
   * The samples within [mint, maxt], sorted, duplicates dropped (the first inserted wins), as a
   * new pair of arrays; returns the count. Allocates: out-of-order reads are the rare path.
   */
  int collect(long mint, long maxt, long[][] tsOut, double[][] vsOut) {
    int cap = n;
    for (int i = 0; i < nSealed; i++) {
      byte[] c = sealed[i];
      if (SealedChunk.minT(c) <= maxt && SealedChunk.maxT(c) >= mint) {
        cap += SealedChunk.numSamples(c);
      }
    }
    long[] ots = new long[cap];
    double[] ovs = new double[cap];
    long[] order = new long[cap]; // insertion rank, to keep the first of equal timestamps
    int k = 0;
    XorIterator it = new XorIterator();
    for (int i = 0; i < nSealed; i++) {
      byte[] c = sealed[i];
      if (SealedChunk.minT(c) > maxt || SealedChunk.maxT(c) < mint) {
        continue;
      }
      it.reset(c, SealedChunk.PREFIX, SealedChunk.dataLength(c));
      while (it.next() == ValueType.FLOAT) {
        if (it.t() >= mint && it.t() <= maxt) {
          ots[k] = it.t();
          ovs[k] = it.v();
          order[k] = k;
          k++;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (ts[i] >= mint && ts[i] <= maxt) {
        ots[k] = ts[i];
        ovs[k] = vs[i];
        order[k] = k;
        k++;
      }
    }
    // Sort indices by (t, rank) and compact duplicates.
    Integer[] idx = new Integer[k];
    for (int i = 0; i < k; i++) {
      idx[i] = i;
    }
    final long[] fts = ots;
    Arrays.sort(idx, (a, b) -> {
      int c = Long.compare(fts[a], fts[b]);
      return c != 0 ? c : Long.compare(order[a], order[b]);
    });
    long[] rts = new long[k];
    double[] rvs = new double[k];
    int m = 0;
    for (int i = 0; i < k; i++) {
      int j = idx[i];
      if (m > 0 && rts[m - 1] == ots[j]) {
        continue;
      }
      rts[m] = ots[j];
      rvs[m] = ovs[j];
      m++;
    }
    tsOut[0] = rts;
    vsOut[0] = rvs;
    return m;
  }

  /** Heap bytes held (approximate). */
  long bytes() {
    long b = 16 + 8L * ts.length + 8L * vs.length + 16 + 4L * sealed.length;
    for (int i = 0; i < nSealed; i++) {
      b += 16 + sealed[i].length;
    }
    return b;
  }
}
