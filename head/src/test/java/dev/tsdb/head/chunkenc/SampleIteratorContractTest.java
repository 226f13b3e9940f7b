package dev.tsdb.head.chunkenc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.ValueType;
import org.junit.jupiter.api.Test;

/** The chunk iterators answer SampleIterator's histogram accessors; other iterators refuse. */
class SampleIteratorContractTest {
  private static Histogram histogram(long count) {
    Histogram h = new Histogram();
    h.count = count;
    h.sum = 1.5 * count;
    h.positiveSpans = new int[] {0, 2};
    h.positiveBuckets = new long[] {count - 1, -(count - 2)};
    return h;
  }

  @Test
  void integerChunkReadsAsHistogramAndAsFloatHistogram() {
    HistogramAppender a = new HistogramAppender();
    a.append(1000, histogram(3), null);
    SampleIterator it = new HistogramIterator().reset(a.buffer(), 0, a.byteLength());
    assertEquals(ValueType.HISTOGRAM, it.next());
    Histogram reuse = new Histogram();
    assertSame(reuse, it.atHistogram(reuse));
    assertEquals(3, reuse.count);
    assertEquals(2, it.atHistogram(null).positiveBuckets[0]);
    FloatHistogram f = it.atFloatHistogram(null);
    assertEquals(3.0, f.count);
    assertEquals(2.0, f.positiveBuckets[0]);
    assertEquals(1.0, f.positiveBuckets[1]);
  }

  @Test
  void floatChunkReadsOnlyAsFloatHistogram() {
    FloatHistogramAppender a = new FloatHistogramAppender();
    a.append(1000, FloatHistogram.of(histogram(3), null), null);
    SampleIterator it = new FloatHistogramIterator().reset(a.buffer(), 0, a.byteLength());
    assertEquals(ValueType.FLOAT_HISTOGRAM, it.next());
    assertEquals(3.0, it.atFloatHistogram(null).count);
    assertThrows(IllegalStateException.class, () -> it.atHistogram(null));
  }

  @Test
  void floatIteratorsRefuseHistogramAccessors() {
    XorAppender a = new XorAppender();
    a.append(1000, 1.0);
    SampleIterator it = new XorIterator().reset(a.buffer(), 0, a.byteLength());
    assertEquals(ValueType.FLOAT, it.next());
    assertThrows(IllegalStateException.class, () -> it.atHistogram(null));
    assertThrows(IllegalStateException.class, () -> it.atFloatHistogram(null));
    assertThrows(IllegalStateException.class, () -> SampleIterator.EMPTY.atHistogram(null));
  }
}
