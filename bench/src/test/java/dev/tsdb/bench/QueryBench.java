package dev.tsdb.bench;

import dev.tsdb.bench.gen.Fleet;
import dev.tsdb.bench.run.BenchQuery;
import dev.tsdb.bench.run.QuerySet;
import dev.tsdb.blocks.db.Database;
import dev.tsdb.blocks.db.DbOptions;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.engine.Engine;
import dev.tsdb.promql.engine.EngineOptions;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.SampleRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The benchmark tool's query set, evaluated in-process by the PromQL engine over the real
 * storage (head + WAL {@link Database} in a temp dir), holding exactly the data the tool pushes
 * for {@code query --series=10000}: the same generator, seed, rounds and interval, with
 * timestamps relative to the fixed instant {@link #NOW_MS} instead of the wall clock. Queries are
 * given as text, as the HTTP API gives them (the engine parses them once and caches the AST,
 * as in the server). No HTTP, no JSON: the difference to the tool's latencies for our server is
 * the API's share.
 *
 * <p>Run (from the repository root; about 3 minutes; drop {@code -o} the first time, when the
 * dependency plugin is not downloaded yet):
 *
 * <pre>
 * mvn -q -o -pl bench -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/bench-cp.txt -Dmdep.includeScope=test
 * java -cp bench/target/test-classes:bench/target/classes:$(cat /tmp/bench-cp.txt) \
 *     dev.tsdb.bench.QueryBench [regex of benchmark names]
 * </pre>
 *
 * <p>Every benchmark is a fork of its own that loads the data again (about 3 s).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseG1GC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QueryBench {
  /** "Now" of the simulated run; data lies in the hour before it. */
  static final long NOW_MS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  /** The tool's command line whose data and queries this benchmark reproduces. */
  static final String[] TOOL_ARGS = {"query", "--series=10000"};

  Fleet fleet;
  Path dir;
  Database db;
  Engine engine;
  /** The tool's query set by name. */
  Map<String, BenchQuery> queries;
  /** Name of the query the last {@link #run} evaluated; lets the test map methods to queries. */
  String lastQuery;

  @Setup(Level.Trial)
  public void setUp() throws IOException, SampleRejectedException {
    fleet = Options.parse(TOOL_ARGS).fleet(NOW_MS);
    queries = new LinkedHashMap<>();
    for (BenchQuery q : QuerySet.of(fleet)) {
      queries.put(q.name(), q);
    }
    dir = Files.createTempDirectory("querybench");
    // The server's defaults, except: the clock is fixed at NOW_MS (the data's "now"), and no
    // background compaction thread (an hour of data is below the head's compaction threshold, so
    // it would only wake up during measurements and find nothing to do).
    DbOptions options = new DbOptions().clock(() -> NOW_MS).compactionIntervalMs(0);
    db = Database.open(dir, options);
    load(db, fleet);
    engine = new Engine(EngineOptions.DEFAULT);
  }

  /**
   * Appends every sample round by round (each series' samples in time order, as the tool's
   * senders deliver them), one commit per round. A rejected sample fails the setup.
   */
  static void load(Database db, Fleet fleet) throws IOException, SampleRejectedException {
    int n = fleet.seriesCount();
    Labels[] labels = new Labels[n];
    long[] refs = new long[n];
    for (int i = 0; i < n; i++) {
      labels[i] = Labels.of(fleet.labels(i));
    }
    for (int r = 0; r < fleet.rounds(); r++) {
      Appender app = db.appender();
      for (int i = 0; i < n; i++) {
        refs[i] = app.append(refs[i], labels[i], fleet.timestampMs(i, r), fleet.value(i, r));
      }
      app.commit();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    db.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Evaluates one query of the tool's set as the query API would (default options). */
  QueryResult run(String name) {
    BenchQuery q = queries.get(name);
    if (q == null) {
      throw new IllegalArgumentException("no query '" + name + "' in the tool's query set");
    }
    lastQuery = name;
    if (q.isRange()) {
      return engine.rangeQuery(db, q.expr(), q.startMs(), q.timeMs(), q.stepMs(),
          QueryOptions.DEFAULT);
    }
    return engine.instantQuery(db, q.expr(), q.timeMs(), QueryOptions.DEFAULT);
  }

  @Benchmark
  public QueryResult oneSeries() {
    return run("one series");
  }

  @Benchmark
  public QueryResult rateAllCpu() {
    return run("rate, all node_cpu series");
  }

  @Benchmark
  public QueryResult sumByJobRate() {
    return run("sum by job of rate");
  }

  @Benchmark
  public QueryResult histogramQuantile() {
    return run("histogram_quantile");
  }

  @Benchmark
  public QueryResult topk() {
    return run("topk");
  }

  @Benchmark
  public QueryResult regexLabelMatchers() {
    return run("regex label matchers");
  }

  @Benchmark
  public QueryResult regexOnName() {
    return run("regex on __name__");
  }

  @Benchmark
  public QueryResult range15sSumByJobRate() {
    return run("55m range, step 15s, sum by job of rate");
  }

  @Benchmark
  public QueryResult range60sHistogramQuantileByJob() {
    return run("55m range, step 60s, histogram_quantile by job");
  }

  @Benchmark
  public QueryResult range60sRateEth0() {
    return run("55m range, step 60s, rate of eth0 series");
  }

  /** Runs this class's benchmarks, or those whose name matches {@code args[0]}. */
  public static void main(String[] args) throws RunnerException {
    String include = QueryBench.class.getName() + "\\."
        + (args.length > 0 ? ".*(" + args[0] + ").*" : ".*");
    new Runner(new OptionsBuilder().include(include).build()).run();
  }
}
