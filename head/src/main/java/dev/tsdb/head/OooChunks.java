package dev.tsdb.head;

import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.chunkenc.XorAppender;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A series' out-of-order samples: a small sorted buffer (Prometheus's OOO head chunk) that is
 * encoded into sealed chunks when it reaches its capacity. Floats and native histograms may be
 * mixed, as in Prometheus: the buffer keeps each histogram (never mutated) beside the float
 * values, and sealing cuts one chunk per run of one sample kind (XOR, histogram, float
 * histogram), plus where the histogram appender starts one itself. Sealed out-of-order chunks may
 * overlap each other and the in-order data; readers merge them. Guarded by the series lock.
 */
final class OooChunks {
  private long[] ts;
  private double[] vs;
  // Histogram of each buffered sample (null: a float); null until the first histogram, so
  // float-only series pay nothing for histograms.
  private Object[] hs;
  private int n;
  byte[][] sealed = new byte[0][];
  int nSealed;
  int frozen; // leading sealed chunks that existed when a truncation was prepared

  OooChunks(int cap) {
    ts = new long[Math.min(cap, 8)];
    vs = new double[ts.length];
  }

  /**
   * Inserts in time order; false when the timestamp is already buffered (a duplicate, whatever
   * the kinds). {@code h} is a {@code Histogram} or {@code FloatHistogram} the buffer keeps (not
   * copied), or null for the float {@code v}.
   */
  boolean insert(long t, double v, Object h, int cap) {
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
      if (hs != null) {
        hs = Arrays.copyOf(hs, c);
      }
    }
    if (h != null && hs == null) {
      hs = new Object[ts.length];
    }
    System.arraycopy(ts, i, ts, i + 1, n - i);
    System.arraycopy(vs, i, vs, i + 1, n - i);
    if (hs != null) {
      System.arraycopy(hs, i, hs, i + 1, n - i);
      hs[i] = h;
    }
    ts[i] = t;
    vs[i] = v;
    n++;
    if (n >= cap) {
      seal();
    }
    return true;
  }

  private void seal() {
    if (hs == null) {
      XorAppender app = new XorAppender(16 + n * 4);
      for (int i = 0; i < n; i++) {
        app.append(ts[i], vs[i]);
      }
      addSealed(SealedChunk.of(ts[0], ts[n - 1], ChunkEncoding.XOR, app.buffer(),
          app.byteLength()));
    } else {
      // Mixed kinds: the re-encoder cuts a chunk per kind run, as Prometheus's OOO head chunk.
      List<ChunkMeta> chunks = new ArrayList<>(2);
      ChunkReencoder.encode(new OooSamples(ts, vs, hs, n).iterator(), Long.MIN_VALUE,
          Long.MAX_VALUE, Math.max(n, 1), chunks);
      for (ChunkMeta c : chunks) {
        byte[] data = new byte[c.data().remaining()];
        c.data().duplicate().get(data);
        addSealed(SealedChunk.of(c.minTime(), c.maxTime(), c.encoding(), data, data.length));
      }
    }
    n = 0;
    hs = null;
    if (ts.length > 8) {
      ts = new long[8];
      vs = new double[8];
    }
  }

  private void addSealed(byte[] c) {
    if (nSealed == sealed.length) {
      sealed = Arrays.copyOf(sealed, Math.max(2, nSealed * 2));
    }
    sealed[nSealed++] = c;
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
   * The samples within [mint, maxt], sorted, duplicates dropped (the first inserted wins), in new
   * arrays. Histograms decoded from sealed chunks are new instances; buffered ones are shared
   * (never mutated). Allocates: out-of-order reads are the rare path.
   */
  OooSamples collect(long mint, long maxt) {
    int cap = n;
    for (int i = 0; i < nSealed; i++) {
      byte[] c = sealed[i];
      if (SealedChunk.minT(c) <= maxt && SealedChunk.maxT(c) >= mint) {
        cap += SealedChunk.numSamples(c);
      }
    }
    // Gathered in insertion rank (sealed chunks, then the buffer): the index is the rank that
    // keeps the first of equal timestamps.
    long[] ots = new long[cap];
    double[] ovs = new double[cap];
    Object[] ohs = null;
    int k = 0;
    for (int i = 0; i < nSealed; i++) {
      byte[] c = sealed[i];
      if (SealedChunk.minT(c) > maxt || SealedChunk.maxT(c) < mint) {
        continue;
      }
      SampleIterator it = HeadChunkQuerier.chunkIterator(SealedChunk.encoding(c), c,
          SealedChunk.PREFIX, SealedChunk.dataLength(c), SealedChunk.numSamples(c));
      for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
        long t = it.t();
        if (t < mint || t > maxt) {
          continue;
        }
        ots[k] = t;
        if (vt == ValueType.FLOAT) {
          ovs[k] = it.v();
        } else {
          if (ohs == null) {
            ohs = new Object[cap];
          }
          ohs[k] = vt == ValueType.HISTOGRAM ? it.atHistogram(null) : it.atFloatHistogram(null);
        }
        k++;
      }
    }
    for (int i = 0; i < n; i++) {
      if (ts[i] >= mint && ts[i] <= maxt) {
        ots[k] = ts[i];
        ovs[k] = vs[i];
        if (hs != null && hs[i] != null) {
          if (ohs == null) {
            ohs = new Object[cap];
          }
          ohs[k] = hs[i];
        }
        k++;
      }
    }
    Integer[] idx = new Integer[k];
    for (int i = 0; i < k; i++) {
      idx[i] = i;
    }
    final long[] fts = ots;
    Arrays.sort(idx, (a, b) -> {
      int c = Long.compare(fts[a], fts[b]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    long[] rts = new long[k];
    double[] rvs = new double[k];
    Object[] rhs = ohs == null ? null : new Object[k];
    int m = 0;
    for (int i = 0; i < k; i++) {
      int j = idx[i];
      if (m > 0 && rts[m - 1] == ots[j]) {
        continue;
      }
      rts[m] = ots[j];
      rvs[m] = ovs[j];
      if (rhs != null) {
        rhs[m] = ohs[j];
      }
      m++;
    }
    return new OooSamples(rts, rvs, rhs, m);
  }

  /** Heap bytes held (approximate). */
  long bytes() {
    long b = 16 + 8L * ts.length + 8L * vs.length + 16 + 4L * sealed.length;
    if (hs != null) {
      b += 16 + 4L * hs.length + 200L * n; // a histogram's arrays: a rough guess
    }
    for (int i = 0; i < nSealed; i++) {
      b += 16 + sealed[i].length;
    }
    return b;
  }
}
