package dev.tsdb.head.bench;

import dev.tsdb.head.chunkenc.XorAppender;
import dev.tsdb.head.chunkenc.XorIterator;
import dev.tsdb.index.storage.ValueType;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * XOR chunk work shaped like Prometheus 2.42's own Go benchmarks in tsdb/chunkenc, so the numbers
 * can be put side by side (docs/benchmarks.md, "Storage micro-benchmarks"):
 *
 * <ul>
 *   <li>{@link #xorAppender} ~ BenchmarkXORAppender: fresh chunks of 251 samples (t += 1000 ms,
 *       v += 100 from t=1234123324, v=1243535.123), one op = one appended sample, the chunk
 *       allocation included; the buffer starts at 128 bytes like Go's NewXORChunk.
 *   <li>{@link #xorIterator} ~ BenchmarkXORIterator: one chunk of 250 samples of the same data
 *       decoded over and over, one op = one decoded sample (both t and v are read).
 *   <li>{@link #xorRead} ~ BenchmarkXorRead: a 120-sample chunk (t = 0..119000 step 1000, v with
 *       many mantissa bits), one op = decoding the whole chunk.
 * </ul>
 *
 * {@link ChunkBench} keeps our own scrape-like data (jittered timestamps, counter values).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PromChunkBench {
  static final int APPEND_CHUNK = 251; // Go's loop breaks at j > 250, so 251 samples a chunk
  static final int ITER_CHUNK = 250;
  static final int READ_CHUNK = 120;

  final long[] ts = new long[APPEND_CHUNK];
  final double[] vs = new double[APPEND_CHUNK];
  byte[] iterChunk;
  byte[] readChunk;
  final XorIterator it = new XorIterator();

  @Setup
  public void setup() {
    long t = 1234123324L;
    double v = 1243535.123;
    for (int i = 0; i < APPEND_CHUNK; i++) {
      t += 1000;
      v += 100;
      ts[i] = t;
      vs[i] = v;
    }
    XorAppender a = new XorAppender(128);
    for (int i = 0; i < ITER_CHUNK; i++) {
      a.append(ts[i], vs[i]);
    }
    iterChunk = a.toBytes();

    XorAppender r = new XorAppender(128);
    for (long x = 0; x < READ_CHUNK * 1000L; x += 1000) {
      r.append(x, x + x / 10.0 + x / 100.0 + x / 1000.0);
    }
    readChunk = r.toBytes();
  }

  @Benchmark
  @OperationsPerInvocation(APPEND_CHUNK)
  public XorAppender xorAppender() {
    XorAppender a = new XorAppender(128);
    for (int i = 0; i < APPEND_CHUNK; i++) {
      a.append(ts[i], vs[i]);
    }
    return a;
  }

  @Benchmark
  @OperationsPerInvocation(ITER_CHUNK)
  public void xorIterator(Blackhole bh) {
    it.reset(iterChunk, 0, iterChunk.length);
    long t = 0;
    double v = 0;
    while (it.next() == ValueType.FLOAT) {
      t = it.t();
      v = it.v();
    }
    bh.consume(t);
    bh.consume(v);
  }

  @Benchmark
  public void xorRead(Blackhole bh) {
    it.reset(readChunk, 0, readChunk.length);
    long t = 0;
    double v = 0;
    while (it.next() != ValueType.NONE) {
      t = it.t();
      v = it.v();
    }
    bh.consume(t);
    bh.consume(v);
  }
}
