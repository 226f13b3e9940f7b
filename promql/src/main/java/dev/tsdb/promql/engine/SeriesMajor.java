package dev.tsdb.promql.engine;

import dev.tsdb.promql.ast.AggregateOp;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameterless aggregations (sum, avg, count, min, max, group) computed series by series
 * instead of step by step: every input series is read once, front to back, and folded into a
 * (group x step) grid of accumulators. The step-by-step loop in {@link Aggregations} touches
 * every input series at every step, which for thousands of series means a cache miss per series
 * and step; here the accumulators of a range query usually fit in cache.
 *
 * <p>Within one (group, step) cell the values still arrive in input-series order, so every
 * floating-point operation happens in the same order as in the step-by-step evaluation and as in
 * Prometheus: results are bit-identical.
 */
final class SeriesMajor {
  private SeriesMajor() {}

  /**
   * Above this many (group, step) cells the step-by-step loop is used, which needs accumulators
   * for one step only: the grid costs up to ~34 bytes a cell (avg), about twice the result.
   */
  static final long MAX_CELLS = 1L << 21;

  static boolean handles(AggregateOp op) {
    return switch (op) {
      case SUM, AVG, COUNT, MIN, MAX, GROUP -> true;
      default -> false;
    };
  }

  static List<EvalSeries> aggregate(Evaluator ev, AggregateOp op, List<EvalSeries> input,
      int[] seriesToGroup, int groups, List<EvalSeries> result) {
    int steps = ev.numSteps();
    ev.ctx.samples.holding(ev.currentSamples + groups);
    if (ev.currentSamples + groups > ev.ctx.maxSamples) {
      throw QueryContext.tooManySamples();
    }
    int cells = groups * steps;
    double[] value = new double[cells];
    // Points folded into a cell so far; 0 = empty.
    double[] count = new double[cells];
    boolean[] drop = new boolean[cells];
    boolean avg = op == AggregateOp.AVG;
    boolean sum = op == AggregateOp.SUM;
    double[] kahanC = avg || sum ? new double[cells] : null;
    double[] mean = avg ? new double[cells] : null;
    boolean[] incremental = avg ? new boolean[cells] : null;
    double[] c1 = new double[1];
    long start = ev.start;
    long interval = ev.interval;
    for (int si = 0, n = input.size(); si < n; si++) {
      if ((si & 1023) == 0) {
        ev.ctx.checkDone(Evaluator.ENV);
      }
      EvalSeries s = input.get(si);
      int base = seriesToGroup[si] * steps;
      long[] ts = s.ts;
      double[] vs = s.vs;
      boolean dropName = s.dropName;
      for (int j = 0, m = s.n; j < m; j++) {
        long off = ts[j] - start;
        if (off < 0 || off % interval != 0 || off / interval >= steps) {
          break; // not on the step grid: the step-by-step loop would not get past it either
        }
        int cell = base + (int) (off / interval);
        double f = vs[j];
        double cnt = count[cell];
        if (cnt == 0) {
          count[cell] = 1;
          drop[cell] = dropName;
          value[cell] = op == AggregateOp.GROUP ? 1 : f;
          if (avg) {
            mean[cell] = f;
          }
          continue;
        }
        if (dropName) {
          drop[cell] = true;
        }
        cnt++;
        count[cell] = cnt;
        switch (op) {
          case SUM -> {
            // Neumaier-compensated sum, inlined from RangeFunctions.kahanInc.
            double sumBefore = value[cell];
            double t = sumBefore + f;
            if (Double.isInfinite(t)) {
              kahanC[cell] = 0;
            } else if (Math.abs(sumBefore) >= Math.abs(f)) {
              kahanC[cell] += (sumBefore - t) + f;
            } else {
              kahanC[cell] += (f - t) + sumBefore;
            }
            value[cell] = t;
          }
          case AVG -> {
            if (!incremental[cell]) {
              c1[0] = kahanC[cell];
              double newV = RangeFunctions.kahanInc(f, value[cell], c1);
              if (!Double.isInfinite(newV)) {
                value[cell] = newV;
                kahanC[cell] = c1[0];
                break;
              }
              // The sum overflows: continue with an incremental mean.
              incremental[cell] = true;
              mean[cell] = value[cell] / (cnt - 1);
              kahanC[cell] /= cnt - 1;
            }
            double q = (cnt - 1) / cnt;
            c1[0] = q * kahanC[cell];
            mean[cell] = RangeFunctions.kahanInc(f / cnt, q * mean[cell], c1);
            kahanC[cell] = c1[0];
          }
          case MAX -> {
            if (value[cell] < f || Double.isNaN(value[cell])) {
              value[cell] = f;
            }
          }
          case MIN -> {
            if (value[cell] > f || Double.isNaN(value[cell])) {
              value[cell] = f;
            }
          }
          default -> { } // COUNT and GROUP only count
        }
      }
    }
    List<EvalSeries> out = new ArrayList<>(groups);
    for (int g = 0; g < groups; g++) {
      EvalSeries series = result.get(g);
      int base = g * steps;
      int last = -1;
      for (int step = 0; step < steps; step++) {
        int cell = base + step;
        double cnt = count[cell];
        if (cnt == 0) {
          continue;
        }
        double v;
        switch (op) {
          case SUM -> v = value[cell] + kahanC[cell];
          case AVG -> v = incremental[cell] ? mean[cell] + kahanC[cell]
              : value[cell] / cnt + kahanC[cell] / cnt;
          case COUNT -> v = cnt;
          default -> v = value[cell];
        }
        series.add(start + step * interval, v);
        last = cell;
      }
      if (last >= 0) {
        series.dropName = drop[last];
        out.add(series);
      }
    }
    return out;
  }
}
