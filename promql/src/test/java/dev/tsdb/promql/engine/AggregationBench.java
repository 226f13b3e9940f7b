package dev.tsdb.promql.engine;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.ast.AggregateExpr;
import dev.tsdb.promql.ast.AggregateOp;
import dev.tsdb.promql.ast.NumberLiteral;
import dev.tsdb.promql.ast.PosRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The aggregation step alone (input already evaluated): {@code sum by (job)} and
 * {@code avg by (job)} of 10k series over a range query of 240 steps, step by step versus series
 * by series ({@link SeriesMajor}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AggregationBench {
  static final long START = 0;
  static final long STEP = 15_000L;
  static final int STEPS = 240;

  @Param({"true", "false"})
  public boolean seriesMajor;

  @Param({"SUM", "AVG"})
  public String op;

  List<EvalSeries> input;
  AggregateExpr expr;

  @Setup(Level.Trial)
  public void setUp() {
    input = new ArrayList<>();
    for (int s = 0; s < 10_000; s++) {
      EvalSeries es = new EvalSeries(Labels.of("instance", "i-" + s, "job", "job-" + (s % 10)),
          STEPS);
      for (int i = 0; i < STEPS; i++) {
        es.add(START + i * STEP, (s * 31 + i * 17) % 1000 / 8.0);
      }
      input.add(es);
    }
    expr = new AggregateExpr(AggregateOp.valueOf(op), new NumberLiteral(0, PosRange.NONE), null,
        List.of("job"), false, PosRange.NONE);
  }

  @Benchmark
  public List<EvalSeries> aggregate() {
    Aggregations.seriesMajor = seriesMajor;
    QueryContext ctx = new QueryContext(null, "", 300_000L, 50_000_000L, 60_000L, false,
        60_000L, Map.of());
    Evaluator ev = new Evaluator(ctx, START, START + (STEPS - 1) * STEP, STEP, 0);
    return Aggregations.rangeEvalAgg(ev, expr, List.of("job"), input,
        Aggregations.Params.of(ev, null));
  }
}
