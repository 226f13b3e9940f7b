package dev.tsdb.head.bench;

import dev.tsdb.head.chunkenc.XorAppender;
import dev.tsdb.head.chunkenc.XorIterator;
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

/** XOR chunk append and iteration, reported per sample (120-sample chunks of scrape-like data). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChunkBench {
  static final int N = 120;
  long[] ts = new long[N];
  double[] vs = new double[N];
  byte[] chunk;
  XorIterator it = new XorIterator();

  @Setup
  public void setup() {
    Random r = new Random(1);
    long t = 1_700_000_000_000L;
    double v = 1000;
    for (int i = 0; i < N; i++) {
      t += 15_000 + r.nextInt(5) - 2; // jittered scrape interval
      v += r.nextInt(50); // counter
      ts[i] = t;
      vs[i] = v;
    }
    XorAppender a = new XorAppender();
    for (int i = 0; i < N; i++) {
      a.append(ts[i], vs[i]);
    }
    chunk = a.toBytes();
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public XorAppender append() {
    XorAppender a = new XorAppender(256);
    for (int i = 0; i < N; i++) {
      a.append(ts[i], vs[i]);
    }
    return a;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public double iterate() {
    it.reset(chunk, 0, chunk.length);
    double sum = 0;
    while (it.next() == ValueType.FLOAT) {
      sum += it.v() + it.t();
    }
    return sum;
  }
}
