package dev.tsdb.head.chunkenc;

/** Time arithmetic the head uses to decide where chunks end (float and histogram chunks alike). */
public final class ChunkTimes {
  private ChunkTimes() {}

  /** End of the chunk range holding t (Go's truncating division, as Prometheus). */
  public static long rangeEnd(long t, long width) {
    return (t / width) * width + width;
  }

  /**
   * Predicts the end of the current chunk so the remaining chunks up to max are equally sized,
   * assuming the chunk is 1/ratioToFull full (Prometheus's computeChunkEndTime).
   */
  public static long computeChunkEndTime(long start, long cur, long max, double ratioToFull) {
    double n = (double) (max - start) / ((double) (cur - start + 1) * ratioToFull);
    if (n <= 1) {
      return max;
    }
    return (long) ((double) start + (double) (max - start) / Math.floor(n));
  }
}
