package dev.tsdb.blocks;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;

/**
 * Counter reset hints of histograms read through iterators that merge several sources: as in
 * Prometheus, a histogram that does not follow a sample of the same source gets an unknown hint
 * (gauges stay gauges), since whether the counter reset in between is not known there.
 */
public final class SourceSwitchHints {
  private SourceSwitchHints() {}

  /** {@code h}, its hint made unknown unless it follows a sample of the same source. */
  public static Histogram apply(Histogram h, boolean consecutive) {
    if (!consecutive && h.counterResetHint != CounterResetHint.GAUGE) {
      h.counterResetHint = CounterResetHint.UNKNOWN;
    }
    return h;
  }

  /** {@link #apply(Histogram, boolean)} for float histograms. */
  public static FloatHistogram apply(FloatHistogram h, boolean consecutive) {
    if (!consecutive && h.counterResetHint != CounterResetHint.GAUGE) {
      h.counterResetHint = CounterResetHint.UNKNOWN;
    }
    return h;
  }
}
