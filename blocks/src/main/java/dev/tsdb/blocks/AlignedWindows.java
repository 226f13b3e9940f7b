package dev.tsdb.blocks;

/**
 * Prometheus's block-range arithmetic: time is cut into windows of a fixed width aligned on
 * multiples of it (from the Unix epoch), so blocks cut from the head and blocks compacted
 * together line up the same way Prometheus's do. Floor division keeps negative times in the
 * window below zero, not the one above.
 */
public final class AlignedWindows {
  private AlignedWindows() {}

  /** The start of the window of {@code width} that holds {@code t}. */
  public static long start(long t, long width) {
    return Math.floorDiv(t, width) * width;
  }

  /** The exclusive end of the window of {@code width} that holds {@code t}. */
  public static long end(long t, long width) {
    return start(t, width) + width;
  }
}
