package dev.tsdb.head;

import dev.tsdb.head.chunkenc.ChunkEncoding;
import dev.tsdb.head.mmap.CorruptChunkException;
import dev.tsdb.head.mmap.HeadChunkFiles;
import dev.tsdb.head.mmap.HeadChunkFormat;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Collects the chunks found in {@code chunks_head/} at open, per series ref, as stubs, and gives
 * them to the series the WAL replay creates with that ref ({@link #attach}). A series' chunks must
 * follow each other in time; one that does not is reported as damage, and the files are cut there.
 * Out-of-order chunks (Prometheus's, with the encoding's top bit) are not loaded: our out-of-order
 * samples come back from the WAL.
 */
final class MappedChunkLoader implements HeadChunkFiles.Visitor {
  /** One series' stubs. */
  private static final class Stubs {
    byte[][] chunks = new byte[4][];
    int n;
  }

  // Stubs by series ref: in an array for the refs Prometheus and we make (dense, from 1), so a
  // restart's hundreds of thousands of chunks need no boxed keys; the map holds larger ones.
  private Stubs[] byRef = new Stubs[1024];
  private final Map<Long, Stubs> beyond = new HashMap<>();
  private long maxSeriesRef;
  private long chunks;
  private long skippedOutOfOrder;
  private long attached;

  @Override
  public void chunk(long seriesRef, long chunkRef, long mint, long maxt, byte encoding,
      int numSamples, int dataLen) throws CorruptChunkException {
    if ((encoding & HeadChunkFormat.OUT_OF_ORDER_MASK) != 0) {
      skippedOutOfOrder++;
      return;
    }
    if (encoding != ChunkEncoding.XOR && encoding != ChunkEncoding.HISTOGRAM
        && encoding != ChunkEncoding.FLOAT_HISTOGRAM) {
      throw new CorruptChunkException("unknown chunk encoding " + encoding);
    }
    if (mint > maxt || numSamples == 0) {
      throw new CorruptChunkException("chunk with mint " + mint + " > maxt " + maxt
          + " or no samples");
    }
    Stubs s = stubs(seriesRef);
    if (s.n > 0 && SealedChunk.maxT(s.chunks[s.n - 1]) >= mint) {
      throw new CorruptChunkException("chunk of series " + seriesRef + " starting at " + mint
          + " overlaps the one before");
    }
    if (s.n == s.chunks.length) {
      s.chunks = Arrays.copyOf(s.chunks, s.n * 2);
    }
    s.chunks[s.n++] = SealedChunk.mapped(mint, maxt, encoding, numSamples, chunkRef, dataLen);
    maxSeriesRef = Math.max(maxSeriesRef, seriesRef);
    chunks++;
  }

  /** Largest series ref with chunks (0: none), never to be handed to a new series. */
  int maxSeriesRef() {
    return (int) Math.min(Integer.MAX_VALUE - 1, maxSeriesRef);
  }

  /**
   * Gives the chunks loaded for WAL series {@code walRef} to {@code s} when it holds no samples
   * yet, and widens the head's time range by them. Each ref's chunks are handed out once.
   * Returns whether {@code s} took chunks.
   */
  boolean attach(long walRef, MemSeries s, Head head) {
    Stubs st = take(walRef);
    if (st == null) {
      return false;
    }
    long mint = SealedChunk.minT(st.chunks[0]);
    long maxt;
    synchronized (s) {
      if (s.hasInOrder()) {
        return false; // a second series record for labels seen before: the first one's chunks
      }
      s.attachMapped(st.chunks, st.n);
      maxt = s.maxT;
    }
    head.updateMinMaxTime(mint, maxt);
    attached += st.n;
    return true;
  }

  private Stubs stubs(long ref) {
    if (ref <= 0 || ref >= ReplayRefs.LIMIT) {
      return beyond.computeIfAbsent(ref, k -> new Stubs());
    }
    int i = (int) ref;
    if (i >= byRef.length) {
      byRef = Arrays.copyOf(byRef, Math.min(ReplayRefs.LIMIT, Math.max(i + 1, byRef.length * 2)));
    }
    Stubs s = byRef[i];
    if (s == null) {
      s = new Stubs();
      byRef[i] = s;
    }
    return s;
  }

  /** Removes and returns the stubs of {@code ref}, or null. */
  private Stubs take(long ref) {
    if (ref <= 0 || ref >= ReplayRefs.LIMIT) {
      return beyond.isEmpty() ? null : beyond.remove(ref);
    }
    int i = (int) ref;
    if (i >= byRef.length) {
      return null;
    }
    Stubs s = byRef[i];
    byRef[i] = null;
    return s;
  }

  long chunks() {
    return chunks;
  }

  long attached() {
    return attached;
  }

  long skippedOutOfOrder() {
    return skippedOutOfOrder;
  }
}
