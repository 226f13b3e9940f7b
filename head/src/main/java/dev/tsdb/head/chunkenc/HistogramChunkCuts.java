package dev.tsdb.head.chunkenc;

/**
 * Where one series' open histogram chunk ends, as Prometheus 3.5's head decides it
 * (histogramsAppendPreprocessor): histogram chunks aim at about {@link #TARGET_BYTES} bytes rather
 * than a sample count. Once the chunk holds a quarter of the target, its end time is predicted
 * from the rate it filled at; a chunk is cut at that time or at twice the target size, but only
 * when it holds at least {@link #MIN_SAMPLES} samples or the sample falls into the next chunk
 * range. Cuts the appender itself makes (counter reset, schema change) go through
 * {@link #startedByAppender}, which, as in Prometheus, keeps the "end time computed" state.
 *
 * <p>Holds the open chunk's time state; one instance per series, single writer.
 */
public final class HistogramChunkCuts {
  public static final int TARGET_BYTES = 1024;
  public static final int MIN_SAMPLES = 10;

  private final long chunkRange;
  private long minTime;
  private long maxTime = Long.MIN_VALUE;
  private long nextAt;
  private boolean endComputed;
  private int sizeCuts;

  public HistogramChunkCuts(long chunkRange) {
    this.chunkRange = chunkRange;
  }

  /** A new chunk (the first, or one cut for another encoding) starts at t. */
  public void start(long t) {
    minTime = t;
    maxTime = Long.MIN_VALUE;
    nextAt = ChunkTimes.rangeEnd(t, chunkRange);
    endComputed = false;
  }

  /**
   * Whether a sample at t must go into a new chunk, given the open chunk's sample count and
   * size; when true the state already describes the new chunk (as after {@link #start}).
   */
  public boolean cutBefore(long t, int numSamples, int numBytes) {
    if (numSamples == 0) {
      minTime = t;
      nextAt = ChunkTimes.rangeEnd(t, chunkRange);
    }
    long nextRangeStart = ChunkTimes.rangeEnd(minTime, chunkRange);
    if (!endComputed && numBytes >= TARGET_BYTES / 4) {
      nextAt = ChunkTimes.computeChunkEndTime(minTime, maxTime, nextAt,
          (double) TARGET_BYTES / numBytes);
      endComputed = true;
    }
    if ((t >= nextAt || numBytes >= TARGET_BYTES * 2)
        && (numSamples >= MIN_SAMPLES || t >= nextRangeStart)) {
      sizeCuts++;
      start(t);
      return true;
    }
    return false;
  }

  /** The appender put the sample at t into a new chunk of its own (NEW_CHUNK). */
  public void startedByAppender(long t) {
    minTime = t;
    nextAt = ChunkTimes.rangeEnd(t, chunkRange);
  }

  /** A sample at t went into the open chunk. */
  public void appended(long t) {
    maxTime = t;
  }

  /** Chunks cut by {@link #cutBefore} so far (tests check their data exercised it). */
  public int sizeCuts() {
    return sizeCuts;
  }
}
