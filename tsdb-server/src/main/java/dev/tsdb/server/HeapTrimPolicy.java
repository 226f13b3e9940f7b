package dev.tsdb.server;

/**
 * Decides when a burst of allocation (an ingestion burst, a large query) is over and has left
 * the committed heap much larger than what survives: then one full collection compacts the live
 * data and shrinks the heap to it (within Min/MaxHeapFreeRatio) right away, instead of at the
 * next periodic collection up to a minute later.
 *
 * <p>"Over" means, for {@link #QUIET_MS}, no collection and less than {@link #QUIET_ALLOC_BYTES}
 * allocated per tick: during a burst young collections can be seconds apart when the young
 * generation is large, but the heap fills by many megabytes per tick. "Much larger" means committed heap at least {@link #OVERSIZE_FACTOR}
 * times a reference and at least {@link #MIN_EXCESS_BYTES} above it, so a heap already sized to
 * its data (committed is then about 1.4 times the live bytes, MaxHeapFreeRatio=30) is never
 * collected for nothing. The reference is what the collections retained (old generation plus
 * survivors), or, when smaller, the committed heap right after the previous trim: the old
 * generation also holds the burst's dead objects that reached it, which only a marking finds.
 * Trims are at least {@link #MIN_INTERVAL_MS} apart, which bounds their cost.
 */
final class HeapTrimPolicy {
  static final long QUIET_MS = 1000;
  static final long QUIET_ALLOC_BYTES = 1L << 20; // per call (a 250 ms tick: 4 MiB/s)
  static final long MIN_INTERVAL_MS = 15_000;
  static final double OVERSIZE_FACTOR = 2.0;
  static final long MIN_EXCESS_BYTES = 64L << 20;

  private long lastGcCount = -1;
  private long quietSince; // when the last collection or busy tick was seen
  private long lastUsed;
  private long lastTrimAt = Long.MIN_VALUE / 2;
  private boolean trimPending; // requested; its collection not seen yet
  private long sizedCommitted = Long.MAX_VALUE; // committed heap after the last trim

  /**
   * Called periodically: whether to trigger a collection now.
   *
   * @param gcCount collections so far, of all collectors
   * @param used heap bytes in use
   * @param committed committed heap bytes
   * @param retained heap bytes the collections kept (old generation plus survivors)
   * @param nowMs a monotonic clock in milliseconds
   */
  boolean shouldTrim(long gcCount, long used, long committed, long retained, long nowMs) {
    long allocated = used - lastUsed;
    lastUsed = used;
    if (gcCount != lastGcCount) {
      lastGcCount = gcCount;
      quietSince = nowMs;
      if (trimPending) {
        trimPending = false;
        sizedCommitted = committed;
      }
      return false;
    }
    if (allocated >= QUIET_ALLOC_BYTES) {
      quietSince = nowMs;
      return false;
    }
    if (nowMs - quietSince < QUIET_MS || nowMs - lastTrimAt < MIN_INTERVAL_MS) {
      return false;
    }
    long reference = Math.min(retained, sizedCommitted);
    if (committed < reference * OVERSIZE_FACTOR || committed - reference < MIN_EXCESS_BYTES) {
      return false;
    }
    lastTrimAt = nowMs;
    trimPending = true;
    return true;
  }
}
