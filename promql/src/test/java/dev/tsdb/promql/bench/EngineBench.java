package dev.tsdb.promql.bench;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.ast.AggregateExpr;
import dev.tsdb.promql.ast.AggregateOp;
import dev.tsdb.promql.ast.AtMode;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.ExprType;
import dev.tsdb.promql.ast.Function;
import dev.tsdb.promql.ast.MatrixSelector;
import dev.tsdb.promql.ast.NumberLiteral;
import dev.tsdb.promql.ast.PosRange;
import dev.tsdb.promql.ast.VectorSelector;
import dev.tsdb.promql.engine.Engine;
import dev.tsdb.promql.engine.EngineOptions;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.testkit.MemStorage;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Engine throughput over 10k series held in MemStorage: 10k counters
 * {@code http_requests_total{job, instance}} and 10k classic-histogram bucket series (1000
 * histograms x 10 buckets), one sample every 15s for an hour. Expressions are built by hand so
 * the numbers measure evaluation only.
 *
 * <p>Smoke run: {@code java -cp <test classpath> dev.tsdb.promql.bench.EngineBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 1, time = 3)
public class EngineBench {
  private static final PosRange P = PosRange.NONE;
  private static final long HOUR = 3_600_000L;
  private static final long SCRAPE = 15_000L;

  MemStorage storage;
  Engine engine;
  Expr selector;
  Expr rate;
  Expr sumByJob;
  Expr rateTimesTwo;
  Expr histogramQuantile;
  Expr ratio;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    storage = new MemStorage();
    Appender app = storage.appender();
    for (int s = 0; s < 10_000; s++) {
      Labels counter = Labels.of("__name__", "http_requests_total", "job", "job-" + (s % 10),
          "instance", "instance-" + s);
      int h = s / 10;
      Labels bucket = Labels.of("__name__", "request_duration_seconds_bucket", "job",
          "job-" + (h % 10), "instance", "instance-" + h, "le",
          (s % 10) == 9 ? "+Inf" : Double.toString(0.005 * (1 << (s % 10))));
      double value = 0;
      double bucketValue = 0;
      for (long t = 0; t <= HOUR; t += SCRAPE) {
        value += 1 + (s % 7);
        bucketValue += (s % 10) + 1;
        app.append(0, counter, t, value);
        app.append(0, bucket, t, bucketValue);
      }
    }
    app.commit();
    engine = new Engine(EngineOptions.DEFAULT, q -> {
      throw new UnsupportedOperationException("benchmarks build expressions directly");
    });
    selector = sel("http_requests_total");
    rate = call("rate", new MatrixSelector(sel("http_requests_total"), 5 * 60_000L, P));
    sumByJob = new AggregateExpr(AggregateOp.SUM, rate, null, List.of("job"), false, P);
    rateTimesTwo = new dev.tsdb.promql.ast.BinaryExpr(dev.tsdb.promql.ast.BinaryOp.MUL, rate,
        new NumberLiteral(2, P), null, false, P);
    // One-to-one vector matching: every series against its own rate a minute earlier.
    Expr earlier = call("rate", new MatrixSelector(new VectorSelector("http_requests_total",
        List.of(Matcher.eq("__name__", "http_requests_total")), 60_000L, AtMode.NONE, 0, P),
        5 * 60_000L, P));
    ratio = new dev.tsdb.promql.ast.BinaryExpr(dev.tsdb.promql.ast.BinaryOp.DIV, rate, earlier,
        null, false, P);
    Expr bucketRate = call("rate",
        new MatrixSelector(sel("request_duration_seconds_bucket"), 5 * 60_000L, P));
    Expr byLe = new AggregateExpr(AggregateOp.SUM, bucketRate, null, List.of("job", "le"), false,
        P);
    histogramQuantile = new Call(new Function("histogram_quantile",
        List.of(ExprType.SCALAR, ExprType.VECTOR), 0, ExprType.VECTOR, false),
        List.of(new NumberLiteral(0.9, P), byLe), P);
  }

  private static VectorSelector sel(String name) {
    return new VectorSelector(name, List.of(Matcher.eq("__name__", name)), 0, AtMode.NONE, 0, P);
  }

  private static Expr call(String name, Expr arg) {
    return new Call(new Function(name, List.of(ExprType.MATRIX), 0, ExprType.VECTOR, false),
        List.of(arg), P);
  }

  private QueryResult range(Expr e) {
    return engine.exec(storage, e, "", HOUR / 2, HOUR, 60_000L, QueryOptions.DEFAULT);
  }

  @Benchmark
  public QueryResult selectorInstant() {
    return engine.exec(storage, selector, "", HOUR, HOUR, 0, QueryOptions.DEFAULT);
  }

  @Benchmark
  public QueryResult selectorRange() {
    return range(selector);
  }

  @Benchmark
  public QueryResult rateRange() {
    return range(rate);
  }

  @Benchmark
  public QueryResult rateTimesScalarRange() {
    return range(rateTimesTwo);
  }

  @Benchmark
  public QueryResult sumByJobRateRange() {
    return range(sumByJob);
  }

  @Benchmark
  public QueryResult ratioRange() {
    return range(ratio);
  }

  @Benchmark
  public QueryResult histogramQuantileRange() {
    return range(histogramQuantile);
  }

  public static void main(String[] args) throws Exception {
    new Runner(new OptionsBuilder().include(EngineBench.class.getSimpleName()).build()).run();
  }
}
