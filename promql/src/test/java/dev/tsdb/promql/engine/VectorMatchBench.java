package dev.tsdb.promql.engine;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.testkit.MemStorage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code a / b}, {@code a > bool b}, {@code a and b} and {@code a or b} over 2 x 5k series
 * (one-to-one matching) as a range query of 121 steps, series by series versus step by step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class VectorMatchBench {
  @Param({"true", "false"})
  public boolean seriesWise;

  @Param({"a / b", "a > bool b", "a and b", "a or b"})
  public String query;

  MemStorage storage;
  Engine engine;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    storage = new MemStorage();
    Appender app = storage.appender();
    for (String name : new String[] {"a", "b"}) {
      for (int s = 0; s < 5_000; s++) {
        Labels ls = Labels.of("__name__", name, "instance", "i-" + s, "job", "job-" + (s % 10));
        for (int i = 0; i <= 240; i++) {
          app.append(0, ls, i * 15_000L, (s * 7 + i * 3) % 100);
        }
      }
    }
    app.commit();
    engine = new Engine(EngineOptions.DEFAULT);
  }

  @Benchmark
  public QueryResult range() {
    BinaryOps.seriesWise = seriesWise;
    return engine.rangeQuery(storage, query, 0, 3_600_000L, 30_000L, QueryOptions.DEFAULT);
  }
}
