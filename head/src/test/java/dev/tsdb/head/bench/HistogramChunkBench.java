package dev.tsdb.head.bench;

import dev.tsdb.head.chunkenc.FloatHistogramAppender;
import dev.tsdb.head.chunkenc.FloatHistogramIterator;
import dev.tsdb.head.chunkenc.HistogramAppender;
import dev.tsdb.head.chunkenc.HistogramIterator;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.storage.ValueType;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Native histogram chunk append and iteration, per sample: 120 scrapes of a counter histogram
 * with a fixed layout (schema 3, 24 positive buckets in 3 spans, 6 negative buckets), integer
 * (encoding 2) and float (encoding 3).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HistogramChunkBench {
  static final int N = 120;
  long[] ts = new long[N];
  Histogram[] hs = new Histogram[N];
  FloatHistogram[] fhs = new FloatHistogram[N];
  byte[] intChunk;
  byte[] floatChunk;
  HistogramIterator it = new HistogramIterator();
  FloatHistogramIterator fit = new FloatHistogramIterator();
  Histogram h = new Histogram();
  FloatHistogram fh = new FloatHistogram();

  @Setup
  public void setup() {
    Random r = new Random(1);
    int[] pos = {-5, 10, 2, 8, 1, 6};
    int[] neg = {0, 6};
    long[] pAbs = new long[24];
    long[] nAbs = new long[6];
    long zero = 0;
    double sum = 0;
    long t = 1_700_000_000_000L;
    for (int i = 0; i < N; i++) {
      t += 15_000 + r.nextInt(5) - 2;
      ts[i] = t;
      long count = 0;
      for (int b = 0; b < pAbs.length; b++) {
        pAbs[b] += r.nextInt(b < 12 ? 30 : 4);
        count += pAbs[b];
      }
      for (int b = 0; b < nAbs.length; b++) {
        nAbs[b] += r.nextInt(3);
        count += nAbs[b];
      }
      zero += r.nextInt(5);
      sum += r.nextDouble() * 1000;
      Histogram x = new Histogram();
      x.schema = 3;
      x.zeroThreshold = Math.scalb(1.0, -128);
      x.zeroCount = zero;
      x.count = count + zero;
      x.sum = sum;
      x.positiveSpans = pos;
      x.negativeSpans = neg;
      x.positiveBuckets = deltas(pAbs);
      x.negativeBuckets = deltas(nAbs);
      hs[i] = x;
      fhs[i] = FloatHistogram.of(x, null);
    }
    intChunk = intAppend().toBytes();
    floatChunk = floatAppend().toBytes();
  }

  private static long[] deltas(long[] abs) {
    long[] d = new long[abs.length];
    long prev = 0;
    for (int i = 0; i < abs.length; i++) {
      d[i] = abs[i] - prev;
      prev = abs[i];
    }
    return d;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public HistogramAppender intAppend() {
    HistogramAppender a = new HistogramAppender(4096);
    for (int i = 0; i < N; i++) {
      a.append(ts[i], hs[i], null);
    }
    return a;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long intIterate() {
    it.reset(intChunk, 0, intChunk.length);
    long acc = 0;
    while (it.next() == ValueType.HISTOGRAM) {
      acc += it.atHistogram(h).count + it.t();
    }
    return acc;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public double intIterateAsFloat() {
    it.reset(intChunk, 0, intChunk.length);
    double acc = 0;
    while (it.next() == ValueType.HISTOGRAM) {
      acc += it.atFloatHistogram(fh).count;
    }
    return acc;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public FloatHistogramAppender floatAppend() {
    FloatHistogramAppender a = new FloatHistogramAppender(8192);
    for (int i = 0; i < N; i++) {
      a.append(ts[i], fhs[i], null);
    }
    return a;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public double floatIterate() {
    fit.reset(floatChunk, 0, floatChunk.length);
    double acc = 0;
    while (fit.next() == ValueType.FLOAT_HISTOGRAM) {
      acc += fit.atFloatHistogram(fh).count;
    }
    return acc;
  }
}
