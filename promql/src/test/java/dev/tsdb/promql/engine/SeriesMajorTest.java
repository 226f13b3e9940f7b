package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.ast.AggregateExpr;
import dev.tsdb.promql.ast.AggregateOp;
import dev.tsdb.promql.ast.NumberLiteral;
import dev.tsdb.promql.ast.PosRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The series-major aggregation gives the same bits as the step-by-step loop. */
class SeriesMajorTest {
  static final long START = 1_000_000L;
  static final long STEP = 15_000L;
  static final int STEPS = 50;

  @AfterEach
  void restore() {
    Aggregations.seriesMajor = true;
  }

  static Evaluator evaluator() {
    QueryContext ctx = new QueryContext(null, "", 300_000L, 50_000_000L, 60_000L, false, 60_000L,
        Map.of());
    return new Evaluator(ctx, START, START + (STEPS - 1) * STEP, STEP, 0);
  }

  /** Series with gaps, NaN, infinities and huge values (so avg switches to incremental). */
  static List<EvalSeries> input(long seed) {
    Random rnd = new Random(seed);
    double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MAX_VALUE, -Double.MAX_VALUE, 1e300, -0.0, Double.MIN_VALUE};
    List<EvalSeries> out = new ArrayList<>();
    for (int s = 0; s < 60; s++) {
      EvalSeries es = new EvalSeries(Labels.of("job", "j" + (s % 4), "instance", "i" + s), 4);
      es.dropName = s % 3 == 0;
      for (int i = 0; i < STEPS; i++) {
        if (rnd.nextInt(5) == 0) {
          continue;
        }
        double v = rnd.nextInt(20) == 0 ? specials[rnd.nextInt(specials.length)]
            : rnd.nextGaussian() * Math.pow(10, rnd.nextInt(30) - 10);
        es.add(START + i * STEP, v);
      }
      out.add(es);
    }
    return out;
  }

  static List<EvalSeries> run(AggregateOp op, List<String> grouping, boolean seriesMajor,
      long seed) {
    Aggregations.seriesMajor = seriesMajor;
    Evaluator ev = evaluator();
    AggregateExpr e = new AggregateExpr(op, new NumberLiteral(0, PosRange.NONE), null, grouping,
        false, PosRange.NONE);
    return Aggregations.rangeEvalAgg(ev, e, grouping, input(seed),
        Aggregations.Params.of(ev, null));
  }

  @Test
  void sameBitsAsStepByStep() {
    for (AggregateOp op : List.of(AggregateOp.SUM, AggregateOp.AVG, AggregateOp.COUNT,
        AggregateOp.MIN, AggregateOp.MAX, AggregateOp.GROUP)) {
      for (List<String> grouping : List.of(List.<String>of(), List.of("job"))) {
        for (long seed = 1; seed <= 5; seed++) {
          List<EvalSeries> a = run(op, grouping, false, seed);
          List<EvalSeries> b = run(op, grouping, true, seed);
          assertEquals(a.size(), b.size(), op + " " + grouping);
          for (int i = 0; i < a.size(); i++) {
            EvalSeries x = a.get(i);
            EvalSeries y = b.get(i);
            String what = op + " " + grouping + " seed " + seed + " " + x.metric;
            assertEquals(x.metric, y.metric, what);
            assertEquals(x.dropName, y.dropName, what);
            assertEquals(x.n, y.n, what);
            for (int j = 0; j < x.n; j++) {
              assertEquals(x.ts[j], y.ts[j], what);
              // Bits of numbers; NaNs count as equal (their sign is up to the JIT).
              assertEquals(Double.doubleToLongBits(x.vs[j]), Double.doubleToLongBits(y.vs[j]),
                  what + " @" + x.ts[j]);
            }
          }
        }
      }
    }
  }
}
