package dev.tsdb.head;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.SampleRejectedException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Series creation in the head, shaped like Prometheus 2.42's BenchmarkHeadStripeSeriesCreate and
 * BenchmarkHeadStripeSeriesCreateParallel (tsdb/head_bench_test.go): one op = building the label
 * set {@code {a="<i>"}} for a new i and getting-or-creating its series (stripe map, id, postings),
 * with no WAL and no sample. Differences: Go passes i as the hash, we hash the labels; each
 * measurement iteration starts an empty head so the heap stays bounded (Go's head grows to b.N).
 * Lives in this package because {@link Head#getOrCreate} is package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeadSeriesCreateBench {
  Head head;
  final AtomicLong next = new AtomicLong();

  @Setup(Level.Iteration)
  public void setup() {
    head = new Head(new HeadOptions());
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws IOException {
    head.close();
  }

  @Benchmark
  public MemSeries create() throws SampleRejectedException {
    return head.getOrCreate(Labels.of("a", Long.toString(next.incrementAndGet())));
  }

  @Benchmark
  @Threads(2)
  public MemSeries createTwoThreads() throws SampleRejectedException {
    return create();
  }
}
