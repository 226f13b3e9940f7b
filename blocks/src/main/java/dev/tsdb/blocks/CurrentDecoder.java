package dev.tsdb.blocks;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.storage.SampleIterator;

/**
 * A sample iterator that walks chunks and reads the current sample from the decoder of the chunk
 * it is in: subclasses choose the chunks and the samples, the values come from {@link #cur}.
 */
abstract class CurrentDecoder implements SampleIterator {
  /** Decoder of the chunk holding the current sample. */
  SampleIterator cur;

  @Override
  public final long t() {
    return cur.t();
  }

  @Override
  public final double v() {
    return cur.v();
  }

  @Override
  public final Histogram atHistogram(Histogram reuse) {
    return cur.atHistogram(reuse);
  }

  @Override
  public final FloatHistogram atFloatHistogram(FloatHistogram reuse) {
    return cur.atFloatHistogram(reuse);
  }
}
