package dev.tsdb.head.bench;

import dev.tsdb.head.Head;
import dev.tsdb.head.HeadOptions;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Head ingest: each thread owns 1000 series and commits one scrape (a sample per series, refs
 * cached) per invocation. Reported per sample; run with 1 and 2 threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HeadAppendBench {
  static final int SERIES = 1000;

  @State(Scope.Benchmark)
  public static class Shared {
    Head head;
    AtomicInteger writers = new AtomicInteger();
    /** Scrape time shared by the writers so none falls out of the head's append window. */
    java.util.concurrent.atomic.AtomicLong clock =
        new java.util.concurrent.atomic.AtomicLong(1_700_000_000_000L);

    @Setup(Level.Trial)
    public void setup() {
      head = new Head(new HeadOptions().clock(() -> Long.MAX_VALUE / 2));
    }
  }

  @State(Scope.Thread)
  public static class Writer {
    Appender app;
    Labels[] labels = new Labels[SERIES];
    long[] refs = new long[SERIES];
    java.util.concurrent.atomic.AtomicLong clock;
    double v;

    @Setup(Level.Trial)
    public void setup(Shared shared) {
      int w = shared.writers.getAndIncrement();
      app = shared.head.appender();
      clock = shared.clock;
      for (int i = 0; i < SERIES; i++) {
        labels[i] = Labels.of("__name__", "http_requests_total", "instance", "host-" + w,
            "job", "bench", "path", "/api/v1/item/" + i, "code", "200");
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public void scrape(Writer w) throws Exception {
    long t = w.clock.addAndGet(15_000);
    double v = w.v += 3;
    Appender a = w.app;
    for (int i = 0; i < SERIES; i++) {
      w.refs[i] = a.append(w.refs[i], w.labels[i], t, v + i);
    }
    a.commit();
  }

  @Benchmark
  @Threads(2)
  @OperationsPerInvocation(SERIES)
  public void scrapeTwoThreads(Writer w) throws Exception {
    scrape(w);
  }
}
