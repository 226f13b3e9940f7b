package dev.tsdb.server;

/**
 * Decides when a burst of allocation (an ingestion burst, a large query) is over and has left
 * the committed heap much larger than what survives: then one concurrent collection lets G1
 * shrink the heap to the live data (at its Remark pause, within Min/MaxHeapFreeRatio) right
 * away, instead of at the next periodic collection up to a minute later.
 *
 * <p>"Over" means no collection for {@link #QUIET_MS}: during a burst young collections run
 * several times a second. "Much larger" means committed heap at least {@link #OVERSIZE_FACTOR}
 * times what the last collections retained (old generation plus survivors) and at least
 * {@link #MIN_EXCESS_BYTES} above it, so a heap already sized to its data (committed is then
 * about 1.4 times the retained bytes, MaxHeapFreeRatio=30) is never collected for nothing.
 * Trims are at least {@link #MIN_INTERVAL_MS} apart, which bounds their cost.
 */
final class HeapTrimPolicy {
  static final long QUIET_MS = 1000;
  static final long MIN_INTERVAL_MS = 15_000;
  static final double OVERSIZE_FACTOR = 2.0;
  static final long MIN_EXCESS_BYTES = 64L << 20;

  private long lastGcCount = -1;
  private long lastGcSeenAt; // when the collection count last changed
  private long lastTrimAt = Long.MIN_VALUE / 2;

  /**
   * Called periodically: whether to trigger a collection now.
   *
   * @param gcCount collections so far, of all collectors
   * @param committed committed heap bytes
   * @param retained heap bytes the collections kept (old generation plus survivors)
   * @param nowMs a monotonic clock in milliseconds
   */
  boolean shouldTrim(long gcCount, long committed, long retained, long nowMs) {
    if (gcCount != lastGcCount) {
      lastGcCount = gcCount;
      lastGcSeenAt = nowMs;
      return false;
    }
    if (nowMs - lastGcSeenAt < QUIET_MS || nowMs - lastTrimAt < MIN_INTERVAL_MS) {
      return false;
    }
    if (committed < retained * OVERSIZE_FACTOR || committed - retained < MIN_EXCESS_BYTES) {
      return false;
    }
    lastTrimAt = nowMs;
    return true;
  }
}
